import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD, UploadField } from '@feishu-attachments/api-client/wire';
import { BlobStore } from '../blobs/blob-store.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { parseResourceId, parseResourceType } from './attachment.js';

/** The emulator's own bounds on a form (Feishu's has two text fields and up to five files). */
export const MAX_FIELDS = 20;
export const MAX_PARTS = 40;
/** Per text field; busboy's default, and what uploads were held to before. */
export const MAX_FIELD_BYTES = 1024 * 1024;

/**
 * busboy says a text field was too long only when the field's part ends, so a field that never
 * ends would be read to the end of the body. The bytes that reached the parser and did not go
 * to a file since the last part began bound the current field from above; past the limit plus
 * this slack (headers, and what sits in stream buffers: well under 1 MiB) the body is refused.
 */
const FIELD_GUARD_SLACK_BYTES = 1024 * 1024;

/** A file part already streamed into the blob store, in the shape the journal reads (multer's). */
export interface ReceivedFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  blobKey: string;
}

export interface ReceivedForm {
  /** Text fields; a name given twice maps to its values in order. */
  fields: Record<string, string | string[]>;
  files: ReceivedFile[];
}

const multipartError = (what: string) => FeishuErrors.invalidRequest(`Invalid multipart body: ${what}.`);

/** busboy's own error texts are not echoed; each known one gets a message of ours. */
function parserRefusal(error: Error) {
  switch (error.message) {
    case 'Unexpected end of form':
    case 'Unexpected end of file':
      return multipartError('the body ended before its closing boundary');
    case 'Malformed part header':
      return multipartError('a part header is malformed');
    default:
      return multipartError('it could not be parsed');
  }
}

/**
 * Browsers and undici write `"`, CR and LF in form-data names as %22, %0D, %0A (WHATWG); busboy
 * leaves them escaped. Multer reversed exactly these three, and names keep meaning the same.
 */
const decodeFormDataName = (name: string) =>
  name.replace(/%0A|%0D|%22/gi, (match) =>
    match.toUpperCase() === '%0A' ? '\n' : match.toUpperCase() === '%0D' ? '\r' : '"',
  );

/**
 * Streams an upload's `file` parts into the blob store and enforces every limit as the bytes
 * arrive: the promise rejects (with the Feishu refusal) as soon as one is crossed, once the
 * partial blobs are removed, without reading the rest of the body. busboy directly rather than
 * multer: multer 2 reads a refused body to its end before it reports the limit, and has no idle
 * timeout.
 */
