import { watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const encoder = new TextEncoder();

/** A request body the test writes piece by piece, to act like a slow or vanishing client. */
export function controllableBody(): {
  body: ReadableStream<Uint8Array>;
  push(chunk: Uint8Array | string): void;
  end(): void;
} {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    body,
    push: (chunk) => controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk),
    end: () => controller.close(),
  };
}

/** The pieces of a multipart/form-data body, for bodies sent in parts. */
export function multipart(boundary = `----admin-api-test-${Math.random().toString(16).slice(2)}`) {
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    fileHead: (filename: string, field = 'file', type = 'application/octet-stream') =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    fieldPart: (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    partEnd: '\r\n',
    close: `--${boundary}--\r\n`,
  };
}

/** Sizes of the files under `dir`, by relative path. */
export async function filesUnder(dir: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const entry of await readdir(dir, { recursive: true }).catch(() => [] as string[])) {
    const info = await stat(join(dir, String(entry))).catch(() => undefined);
    if (info?.isFile()) sizes.set(String(entry), info.size);
  }
  return sizes;
}

/**
 * Resolves once `check` holds for the files under `dir`, re-checking whenever something there
 * changes (inotify, no polling); fails after `timeoutMs` with `what` in the message.
 */
export function whenFiles(
  dir: string,
  check: (files: Map<string, number>) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const watcher = watch(dir, { recursive: true });
    const finish = (error?: Error, files?: Map<string, number>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      watcher.close();
      if (error) reject(error);
      else resolve(files!);
    };
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), timeoutMs);
    const evaluate = () =>
      void filesUnder(dir).then((files) => {
        if (check(files)) finish(undefined, files);
      });
    watcher.on('change', evaluate);
    watcher.on('error', (error) => finish(error));
    evaluate();
  });
}
