import Busboy, { type BusboyInstance } from '@fastify/busboy';
import type { Request } from 'express';
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD, UploadField } from '@feishu-attachments/api-client/wire';
import { BlobStore } from '../../core/blobs/blob-store.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { UNNAMED_FILE } from '../../core/attachments/attachment.js';
import { parseResourceId, parseResourceType } from './attachment.params.js';

/** The emulator's own bounds on a form (Feishu's has two text fields and up to five files). */
export const MAX_FIELDS = 20;
export const MAX_PARTS = 40;
/**
 * The largest body an upload that keeps every limit can have: five files at the limit plus room
 * for its fields and part headers. A Content-Length above it is refused before reading.
 */
export const MAX_UPLOAD_BODY_BYTES = MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + 1024 * 1024;
/** Per text field: the parser's default. */
export const MAX_FIELD_BYTES = 1024 * 1024;

/**
 * The parser says a text field was too long only when the field's part ends, so a field that never
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

/** The parser's own error texts are not echoed; each known one gets a message of ours. */
function parserRefusal(error: unknown) {
  const message = error instanceof Error ? error.message : '';
  if (/unexpected end/i.test(message)) return multipartError('the body ended before its closing boundary');
  if (/header/i.test(message)) return multipartError('a part header is malformed');
  return multipartError('it could not be parsed');
}

/**
 * Browsers and undici write `"`, CR and LF in form-data names as %22, %0D, %0A (WHATWG); the parser
 * leaves them escaped. Multer reversed exactly these three, and names keep meaning the same.
 */
const decodeFormDataName = (name: string) =>
  name.replace(/%0A|%0D|%22/gi, (match) =>
    match.toUpperCase() === '%0A' ? '\n' : match.toUpperCase() === '%0D' ? '\r' : '"',
  );

/**
 * What makes a part a file: its name `file` (the official Python SDK and node-sdk with a Buffer
 * send the file with no filename and, from Python, no Content-Type), a filename, or a binary type.
 * busboy 1.x has no such hook and would take a nameless Python file for a text field, so the
 * receiver uses @fastify/busboy, which has.
 */
const isFilePart = (
  rawName: string | undefined,
  contentType: string | undefined,
  filename: string | undefined,
) =>
  (rawName !== undefined && decodeFormDataName(rawName) === UploadField.File) ||
  filename !== undefined ||
  contentType === 'application/octet-stream';

/**
 * Streams an upload's `file` parts into the blob store and enforces every limit as the bytes
 * arrive: the promise rejects (with the Feishu refusal) as soon as one is crossed, once the
 * partial blobs are removed, without reading the rest of the body. A streaming parser directly
 * rather than multer: multer 2 reads a refused body to its end before it reports the limit, and
 * has no idle timeout.
 */
export function receiveUpload(
  req: Request,
  blobs: BlobStore,
  options: { idleBodyTimeoutMs: number },
): Promise<ReceivedForm> {
  return new Promise((resolve, reject) => {
    let parser: BusboyInstance;
    try {
      parser = Busboy({
        headers: req.headers as Parameters<typeof Busboy>[0]['headers'],
        isPartAFile: isFilePart,
        // Each limit is "at most N": the parser reports the part that goes past it.
        limits: {
          files: MAX_FILES_PER_UPLOAD,
          fileSize: MAX_FILE_BYTES,
          fields: MAX_FIELDS,
          parts: MAX_PARTS,
          fieldSize: MAX_FIELD_BYTES,
        },
      });
    } catch {
      reject(multipartError('the Content-Type header needs a boundary'));
      return;
    }
    const fields: Record<string, string | string[]> = {};
    const files: ReceivedFile[] = [];
    const writes: Promise<void>[] = [];
    // Stops every blob write at a refusal, whatever state its part stream is in.
    const abort = new AbortController();
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
      // The parser may still report on streams it had open; nothing listens any more.
      parser.on('error', () => undefined);
      abort.abort();
      // Not at once: stop can run inside the parser's own loop, which goes on with its state.
      setImmediate(() => parser.destroy());
      // The answer waits for the partial blobs to be gone, so none outlives the refusal.
      void Promise.allSettled(writes)
        .then(() =>
          Promise.all(files.filter((file) => file.blobKey).map((file) => blobs.delete(file.blobKey))),
        )
        .finally(() => reject(error));
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
            stop(FeishuErrors.bodyStalled(idleMs));
          }, idleMs)
        : undefined;
    const onData = (chunk: Buffer) => {
      idle?.refresh();
      bytesIn += chunk.length;
      if (bytesIn - fileBytes - otherBytesAtPartStart > MAX_FIELD_BYTES + FIELD_GUARD_SLACK_BYTES) {
        stop(multipartError('Field value too long'));
      }
    };

    parser.on(
      'file',
      (rawField: string | undefined, stream, filename: string | undefined, _encoding, mimeType) => {
        partStarted();
        stream.on('data', (chunk: Buffer) => (fileBytes += chunk.length));
        // An aborted write destroys the part midway; stop has already said why.
        stream.on('error', () => undefined);
        if (rawField === undefined) {
          stream.resume();
          return stop(multipartError('Field name missing'));
        }
        const field = decodeFormDataName(rawField);
        const name = filename ? decodeFormDataName(filename) : undefined;
        stream.on('limit', () =>
          stop(
            FeishuErrors.invalidParam(
              'file',
              `each file must be at most ${MAX_FILE_BYTES} bytes (50 MiB)${name ? `; '${name}' is larger` : ''}`,
            ),
          ),
        );
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
          originalname: name ?? UNNAMED_FILE,
          mimetype: mimeType,
          size: 0,
          blobKey: '',
        };
        files.push(file);
        writes.push(
          blobs.write(stream, { signal: abort.signal }).then(
            (stored) => {
              file.blobKey = stored.key;
              file.size = stored.size;
            },
            // After a refusal the failed write is the refusal's doing; before one, it is the answer.
            (error: unknown) => void (settled || stop(error)),
          ),
        );
      },
    );
    parser.on(
      'field',
      (rawName: string | undefined, value: string, _nameTruncated: boolean, valueTruncated: boolean) => {
        partStarted();
        if (rawName === undefined) return stop(multipartError('Field name missing'));
        if (valueTruncated) return stop(multipartError('Field value too long'));
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
      },
    );
    parser.on('filesLimit', () =>
      stop(FeishuErrors.invalidParam('file', `at most ${MAX_FILES_PER_UPLOAD} files per request`)),
    );
    parser.on('partsLimit', () => stop(multipartError('Too many parts')));
    parser.on('fieldsLimit', () => stop(multipartError('Too many fields')));
    parser.on('error', (error: unknown) => stop(parserRefusal(error)));
    parser.on('finish', () => {
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
