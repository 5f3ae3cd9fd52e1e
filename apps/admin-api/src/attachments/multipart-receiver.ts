import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client';
import {
  receiveMultipart,
  type FileSink,
  type IntakeLimits,
  type LingerBounds,
} from '@feishu-attachments/multipart-intake';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The multipart part name Feishu uses, kept here so callers can send the same form to both. */
export const FILE_FIELD = 'file';

/** A file part written to this request's temporary folder. */
export interface UploadedPart {
  path: string;
  name: string;
  contentType: string;
  size: number;
}

/** Feishu's file limits; text fields are not needed at all, so their bounds are tight. */
export const UPLOAD_LIMITS: IntakeLimits = {
  files: MAX_FILES_PER_UPLOAD,
  fileSize: MAX_FILE_BYTES,
  fields: 20,
  parts: MAX_FILES_PER_UPLOAD + 20,
  fieldSize: 64 * 1024,
};

/**
 * After an early refusal, what the caller may still send is read and dropped, at most what the
 * largest upload could still have to send (the time bounds are nginx's, the intake's defaults).
 */
export const UPLOAD_LINGER: Partial<LingerBounds> = {
  maxBytes: MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + 1024 * 1024,
};

/** Each file part to a file of its own in `dir`; a write that fails or is aborted removes its file. */
function folderSink(dir: string): FileSink {
  return {
    async write(stream, { signal }) {
      const path = join(dir, randomUUID());
      const out = createWriteStream(path);
      try {
        await pipeline(stream, out, { signal });
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      return { key: path, size: out.bytesWritten };
    },
    remove: (path) => rm(path, { force: true }),
  };
}

/**
 * Streams a multipart body's `file` parts to files in `dir` through the shared intake, which
 * enforces every limit as the bytes arrive and removes the files already written before it refuses
 * (with a `MultipartRefusal`, which multipart-refusal.mapper.ts turns into admin-api's answer).
 */
export async function receiveParts(
  req: IncomingMessage,
  dir: string,
  options: { idleBodyTimeoutMs: number },
): Promise<UploadedPart[]> {
  const { files } = await receiveMultipart(req, {
    limits: UPLOAD_LIMITS,
    idleBodyTimeoutMs: options.idleBodyTimeoutMs,
    fileField: FILE_FIELD,
    // A part without a filename is a text field here (and ignored): Feishu needs the name.
    isFile: (part) => Boolean(part.filename),
    sink: folderSink(dir),
  });
  return files.map((file) => ({
    path: file.key,
    name: file.filename ?? '',
    contentType: file.contentType || 'application/octet-stream',
    size: file.size,
  }));
}
