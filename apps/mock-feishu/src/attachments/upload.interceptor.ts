import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { BlobStore } from '../blobs/blob-store.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { MockFeishuSettings } from '../mock-feishu.settings.js';
import type { StoredUpload } from './attachments.service.js';
import { receiveUpload, type ReceivedFile } from './multipart-receiver.js';

const RECEIVED = Symbol('mock-feishu:received-files');
type WithUpload = Request & { [RECEIVED]?: ReceivedFile[] };

/**
 * Takes the upload's multipart body in as it arrives, streaming each `file` part straight into
 * the blob store, so a request is never held in memory; a limit crossed midway is answered at
 * once (multipart-receiver.ts).
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  constructor(
    private readonly blobs: BlobStore,
    private readonly settings: MockFeishuSettings,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<WithUpload>();
    const res = context.switchToHttp().getResponse<Response>();
    if (!req.is('multipart/form-data')) {
      throw FeishuErrors.invalidRequest('The request must be multipart/form-data with repeated file parts.');
    }
    return from(this.receive(req, res)).pipe(switchMap(() => next.handle()));
  }

  private async receive(req: WithUpload, res: Response): Promise<void> {
    try {
      const form = await receiveUpload(req, this.blobs, {
        idleBodyTimeoutMs: this.settings.idleBodyTimeoutMs,
      });
      req.body = form.fields;
      req[RECEIVED] = form.files;
      // The journal's part summary reads the files where multer used to put them.
      req.files = form.files as unknown as Express.Multer.File[];
    } catch (error) {
      closeAfterAnswer(req, res);
      throw error;
    }
  }
}

/** The multipart files as the upload handler sees them, in part order. */
export function storedUploads(req: Request): StoredUpload[] {
  return ((req as WithUpload)[RECEIVED] ?? []).map((file) => ({
    originalname: file.originalname,
    mimetype: file.mimetype,
    blobKey: file.blobKey,
    size: file.size,
  }));
}

/**
 * The caller may still be sending a body that was refused: answer now, then close the
 * connection rather than read the rest (HTTP/1.1 lets a server answer early and close; curl,
 * fetch and Node's http client read the answer).
 */
function closeAfterAnswer(req: Request, res: Response): void {
  if (res.headersSent) return;
  res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroy());
}
