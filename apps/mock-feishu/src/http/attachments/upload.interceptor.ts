import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import type { StoredUpload } from '../../core/attachments/attachments.service.js';
import { MAX_UPLOAD_BODY_BYTES, receiveUpload, type ReceivedFile } from './multipart-receiver.js';
import { NOT_MULTIPART } from './multipart-refusal.mapper.js';
import { sandboxOf } from '../request/request-context.js';

const RECEIVED = Symbol('mock-feishu:received-files');
type WithUpload = Request & { [RECEIVED]?: ReceivedFile[] };

/**
 * Takes the upload's multipart body in as it arrives, streaming each `file` part straight into
 * the blob store, so a request is never held in memory; a limit crossed midway is answered at
 * once (multipart-receiver.ts, on the shared @feishu-attachments/multipart-intake), and the error
 * writer closes the connection after the answer (gateway/lingering-close.ts).
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  constructor(private readonly settings: MockFeishuSettings) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<WithUpload>();
    if (!req.is('multipart/form-data')) {
      throw FeishuErrors.invalidRequest(NOT_MULTIPART);
    }
    // A length no allowed upload can have is refused before a byte of it is read.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BODY_BYTES) throw FeishuErrors.uploadTooLarge(declared, MAX_UPLOAD_BODY_BYTES);
    return from(this.receive(req)).pipe(switchMap(() => next.handle()));
  }

  private async receive(req: WithUpload): Promise<void> {
    // Into the blob store of the sandbox the gateway found for the call.
    const form = await receiveUpload(req, sandboxOf(req).store.blobs, {
      idleBodyTimeoutMs: this.settings.idleBodyTimeoutMs,
    });
    req.body = form.fields;
    req[RECEIVED] = form.files;
    // The journal's part summary reads the files where multer used to put them.
    (req as { files?: unknown }).files = form.files;
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
