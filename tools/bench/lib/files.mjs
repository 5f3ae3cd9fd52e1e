// Test files on disk, and the plain node:http client the transfer pairs use. Not fetch: on this
// machine Node's fetch moves about half the bytes per second node:http does (FormData uploads
// ~210 MB/s vs ~300, downloads ~380 MB/s vs ~550), so with fetch the client, not the server,
// would set the limit.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** `count` files of `bytes` each under `dir` (each a different byte value); reused when present. */
export function ensureFiles(dir, count, bytes) {
  return Array.from({ length: count }, (_, index) => {
    const path = join(dir, `file-${index}-${bytes}.bin`);
    if (!existsSync(path) || statSync(path).size !== bytes)
      writeFileSync(path, Buffer.alloc(bytes, index + 1));
    return path;
  });
}

/**
 * A multipart/form-data body streamed from the files, with its exact length, so it goes out with
 * Content-Length as a browser's or curl's would. `body()` makes a fresh stream for each send.
 */
export function multipart(paths, fields = {}, fileField = 'file') {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const pieces = [];
  for (const [name, value] of Object.entries(fields)) {
    pieces.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const path of paths) {
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${basename(path)}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      { path, size: statSync(path).size },
      Buffer.from('\r\n'),
    );
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  const length = pieces.reduce((sum, piece) => sum + (Buffer.isBuffer(piece) ? piece.length : piece.size), 0);
  async function* chunks() {
    for (const piece of pieces) {
      if (Buffer.isBuffer(piece)) yield piece;
      else yield* createReadStream(piece.path, { highWaterMark: 256 * 1024 });
    }
  }
  return {
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(length),
    },
    body: () => Readable.from(chunks(), { objectMode: false }),
  };
}

/** Sends a multipart body; resolves with the status and the answer's text. */
export function postMultipart(url, form, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { ...headers, ...form.headers } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    pipeline(form.body(), request).catch(reject);
  });
}

/** GETs `url` and reads the body to the end without keeping it; resolves with its byte count. */
export function download(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`GET ${url} → ${response.statusCode}`));
          return;
        }
        let bytes = 0;
        response.on('data', (chunk) => (bytes += chunk.length));
        response.on('end', () => resolve(bytes));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}
