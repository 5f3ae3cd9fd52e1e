import { parseBody, type RawAnswer } from './answer.js';
import type { BodySource } from './request-spec.js';

/** What ky's `fetch` option is called with and must return. */
export type KyFetch = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/**
 * A Feishu answer already read whole: its body is kept parsed in `parsed` (the Response's own
 * body stream is empty), with the time the exchange took. ky hands it to the afterResponse hook
 * and then back to the transport, so the body is read and parsed once.
 */
export class ReadAnswer extends Response implements RawAnswer {
  constructor(
    answer: Response,
    readonly parsed: unknown,
    readonly durationMs: number,
  ) {
    super(null, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  }

  /**
   * ky clones the answer for each afterResponse hook, so that a hook can read the body while ky
   * keeps its own copy. This one has nothing left to read and cannot change: it is its own copy.
   */
  override clone(): ReadAnswer {
    return this;
  }
}

/**
 * ky's `fetch` for API calls: one exchange with the injected fetch, whose (small, JSON) answer is
 * read whole before it returns. ky's timeout runs around this function, so `timeouts.requestMs`
 * bounds the whole exchange, a body that stalls after the headers included, and a body cut off
 * midway fails the exchange like a refused connection.
 */
export function readingFetch(fetch: typeof globalThis.fetch): KyFetch {
  return async (input, init) => {
    const started = performance.now();
    const response = await fetch(input, init);
    const parsed = parseBody(await response.text());
    return new ReadAnswer(response, parsed, Math.round(performance.now() - started));
  };
}

/**
 * ky's `fetch` for an upload: the multipart body is made afresh for each attempt (a stream is
 * sent only once) and attached here, after ky has cloned its Request for the next retry. ky
 * clones every Request it sends, and a clone tees a streamed body: the copy nobody reads would
 * buffer the whole upload. So ky's own Request carries no body.
 *
 * Node's fetch also keeps a copy of a streamed body for redirects unless told that none will be
 * followed (`redirect: 'error'`, `window: null`); Feishu's API never redirects.
 */
export function sendingBody(body: BodySource, send: KyFetch): KyFetch {
  return async (input, init) => {
    const created = body.create();
    const outgoing = new Request(input, { body: created.body, duplex: 'half' } as RequestInit);
    for (const [name, value] of Object.entries(created.headers)) outgoing.headers.set(name, value);
    try {
      return await send(outgoing, { ...init, redirect: 'error', window: null });
    } catch (error) {
      // A body that stopped itself (a file grew past 50 MiB) reaches fetch's caller as fetch's own
      // failure, whose cause is lost across realms: the body says why.
      throw body.failure?.() ?? error;
    }
  };
}
