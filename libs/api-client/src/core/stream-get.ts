import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { FeishuTimeoutError, FeishuValidationError } from './errors.js';
import { translateFailure } from './failure.js';

/** An answer whose body is a Node stream, not yet read. */
export interface StreamedAnswer {
  status: number;
  /** A header's value (lower-case name), or null when absent. */
  header(name: string): string | null;
  body: IncomingMessage;
}

/**
 * A plain GET over `node:http`/`node:https` whose body stays a Node stream. Node's `fetch` moves a
 * large download at about half the speed (its body is a web stream, tools/bench/findings.md), so
 * downloads that are piped on, as a server relaying them does, come through here. `timeoutMs`
 * bounds the wait for the headers, as ky's timeout does on `fetch` downloads; the body then
 * streams for as long as it takes. Aborting `signal` ends the request or, once it answered, the
 * body. Failures come out as the client's errors (FeishuTimeoutError, FeishuConnectionError, or
 * the abort reason).
 */
export function streamGet(
  url: string,
  { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal },
): Promise<StreamedAnswer> {
  signal?.throwIfAborted();
  const target = new URL(url);
  const what = { method: 'GET', path: target.pathname };
  const transport = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
  if (!transport) {
    return Promise.reject(new FeishuValidationError(`Cannot download from a ${target.protocol} URL.`));
  }
  return new Promise<StreamedAnswer>((resolve, reject) => {
    let answered: IncomingMessage | undefined;
    const request = transport.get(target, (response) => {
      answered = response;
      clearTimeout(timer);
      // Until the body has ended, an abort ends it too; the reader's pipeline sees the reason.
      response.once('close', () => signal?.removeEventListener('abort', onAbort));
      resolve({
        status: response.statusCode ?? 0,
        header: (name) => {
          const value = response.headers[name];
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
        },
        body: response,
      });
    });
    const onAbort = () => {
      request.destroy(signal?.reason);
      answered?.destroy(signal?.reason);
    };
    const timer = setTimeout(
      () =>
        request.destroy(
          new FeishuTimeoutError(`No answer to GET ${what.path} within ${timeoutMs} ms`, timeoutMs),
        ),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(translateFailure(error, signal, what, timeoutMs));
    });
  });
}
