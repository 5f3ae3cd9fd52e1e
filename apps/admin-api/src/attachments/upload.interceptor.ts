import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client';
import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { catchError, defer, from, mergeMap, switchMap, throwError, type Observable } from 'rxjs';
import { AdminApiSettings } from '../admin-api.settings.js';
import { GuidPipe } from '../common/validation.pipes.js';

/** The multipart part name Feishu uses, kept here so callers can send the same form to both. */
export const FILE_FIELD = 'file';

/** A file part written to this request's temporary folder. */
export interface UploadedPart {
  path: string;
  name: string;
  contentType: string;
  size: number;
}

type WithUpload = Request & { files?: Express.Multer.File[] };

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
    const middleware = multer({
      storage: multer.diskStorage({ destination: dir }),
      // Browsers and curl send UTF-8 filenames; the attachment keeps the name as given.
      defParamCharset: 'utf8',
      limits: { files: MAX_FILES_PER_UPLOAD, fileSize: MAX_FILE_BYTES, fields: 20, parts: 40 },
    }).array(FILE_FIELD, MAX_FILES_PER_UPLOAD);
    try {
      await new Promise<void>((resolve, reject) =>
        middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      await removeFolder(dir);
      throw toHttpError(error);
    }
    if (!req.files?.length) {
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
  return ((req as WithUpload).files ?? []).map((file) => ({
    path: file.path,
    name: file.originalname,
    contentType: file.mimetype || 'application/octet-stream',
    size: file.size,
  }));
}

async function removeFolder(dir: string): Promise<void> {
  // Retries cover a write stream that multer is still closing when the caller disconnects.
  await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) =>
    logger.warn(`Could not remove the upload folder ${dir}: ${(error as Error).message}`),
  );
}

function toHttpError(error: unknown): unknown {
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE': {
        // multer 2 names the file on the error; its typings do not say so yet.
        const filename = (error as MulterError & { filename?: string }).filename;
        return new PayloadTooLargeException(
          `${filename ? `"${filename}"` : 'A file'} is larger than ${MAX_FILE_BYTES} bytes (50 MiB), Feishu's limit per file.`,
        );
      }
      case 'LIMIT_FILE_COUNT':
        return new BadRequestException(
          `At most ${MAX_FILES_PER_UPLOAD} files per upload (Feishu's limit); send the rest in another request.`,
        );
      case 'LIMIT_UNEXPECTED_FILE':
        return error.field === FILE_FIELD
          ? new BadRequestException(
              `At most ${MAX_FILES_PER_UPLOAD} files per upload (Feishu's limit); send the rest in another request.`,
            )
          : new BadRequestException(
              `Unexpected file part "${error.field}": every file must be a part named "${FILE_FIELD}".`,
            );
      default:
        return new BadRequestException(`Invalid multipart body: ${error.message}.`);
    }
  }
  // busboy's parse errors (a missing boundary, a truncated body) are the caller's, not ours.
  if (
    error instanceof Error &&
    /multipart|boundary|unexpected end of form|malformed|part terminated/i.test(error.message)
  ) {
    return new BadRequestException(`Invalid multipart body: ${error.message}.`);
  }
  return error;
}