export function receiveUpload(
  req: Request,
  blobs: BlobStore,
  options: { idleBodyTimeoutMs: number },
): Promise<ReceivedForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Clients send UTF-8 filenames; the attachment keeps the name as given.
        defParamCharset: 'utf8',
        // busboy reports a size or a part count once it is *reached*; one more makes "at most N" mean N.
        limits: {
          files: MAX_FILES_PER_UPLOAD,
          fileSize: MAX_FILE_BYTES + 1,
          fields: MAX_FIELDS,
          parts: MAX_PARTS + 1,
          fieldSize: MAX_FIELD_BYTES + 1,
        },
      });
    } catch {
      reject(multipartError('the Content-Type header needs a boundary'));
      return;
    }
    const fields: Record<string, string | string[]> = {};
    const files: ReceivedFile[] = [];
    const open = new Set<Readable>();
    const writes: Promise<void>[] = [];
    let settled = false;
    let bytesIn = 0;
    let fileBytes = 0;
    let otherBytesAtPartStart = 0;

    const stop = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.off('data', onData);
      req.unpipe(parser);
      parser.removeAllListeners();
      // busboy may still report on streams it had open; nothing listens any more.
      parser.on('error', () => undefined);
      // Not at once: stop can run inside busboy's own parsing loop, which goes on with its state.
      setImmediate(() => {
        parser.destroy();
        // A destroyed source fails its blob write, and the blob store removes the partial file.
        for (const stream of open) stream.destroy();
        void Promise.allSettled(writes)
          .then(() =>
            Promise.all(files.filter((file) => file.blobKey).map((file) => blobs.delete(file.blobKey))),
          )
          .finally(() => reject(error));
      });
    };
    const partStarted = () => {
      otherBytesAtPartStart = bytesIn - fileBytes;
    };

    const idleMs = options.idleBodyTimeoutMs;
    const idle =
      idleMs > 0
        ? setTimeout(() => {
            // Paused by the pipe means the disk is the slow side, not the caller: wait on.
            if (req.readableFlowing === false) return void idle?.refresh();
            stop(FeishuErrors.uploadStalled(idleMs));
          }, idleMs)
        : undefined;
    const onData = (chunk: Buffer) => {
      idle?.refresh();
      bytesIn += chunk.length;
      if (bytesIn - fileBytes - otherBytesAtPartStart > MAX_FIELD_BYTES + FIELD_GUARD_SLACK_BYTES) {
        stop(multipartError('Field value too long'));
      }
    };

    parser.on('file', (rawField: string | undefined, stream, info) => {
      partStarted();
      stream.on('data', (chunk: Buffer) => (fileBytes += chunk.length));
      // A refusal destroys the part midway (busboy says "Unexpected end of file"): stop reports it.
      stream.on('error', () => undefined);
      if (rawField === undefined) {
        stream.resume();
        return stop(multipartError('Field name missing'));
      }
      const field = decodeFormDataName(rawField);
      const name = info.filename ? decodeFormDataName(info.filename) : undefined;
      stream.on('limit', () =>
        stop(
          FeishuErrors.invalidParam(
            'file',
            `each file must be at most ${MAX_FILE_BYTES} bytes (50 MiB)${name ? `; '${name}' is larger` : ''}`,
          ),
        ),
      );
      // A part without a filename is not a file (as multer had it); `checkFileCount` says one is needed.
      if (!name) return void stream.resume();
      if (field !== UploadField.File) {
        stream.resume();
        return stop(
          FeishuErrors.invalidParam(
            field,
            `unexpected file field; send every file as a repeated '${UploadField.File}' part`,
          ),
        );
      }
      const file: ReceivedFile = {
        fieldname: field,
        originalname: name,
        mimetype: info.mimeType,
        size: 0,
        blobKey: '',
      };
      files.push(file);
      open.add(stream);
      writes.push(
        blobs.write(stream).then(
          (stored) => {
            file.blobKey = stored.key;
            file.size = stored.size;
            open.delete(stream);
          },
          // After a refusal the failed write is the refusal's doing; before one, it is the answer.
          (error: unknown) => void (settled || stop(error)),
        ),
      );
    });
    parser.on('field', (rawName: string | undefined, value: string, info) => {
      partStarted();
      if (rawName === undefined) return stop(multipartError('Field name missing'));
      if (info.valueTruncated) return stop(multipartError('Field value too long'));
      const name = decodeFormDataName(rawName);
      const before = fields[name];
      fields[name] = before === undefined ? value : [before, value].flat();
      try {
        // Checked as they come, so a refused resource makes the client stop sending files.
        if (name === UploadField.ResourceId) parseResourceId(fields[name]);
        if (name === UploadField.ResourceType) parseResourceType(fields[name]);
      } catch (error) {
        stop(error);
      }
    });
    parser.on('filesLimit', () =>
      stop(FeishuErrors.invalidParam('file', `at most ${MAX_FILES_PER_UPLOAD} files per request`)),
    );
    parser.on('partsLimit', () => stop(multipartError('Too many parts')));
    parser.on('fieldsLimit', () => stop(multipartError('Too many fields')));
    parser.on('error', (error: Error) => stop(parserRefusal(error)));
    parser.on('close', () => {
      if (settled) return;
      Promise.all(writes).then(() => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        resolve({ fields, files });
      }, stop);
    });
    req.on('data', onData);
    req.once('end', () => clearTimeout(idle));
    req.once('close', () => {
      if (!req.complete) stop(FeishuErrors.invalidRequest('The caller went away mid-upload.'));
    });
    req.pipe(parser);
  });
}
