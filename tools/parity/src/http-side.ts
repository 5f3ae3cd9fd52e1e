import type { Exchange } from './observation.js';

/** The `fetch` the suite calls; injectable so a proxy dispatcher (or a test double) can sit in it. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface CallOptions {
  token?: string;
  json?: unknown;
  form?: FormData;
  /** A body sent byte for byte, for shapes FormData cannot make (a file part with no filename). */
  raw?: { contentType: string; body: Buffer };
  query?: Record<string, string | number | undefined>;
  /** A full URL instead of a path under the base URL (download URLs). */
  absolute?: boolean;
}

/**
 * One side of the comparison: a base URL and the fetch that reaches it. Plain fetch rather than
 * the workspace client, because the suite must see raw statuses, headers and bodies, including
 * the ones a client would retry or turn into errors.
 */
export class HttpSide {
  constructor(
    readonly baseUrl: string,
    private readonly fetchFn: FetchLike,
    private readonly timeoutMs = 60_000,
  ) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<Exchange> {
    const url = new URL(options.absolute ? path : path.replace(/^\//, ''), this.withSlash(this.baseUrl));
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(options.json);
    } else if (options.raw) {
      headers['content-type'] = options.raw.contentType;
      body = new Uint8Array(options.raw.body);
    } else if (options.form) {
      // Encoded here rather than by the fetch: a proxying fetch (undici's) may not know Node's FormData.
      const encoded = new Response(options.form);
      headers['content-type'] = encoded.headers.get('content-type') as string;
      body = Buffer.from(await encoded.arrayBuffer());
    }
    const response = await this.fetchFn(url.toString(), {
      method,
      headers,
      body,
      // A download that redirects is a fact to record, not to follow.
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const answerHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      answerHeaders[name.toLowerCase()] = value;
    });
    return { status: response.status, headers: answerHeaders, body: bytes };
  }

  private withSlash(base: string): string {
    return base.endsWith('/') ? base : `${base}/`;
  }
}
