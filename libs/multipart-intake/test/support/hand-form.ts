import { request, type ClientRequest } from 'node:http';

/** A multipart body written by hand, part by part, so a test can stop sending midway. */
export function handForm(boundary = `intake-${Math.random().toString(16).slice(2)}`) {
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    field: (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    fieldHead: (name: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`,
    fileHead: (filename: string | undefined, field = 'file', type = 'application/octet-stream') =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"` +
      `${filename === undefined ? '' : `; filename="${filename}"`}\r\nContent-Type: ${type}\r\n\r\n`,
    file: (filename: string, content: string | Buffer, field = 'file') =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        ),
        Buffer.from(content),
        Buffer.from('\r\n'),
      ]),
    partEnd: '\r\n',
    end: `--${boundary}--\r\n`,
  };
}

/** A POST the test writes itself; the connection's errors after a refusal are expected. */
export function openPost(port: number, contentType: string | undefined): ClientRequest {
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/upload',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
  });
  req.on('error', () => undefined);
  return req;
}

/**
 * Writes `chunk` until `outcome` has settled or `cap` bytes are out, waiting for the connection to
 * drain, and returns how many bytes it wrote: a server that waited for the end of the body would
 * let it write all of `cap`.
 */
export async function writeUntil(
  req: ClientRequest,
  outcome: Promise<unknown>,
  chunk: Buffer,
  cap: number,
): Promise<number> {
  let settled = false;
  const done = outcome.then(() => void (settled = true));
  let written = 0;
  while (!settled && written < cap && !req.destroyed) {
    const flushed = req.write(chunk);
    written += chunk.length;
    // A refusal stops the server reading, so no drain may come after it: the outcome ends the wait too.
    if (!flushed) {
      let go = () => undefined as void;
      await Promise.race([
        done,
        new Promise<void>((resolve) => {
          go = resolve;
          req.once('drain', go);
          req.once('close', go);
        }),
      ]);
      req.off('drain', go);
      req.off('close', go);
    }
  }
  return written;
}
