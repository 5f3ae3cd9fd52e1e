import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError, type StorageEngine } from 'multer';
import { from, switchMap, type Observable } from 'rxjs';
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD, UploadField } from '@feishu-attachments/api-client/wire';
import { BlobStore } from '../blobs/blob-store.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { FeishuError } from '../feishu-errors/feishu-error.js';
import type { StoredUpload } from './attachments.service.js';

/**
 * Parses the upload's multipart body with multer, streaming each `file` part straight into the
 * blob store, so a request is never held in memory. Multer's limits become Feishu's 1470400.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  private readonly middleware;

  constructor(blobs: BlobStore) {
    this.middleware = multer({
      storage: blobStorageEngine(blobs),
      // Feishu takes the part's filename as the attachment name, and clients send UTF-8 names.
      defParamCharset: 'utf8',
      limits: { files: MAX_FILES_PER_UPLOAD, fileSize: MAX_FILE_BYTES, fields: 20, parts: 40 },
    }).array(UploadField.File);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    if (!req.is('multipart/form-data')) {
      throw FeishuErrors.invalidRequest('The request must be multipart/form-data with repeated file parts.');
    }
    const parsed = new Promise<void>((resolve, reject) => {
      this.middleware(req, res, (error?: unknown) => (error ? reject(toFeishuError(error)) : resolve()));
    });
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}

/** The multipart files as the upload handler sees them. */
export function storedUploads(req: Request): StoredUpload[] {
  const files = (req.files ?? []) as (Express.Multer.File & { blobKey: string })[];
  return files.map((file) => ({
    originalname: file.originalname,
    mimetype: file.mimetype,
    blobKey: file.blobKey,
    size: file.size,
  }));
}

function blobStorageEngine(blobs: BlobStore): StorageEngine {
  return {
    _handleFile(_req, file, callback) {
      blobs.write(file.stream).then(
        (stored) =>
          callback(null, { blobKey: stored.key, size: stored.size } as Partial<Express.Multer.File>),
        (error: unknown) => callback(error as Error),
      );
    },
    _removeFile(_req, file, callback) {
      const { blobKey } = file as Express.Multer.File & { blobKey?: string };
      if (!blobKey) return callback(null);
      blobs.delete(blobKey).then(
        () => callback(null),
        (error: unknown) => callback(error as Error),
      );
    },
  };
}

function toFeishuError(error: unknown): unknown {
  if (error instanceof FeishuError) return error;
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE': {
        // multer 2 names the file on the error; its typings do not say so yet.
        const filename = (error as MulterError & { filename?: string }).filename;
        return FeishuErrors.invalidParam(
          'file',
          `each file must be at most ${MAX_FILE_BYTES} bytes (50 MiB)${filename ? `; '${filename}' is larger` : ''}`,
        );
      }
      case 'LIMIT_FILE_COUNT':
        return FeishuErrors.invalidParam('file', `at most ${MAX_FILES_PER_UPLOAD} files per request`);
      case 'LIMIT_UNEXPECTED_FILE':
        return FeishuErrors.invalidParam(
          error.field ?? 'file',
          `unexpected file field; send every file as a repeated '${UploadField.File}' part`,
        );
      default:
        return FeishuErrors.invalidRequest(`Invalid multipart body: ${error.message}.`);
    }
  }
  if (error instanceof Error && /multipart|boundary|unexpected end of form|malformed/i.test(error.message)) {
    return FeishuErrors.invalidRequest(`Invalid multipart body: ${error.message}.`);
  }
  return error;
}
