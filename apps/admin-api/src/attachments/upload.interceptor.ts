import { MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client';
import { closeAfterAnswer, isMultipartRefusal } from '@feishu-attachments/multipart-intake';
import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { catchError, defer, from, mergeMap, switchMap, throwError, type Observable } from 'rxjs';
import { AdminApiSettings } from '../admin-api.settings.js';
import { GuidPipe } from '../common/validation.pipes.js';
import { FILE_FIELD, receiveParts, UPLOAD_LINGER, type UploadedPart } from './multipart-receiver.js';
import { httpExceptionOfRefusal, NOT_MULTIPART } from './multipart-refusal.mapper.js';

export { FILE_FIELD, type UploadedPart } from './multipart-receiver.js';

type WithUpload = Request & { uploadedParts?: UploadedPart[] };

const logger = new Logger('Uploads');

/**
 * Streams the multipart body to disk, one temporary folder per request, so an upload never sits
 * in memory and the client can send each file with its known size (and send it again after a
 * rate limit). The folder is removed before the answer goes out, and also when the caller
 * disconnects midway.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  constructor(private readonly settings: AdminApiSettings) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<WithUpload>();
    const res = context.switchToHttp().getResponse<Response>();
    // Pipes run after interceptors: check the path before taking in up to 250 MiB for nothing.
    const taskGuid = req.params?.taskGuid;
    if (taskGuid !== undefined) new GuidPipe('taskGuid').transform(String(taskGuid));
    if (!req.is('multipart/form-data')) throw new BadRequestException(NOT_MULTIPART);
    return defer(() => this.receive(req, res)).pipe(
      switchMap((dir) =>
        next.handle().pipe(
          mergeMap(async (result) => {
            await removeFolder(dir);
            return result;
          }),
          catchError((error: unknown) =>
            from(removeFolder(dir)).pipe(mergeMap(() => throwError(() => error))),
          ),
        ),
      ),
    );
  }

  private async receive(req: WithUpload, res: Response): Promise<string> {
    await mkdir(this.settings.uploadDir, { recursive: true });
    const dir = await mkdtemp(join(this.settings.uploadDir, 'upload-'));
    // The safety net for a caller that goes away: the normal paths remove the folder earlier.
    res.once('close', () => void removeFolder(dir));
    try {
      req.uploadedParts = await receiveParts(req, dir, {
        idleBodyTimeoutMs: this.settings.timeouts.idleBodyMs,
      });
    } catch (error) {
      // Refused before the body was all read: the answer goes out at once, and what the caller
      // still sends is read and dropped for a while, so a client that sends its whole body before
      // it reads (curl, fetch with FormData) gets the answer instead of a reset.
      if (!req.complete) closeAfterAnswer(req, res, UPLOAD_LINGER);
      await removeFolder(dir);
      throw isMultipartRefusal(error) ? httpExceptionOfRefusal(error) : error;
    }
    if (!req.uploadedParts.length) {
      await removeFolder(dir);
      throw new BadRequestException(
        `No file: send 1–${MAX_FILES_PER_UPLOAD} multipart parts named "${FILE_FIELD}", each with a filename.`,
      );
    }
    return dir;
  }
}

/** The request's files, in part order. */
export function uploadedParts(req: Request): UploadedPart[] {
  return (req as WithUpload).uploadedParts ?? [];
}

async function removeFolder(dir: string): Promise<void> {
  // Retries cover a write stream that is still closing when the caller disconnects.
  await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) =>
    logger.warn(`Could not remove the upload folder ${dir}: ${(error as Error).message}`),
  );
}
