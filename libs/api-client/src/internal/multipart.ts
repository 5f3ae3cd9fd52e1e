import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD, UploadField } from '../wire/index.js';
import { FeishuValidationError } from '../core/errors.js';
import { progressCounter, type ProgressListener } from '../core/progress.js';
import type { BodySource } from '../core/request-spec.js';

/** One file to upload: bytes in memory, a file on disk, or a stream. */
export type UploadFile =
  | { name: string; data: Uint8Array | Blob | string; contentType?: string }
  | { path: string; name?: string; contentType?: string }
  | {
      name: string;
      stream: Readable | ReadableStream<Uint8Array>;
      /** Known size, checked against the 50 MiB limit before sending; otherwise checked while sending. */
      size?: number;
      contentType?: string;
    };

interface PreparedFile {
  name: string;
  contentType: string;
  size?: number;
  open(): AsyncIterable<Uint8Array>;
  replayable: boolean;
}

const encoder = new TextEncoder();

/** Checks Feishu's upload limits and turns the files into a streamed multipart body, before any request. */
export async function prepareUpload(
  fields: Record<string, string>,
  files: readonly UploadFile[],
  onProgress?: ProgressListener,
): Promise<BodySource> {
  if (!Array.isArray(files) || files.length === 0) {
    throw new FeishuValidationError('Upload needs at least one file.');
  }
  if (files.length > MAX_FILES_PER_UPLOAD) {
    throw new FeishuValidationError(
      `Feishu takes at most ${MAX_FILES_PER_UPLOAD} files per upload; got ${files.length}.`,
    );
  }
  const prepared = await Promise.all(files.map(prepareFile));
  for (const file of prepared) {
    if (file.size !== undefined && file.size > MAX_FILE_BYTES) {
      throw new FeishuValidationError(
        `'${file.name}' is ${file.size} bytes; Feishu takes at most ${MAX_FILE_BYTES} bytes (50 MiB) per file.`,
      );
    }
  }
  let stopped: FeishuValidationError | undefined;
  return {
    replayable: prepared.every((file) => file.replayable),
    create: () => {
      stopped = undefined;
      return encode(fields, prepared, (error) => (stopped = error), onProgress);
    },
    failure: () => stopped,
  };
}

async function prepareFile(file: UploadFile, index: number): Promise<PreparedFile> {
  const invalid = (why: string) => new FeishuValidationError(`File ${index + 1}: ${why}`);
  if (typeof file !== 'object' || file === null)
    throw invalid('expected { name, data }, { path } or { name, stream }.');
  if ('path' in file) {
    const info = await stat(file.path).catch(() => undefined);
    if (!info?.isFile()) throw invalid(`${file.path} is not a readable file.`);
    return {
      name: file.name ?? basename(file.path),
      contentType: file.contentType ?? 'application/octet-stream',
      size: info.size,
      open: () => createReadStream(file.path),
      replayable: true,
    };
  }
  if (!file.name) throw invalid('a name is required.');
  if ('data' in file) {
    const data = typeof file.data === 'string' ? encoder.encode(file.data) : file.data;
    if (data instanceof Blob) {
      return {
        name: file.name,
        contentType: file.contentType ?? (data.type || 'application/octet-stream'),
        size: data.size,
        open: () => data.stream() as unknown as AsyncIterable<Uint8Array>,
        replayable: true,
      };
    }
    return {
      name: file.name,
      contentType: file.contentType ?? 'application/octet-stream',
      size: data.byteLength,
      open: async function* () {
        yield data;
      },
      replayable: true,
    };
  }
  if ('stream' in file) {
    let used = false;
    return {
      name: file.name,
      contentType: file.contentType ?? 'application/octet-stream',
      size: file.size,
      open: () => {
        if (used) throw new FeishuValidationError(`'${file.name}' is a stream and was already sent once.`);
        used = true;
        return file.stream as AsyncIterable<Uint8Array>;
      },
      replayable: false,
    };
  }
  throw invalid('expected { name, data }, { path } or { name, stream }.');
}

// Browsers' escaping for names in multipart headers (WHATWG HTML "multipart/form-data encoding").
const quote = (value: string) => value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

function encode(
  fields: Record<string, string>,
  files: PreparedFile[],
  onStop: (error: FeishuValidationError) => void,
  onProgress: ProgressListener | undefined,
): { body: BodyInit; headers: Record<string, string> } {
  const boundary = `----feishu-attachments-${randomBytes(12).toString('hex')}`;
  const fieldBytes = Object.entries(fields).map(([name, value]) =>
    encoder.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`,
    ),
  );
  const fileHeads = files.map((file) =>
    encoder.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="${UploadField.File}"; filename="${quote(file.name)}"\r\n` +
        `Content-Type: ${file.contentType}\r\n\r\n`,
    ),
  );
  const crlf = encoder.encode('\r\n');
  const closing = encoder.encode(`--${boundary}--\r\n`);

  const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  if (files.every((file) => file.size !== undefined)) {
    const length =
      fieldBytes.reduce((sum, part) => sum + part.byteLength, 0) +
      files.reduce(
        (sum, file, index) => sum + fileHeads[index].byteLength + (file.size as number) + crlf.byteLength,
        0,
      ) +
      closing.byteLength;
    headers['content-length'] = String(length);
  }

  async function* parts(): AsyncGenerator<Uint8Array> {
    yield* fieldBytes;
    for (const [index, file] of files.entries()) {
      yield fileHeads[index];
      let sent = 0;
      for await (const chunk of file.open()) {
        const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
        sent += bytes.byteLength;
        if (sent > MAX_FILE_BYTES) {
          const error = new FeishuValidationError(
            `'${file.name}' is over ${MAX_FILE_BYTES} bytes (50 MiB); the upload was stopped.`,
          );
          onStop(error);
          throw error;
        }
        yield bytes;
      }
      yield crlf;
    }
    yield closing;
  }
  // Progress is counted here, as fetch takes each chunk of this stream, rather than by ky's
  // onUploadProgress: ky wraps the body of its own Request, which the transport must keep empty
  // (ky clones it, and a clone of a stream buffers it whole), and it cannot size a stream body.
  const counter = onProgress && progressCounter(Number(headers['content-length'] ?? 0), onProgress);
  return { body: toWebStream(parts(), counter), headers };
}

/** A pull-based stream: the next chunk is read only when fetch wants it, so memory stays flat. */
function toWebStream(
  iterable: AsyncGenerator<Uint8Array>,
  counter?: ReturnType<typeof progressCounter>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterable.next();
        if (done) {
          controller.close();
          counter?.done();
        } else {
          controller.enqueue(value);
          counter?.add(value.byteLength);
        }
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterable.return(undefined);
    },
  });
}
