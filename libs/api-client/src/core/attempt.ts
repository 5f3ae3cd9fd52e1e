import type { ResolvedClientOptions } from '../client-options.js';
import { LOG_ID_HEADER } from '../wire/index.js';
import { codeOf, parseBody, unwrap, type RawAnswer } from './answer.js';
import { FeishuTimeoutError } from './errors.js';
import { translateFailure } from './failure.js';
import type { RequestSpec } from './request-spec.js';

/** What one call carries from attempt to attempt while ky drives them. */
export interface CallState {
  readonly spec: RequestSpec;
  readonly signal?: AbortSignal;
  /** The token endpoint answers flat, without an envelope: its answer is kept as read. */
  readonly raw: boolean;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** The last answer read, and its envelope once Feishu answered `code: 0`. */
  answer?: RawAnswer;
  envelope?: unknown;
}

const noop = () => undefined;

/** A body-less request not (yet) made into a Request: fetch builds the one it needs from it. */
export interface PlainRequest {
  url: string;
  method: string;
  headers: Headers;
}

/**
 * One attempt, given to ky as its `fetch` (or called directly for a body-less call's first
 * attempt): the request has its URL, method and token; this sends it and reads the answer, and
 * ky's retry decides what follows a failure.
 *
 * Done here rather than by ky, because ky cannot express it:
 * - One timeout bounds the whole attempt, headers and body. ky's `timeout` ends when the headers
 *   arrive, and a second timer and race for the body on every call is what made the client slow
 *   (tools/bench/findings.md), so ky's timeout is off and one timer here covers both.
 * - The body is attached here, made afresh for each attempt (a stream is sent only once). ky
 *   clones every Request it sends to keep a copy for its retries, and a clone tees a streamed
 *   body: the unread copy would buffer the whole upload. So ky's Request never carries a body.
 *   Node's fetch also keeps a copy of a streamed body for redirects unless told that none will be
 *   followed (`redirect: 'error'`, `window: null`); Feishu's API never redirects.
 * - Feishu's verdict is in the body (`code`, even with HTTP 200), so the body is read here and a
 *   non-zero code thrown as a FeishuApiError: ky then asks the transport's `shouldRetry`, as for
 *   any other failure. (An afterResponse hook would get a clone, a second copy of every body.)
 */
export async function runAttempt(
  request: Request | PlainRequest,
  state: CallState,
  options: ResolvedClientOptions,
): Promise<Response> {
  const { spec, signal } = state;
  const what = { method: spec.method, path: spec.path };
  const timeoutMs = spec.transfer ? options.transferTimeoutMs : options.requestTimeoutMs;
  const controller = new AbortController();
  let response: Response | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new FeishuTimeoutError(
        response
          ? `The answer to ${what.method} ${what.path} did not finish within ${timeoutMs} ms`
          : `No answer to ${what.method} ${what.path} within ${timeoutMs} ms`,
        timeoutMs,
      );
      controller.abort(error);
      response?.body?.cancel().catch(noop);
      reject(error);
    }, timeoutMs);
  });
  expired.catch(noop);

  const started = performance.now();
  let text: string;
  try {
    const attemptSignal = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    const [outgoing, init] = withBody(request, spec, attemptSignal);
    response = await Promise.race([options.fetch(outgoing, init), expired]);
    text = await Promise.race([response.text(), expired]);
  } catch (error) {
    // A connection cut while the body arrives is a connection error like any other (and retried as one).
    throw translateFailure(spec.body?.failure?.() ?? error, signal, what, timeoutMs);
  } finally {
    clearTimeout(timer);
  }

  const body = parseBody(text);
  const code = codeOf(body);
  const durationMs = Math.round(performance.now() - started);
  const logId = response.headers.get(LOG_ID_HEADER) ?? undefined;
  options.hooks.afterResponse?.({
    ...what,
    attempt: state.attempt,
    status: response.status,
    code,
    logId,
    durationMs,
  });
  options.logger.debug?.(`feishu ← ${what.method} ${what.path} ${response.status}`, {
    code,
    logId,
    durationMs,
  });
  state.answer = { status: response.status, headers: response.headers, body };
  if (!state.raw) state.envelope = unwrap(what, state.answer);
  // Read already: ky hands it back as it is (no afterResponse hooks, no HTTP errors thrown).
  return response;
}

/** The request to send, with this attempt's body, and fetch's options for it. */
function withBody(
  request: Request | PlainRequest,
  spec: RequestSpec,
  signal: AbortSignal,
): [Request | string, RequestInit] {
  if (!(request instanceof Request)) {
    return [request.url, { method: request.method, headers: request.headers, signal }];
  }
  if (spec.body) {
    const created = spec.body.create();
    const outgoing = new Request(request, { body: created.body, duplex: 'half' } as RequestInit);
    for (const [name, value] of Object.entries(created.headers)) outgoing.headers.set(name, value);
    return [outgoing, { redirect: 'error', window: null, signal }];
  }
  if (spec.json !== undefined) {
    const outgoing = new Request(request, { body: JSON.stringify(spec.json) });
    outgoing.headers.set('content-type', 'application/json; charset=utf-8');
    return [outgoing, { signal }];
  }
  return [request, { signal }];
}
