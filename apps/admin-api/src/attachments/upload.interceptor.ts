import { MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client';
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
import { EarlyRefusal, FILE_FIELD, receiveParts, type UploadedPart } from './multipart-receiver.js';

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
    if (!req.is('multipart/form-data')) {
      throw new BadRequestException(
        `Send multipart/form-data with 1–${MAX_FILES_PER_UPLOAD} parts named "${FILE_FIELD}".`,
      );
    }
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
      if (error instanceof EarlyRefusal) closeAfterAnswer(req, res);
      await removeFolder(dir);
      throw error;
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

/**
 * The caller is still sending a body we refused: answer now, then close the connection rather
 * than read the rest (HTTP/1.1 lets a server answer early and close; curl and fetch read the answer).
 */
function closeAfterAnswer(req: Request, res: Response): void {
  res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroy());
}

async function removeFolder(dir: string): Promise<void> {
  // Retries cover a write stream that multer is still closing when the caller disconnects.
  await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) =>
    logger.warn(`Could not remove the upload folder ${dir}: ${(error as Error).message}`),
  );
}
