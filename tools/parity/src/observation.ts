/** One HTTP answer as the suite received it, before anything is kept. */
export interface Exchange {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * What a step keeps of an answer: only what two Feishus should agree on. Values that are
 * naturally different (guids, tokens, times, log ids, URLs) are reduced to their JSON type, so an
 * observation holds no secret and can be attached to an issue.
 */
export interface Observation {
  status: number;
  /** Feishu `code`, when the body is JSON with one. */
  code?: number;
  /** How the body came: JSON, text, bytes or nothing. */
  body: 'json' | 'text' | 'bytes' | 'empty';
  /** `path: type` of every JSON field, sorted; arrays as `path[]`. */
  shape: string[];
  /** The headers that matter, reduced to what is comparable. */
  headers: Record<string, string>;
  /** Values the suite makes equal on both sides (names, sizes, flags, roles). */
  values: Record<string, unknown>;
  /** Feishu's `msg` (or a text body), redacted; shown, never compared. */
  message?: string;
  /** Names in the order the list pages returned them (the list-order step). */
  order?: string[];
  /** Why no answer came (a dropped connection, a timeout). */
  error?: string;
}

export const LOG_ID_PATTERN = /^[0-9]{14}[0-9A-F]{20}$/;

/** JSON paths whose values both sides must agree on; everything else is compared by type. */
// `code` is compared on its own (Observation.code).
const COMPARED_VALUES = [
  /^data\.has_more$/,
  /^data\.(items\[\]|attachment|task\.attachments\[\])\.(name|size|is_cover)$/,
  /^data\.(items\[\]|attachment)\.(uploader\.(type|role)|resource\.type)$/,
  /^data\.(task|subtask)\.creator\.(type|role)$/,
  /^data\.(task|subtask)\.(status|completed_at|subtask_count)$/,
  /^(data\.)?token_type$/,
];

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Every field of a JSON value as `path: type`; array elements share the path `name[]`. */
export function shapeOf(value: unknown, path = ''): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, at: string) => {
    const type = jsonType(node);
    if (at !== '') found.add(`${at}: ${type}`);
    if (type === 'array') (node as unknown[]).forEach((item) => walk(item, `${at}[]`));
    if (type === 'object') {
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
        walk(child, at === '' ? key : `${at}.${key}`);
      }
    }
  };
  walk(value, path);
  return [...found].sort();
}

/** The compared values of a JSON body; array paths keep every element's value in order. */
function comparedValues(json: unknown): Record<string, unknown> {
  const values: Record<string, unknown[]> = {};
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((item) => walk(item, `${at}[]`));
    if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, at === '' ? key : `${at}.${key}`);
      return;
    }
    if (COMPARED_VALUES.some((pattern) => pattern.test(at))) (values[at] ??= []).push(node);
  };
  walk(json, '');
  return Object.fromEntries(
    Object.entries(values).map(([at, list]) => [at, at.includes('[]') ? list : list[0]]),
  );
}

/** `page_token` is a value no two services share, but whether it is absent, empty or set is a fact. */
function pageTokenState(json: unknown): string | undefined {
  const data = (json as { data?: Record<string, unknown> } | undefined)?.data;
  if (typeof data !== 'object' || data === null || !('has_more' in data)) return undefined;
  if (!('page_token' in data)) return 'absent';
  return data.page_token === '' ? 'empty string' : 'set';
}

function comparableHeaders(headers: Record<string, string>, download: boolean): Record<string, string> {
  const kept: Record<string, string> = {};
  const logId = headers['x-tt-logid'];
  if (logId !== undefined) {
    kept['x-tt-logid'] = LOG_ID_PATTERN.test(logId) ? 'present (yyyyMMddHHmmss + 20 hex)' : 'present';
  }
  if (headers['x-request-id'] !== undefined) kept['x-request-id'] = 'present';
  // The limit is a Feishu number; the reset counts down, so only its presence compares.
  if (headers['x-ogw-ratelimit-limit'] !== undefined)
    kept['x-ogw-ratelimit-limit'] = headers['x-ogw-ratelimit-limit'];
  if (headers['x-ogw-ratelimit-reset'] !== undefined) kept['x-ogw-ratelimit-reset'] = 'present';
  if (headers['retry-after'] !== undefined) kept['retry-after'] = 'present';
  if (headers['content-type'] !== undefined) {
    kept['content-type'] = headers['content-type'].toLowerCase().replace(/\s+/g, '');
  }
  if (headers['content-disposition'] !== undefined)
    kept['content-disposition'] = headers['content-disposition'];
  // A download's length is the file's, the same on both sides; a JSON body's is not.
  if (download && headers['content-length'] !== undefined) kept['content-length'] = headers['content-length'];
  if (download && headers['cache-control'] !== undefined) kept['cache-control'] = headers['cache-control'];
  if (download && headers.location !== undefined) kept.location = 'present (redirect)';
  return kept;
}

/** Reduces an answer to its observation. `download` marks a file download, whose bytes are not kept. */
export function observe(exchange: Exchange, options: { download?: boolean } = {}): Observation {
  const text = exchange.body.toString('utf8');
  const contentType = exchange.headers['content-type'] ?? '';
  let json: unknown;
  let body: Observation['body'] = exchange.body.length === 0 ? 'empty' : 'bytes';
  if (exchange.body.length > 0 && (contentType.includes('json') || /^\s*[{[]/.test(text))) {
    try {
      json = JSON.parse(text);
      body = 'json';
    } catch {
      // not JSON after all
    }
  }
  if (body === 'bytes' && !options.download && /^text\//.test(contentType)) body = 'text';
  const observation: Observation = {
    status: exchange.status,
    body,
    shape: body === 'json' ? shapeOf(json) : [],
    headers: comparableHeaders(exchange.headers, options.download ?? false),
    values: body === 'json' ? comparedValues(json) : {},
  };
  const code = (json as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number') observation.code = code;
  const pageToken = pageTokenState(json);
  if (pageToken) observation.values['data.page_token'] = pageToken;
  const msg = (json as { msg?: unknown; error_description?: unknown } | undefined)?.msg;
  if (typeof msg === 'string') observation.message = msg;
  else if (body === 'text') observation.message = text.slice(0, 200);
  return observation;
}

/**
 * How a time moved between two answers (`updated_at` before and after a call): a relation both
 * sides can agree on, where the times themselves never compare.
 */
export type TimeRelation = 'moved on' | 'unchanged' | 'moved back' | 'absent';

export function timeRelation(before: unknown, after: unknown): TimeRelation {
  const ms = (value: unknown) =>
    typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : undefined;
  const [from, to] = [ms(before), ms(after)];
  if (from === undefined || to === undefined) return 'absent';
  if (to === from) return 'unchanged';
  return to > from ? 'moved on' : 'moved back';
}

export function failedObservation(error: unknown): Observation {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
  return { status: 0, body: 'empty', shape: [], headers: {}, values: {}, error: `no answer: ${reason}` };
}
