/** Options every call takes. */
export interface CallOptions {
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal;
  /** Act as this user instead of the client's own identity. */
  userAccessToken?: string;
}

/** A request body built afresh for each attempt, since a stream can be sent only once. */
export interface BodySource {
  /** False when the body comes from a one-shot stream and so cannot be sent again. */
  replayable: boolean;
  create(): { body: BodyInit; headers: Record<string, string> };
  /**
   * Why the last body created stopped itself (a file grew past 50 MiB), if it did. fetch reports
   * such a stop as its own failure, and keeps the original only as `cause` when the error comes
   * from its own realm, so the transport asks the body instead.
   */
  failure?(): unknown;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: BodySource;
  /** Uploads get the transfer timeout; everything else the request timeout. */
  transfer?: boolean;
  /**
   * Whether the call may safely run twice, and so be retried after a server error or a lost
   * answer. @default true for GET and DELETE, false for POST and PATCH (a PATCH is safe to
   * repeat only when what it sets does not depend on what is there, so its call says so)
   */
  idempotent?: boolean;
}

export const isIdempotent = (spec: RequestSpec): boolean =>
  spec.idempotent ?? (spec.method === 'GET' || spec.method === 'DELETE');

/**
 * The URL with its query, written here rather than through ky's `searchParams`, with which ky
 * builds its Request twice on every call.
 */
export function urlOf(baseUrl: string, spec: RequestSpec): string {
  const query: Record<string, string> = {};
  let any = false;
  for (const [key, value] of Object.entries(spec.query ?? {})) {
    if (value !== undefined) {
      query[key] = String(value);
      any = true;
    }
  }
  const url = `${baseUrl}${spec.path}`;
  return any ? `${url}?${new URLSearchParams(query).toString()}` : url;
}
