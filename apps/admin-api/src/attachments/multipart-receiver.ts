import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client';
import {
  BadRequestException,
  HttpException,
  HttpStatus,
  PayloadTooLargeException,
  RequestTimeoutException,
} from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

/** The multipart part name Feishu uses, kept here so callers can send the same form to both. */
export const FILE_FIELD = 'file';

/** A file part written to this request's temporary folder. */
export interface UploadedPart {
  path: string;
  name: string;
  contentType: string;
  size: number;
}

/** Text fields and their size; a form needs none, so the bounds are tight. */
const MAX_FIELDS = 20;
const MAX_PARTS = MAX_FILES_PER_UPLOAD + MAX_FIELDS;
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * A refusal that must reach the caller while it is still sending: the answer goes out at once
 * and the connection is closed after it, instead of reading the rest of a body nobody will use.
 */
export class EarlyRefusal extends HttpException {
  constructor(cause: HttpException) {
    super(cause.getResponse(), cause.getStatus());
  }
}

const tooMany = () =>
  new BadRequestException(
    `At most ${MAX_FILES_PER_UPLOAD} files per upload (Feishu's limit); send the rest in another request.`,
  );

/**
 * Streams a multipart body's `file` parts to files in `dir`, enforcing every limit as the bytes
 * arrive. busboy directly rather than multer: multer reads a refused body to its end before it
 * reports the limit (a 2 GiB part got its 413 after all 2 GiB), and has no idle timeout.
 */
export function receiveParts(
  req: Request,
  dir: string,
  options: { idleBodyTimeoutMs: number },
): Promise<UploadedPart[]> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers and curl send UTF-8 filenames; the attachment keeps the name as given.
        defParamCharset: 'utf8',
        // busboy reports a size or part count once it is *reached*; one more makes "at most N" mean N.
        limits: {
          files: MAX_FILES_PER_UPLOAD,
          fileSize: MAX_FILE_BYTES + 1,
          fields: MAX_FIELDS,
          parts: MAX_PARTS + 1,
          fieldSize: MAX_FIELD_BYTES + 1,
        },
      });
    } catch (error) {
      reject(new BadRequestException(`Invalid multipart body: ${(error as Error).message}.`));
      return;
    }
    const parts: UploadedPart[] = [];
    const writes: Promise<void>[] = [];
    const outs: NodeJS.WritableStream[] = [];
    let settled = false;
    let idle: NodeJS.Timeout | undefined;

    const stop = (refusal: HttpException) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.off('data', armIdle);
      req.unpipe(parser);
      for (const out of outs) (out as ReturnType<typeof createWriteStream>).destroy();
      parser.removeAllListeners();
      // busboy may still emit on streams it had open; nothing listens any more.
      parser.on('error', () => undefined);
      reject(new EarlyRefusal(refusal));
    };
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        // Paused by the pipe means our disk is the slow side, not the caller: wait on.
        if (req.readableFlowing === false) return armIdle();
        stop(
          new RequestTimeoutException(
            `The upload stalled: no bytes for ${options.idleBodyTimeoutMs} ms. Send the body without pauses.`,
          ),
        );
      }, options.idleBodyTimeoutMs);
    };

    parser.on('file', (field, stream, info) => {
      if (field !== FILE_FIELD) {
        stream.resume();
        stop(
          new BadRequestException(
            `Unexpected file part "${field}": every file must be a part named "${FILE_FIELD}".`,
          ),
        );
        return;
      }
      if (!info.filename) {
        // A part without a filename is a field to busboy's callers; Feishu needs the name.
        stream.resume();
        return;
      }
      const path = join(dir, randomUUID());
      const part: UploadedPart = {
        path,
        name: info.filename,
        contentType: info.mimeType || 'application/octet-stream',
        size: 0,
      };
      parts.push(part);
      const out = createWriteStream(path);
      outs.push(out);
      stream.on('data', (chunk: Buffer) => {
        part.size += chunk.length;
      });
      stream.on('limit', () =>
        stop(
          new PayloadTooLargeException(
            `"${info.filename}" is larger than ${MAX_FILE_BYTES} bytes (50 MiB), Feishu's limit per file.`,
          ),
        ),
      );
      // busboy fails the open part itself when the body ends inside it ("Unexpected end of form");
      // unheard, that error would take the process down.
      stream.on('error', (error: Error) =>
        stop(new BadRequestException(`Invalid multipart body: ${error.message}.`)),
      );
      stream.pipe(out);
      // A refusal destroys the file midway; that write's failure is the refusal's, not its own.
      writes.push(finished(out).catch((error: unknown) => (settled ? undefined : Promise.reject(error))));
    });
    parser.on('filesLimit', () => stop(tooMany()));
    parser.on('partsLimit', () => stop(new BadRequestException(`At most ${MAX_PARTS} parts per upload.`)));
    parser.on('fieldsLimit', () =>
      stop(new BadRequestException(`At most ${MAX_FIELDS} text fields per upload.`)),
    );
    parser.on('field', (name, _value, info) => {
      if (info.valueTruncated)
        stop(new PayloadTooLargeException(`The field "${name}" is larger than ${MAX_FIELD_BYTES} bytes.`));
    });
    parser.on('error', (error: Error) =>
      stop(new BadRequestException(`Invalid multipart body: ${error.message}.`)),
    );
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      Promise.all(writes).then(
        () => resolve(parts),
        (error: unknown) => reject(error),
      );
    });
    req.on('data', armIdle);
    req.on('close', () => {
      if (!req.complete) stop(new HttpException('The caller went away mid-upload.', HttpStatus.BAD_REQUEST));
    });
    armIdle();
    req.pipe(parser);
  });
}
