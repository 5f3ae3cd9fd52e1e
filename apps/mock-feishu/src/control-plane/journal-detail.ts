import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Bytes of a body the journal keeps per entry; past that it keeps the start and says so. */
export const JOURNAL_BODY_LIMIT = 16 * 1024;
export const MASK = '***';

/** One part of a multipart body, without its bytes. */
export interface JournalPart {
  name: string;
  filename?: string;
  size: number;
  content_type?: string;
}

/** What the journal keeps of a body: parsed JSON, the start of a text, or the parts of a form. */
export interface JournalBody {
  content_type?: string;
  /** Bytes on the wire (for a request: as the client declared them, when it did). */
  size?: number;
  json?: unknown;
  text?: string;
  parts?: JournalPart[];
  /** The body was longer than the journal keeps; `text` holds its start. */
  truncated?: boolean;
}

export interface JournalDetail {
  request: { headers: Record<string, string>; body?: JournalBody };
  response: { headers: Record<string, string>; body?: JournalBody };
}

// Credentials by name: access, refresh and app tokens, app and client secrets, and OAuth codes
// (a string `code`; Feishu's numeric `code` is the answer's status and stays).
const SECRET_KEY = /(^|_)(access_token|refresh_token|secret|password)$/i;
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);

/** Replaces credential values by `***`, keeping the scheme of an Authorization header. */
export function maskHeaders(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    const lower = name.toLowerCase();
    if (!SECRET_HEADERS.has(lower)) masked[lower] = text;
    else masked[lower] = lower.endsWith('authorization') ? text.replace(/^(\S+\s+).+$/, `$1${MASK}`) : MASK;
  }
  return masked;
}

/**
 * How deep the journal copies a JSON body: a hostile body of thousands of nested arrays (a few KB)
 * would otherwise overflow the stack while being masked. Deeper values are kept as a marker.
 */
export const JOURNAL_JSON_DEPTH = 64;
export const TOO_DEEP = '[nested too deep]';

export function maskJson(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) || key === 'code' ? MASK : value;
  if (value && typeof value === 'object' && depth >= JOURNAL_JSON_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => maskJson(item, key, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, maskJson(item, name, depth + 1)]),
    );
  }
  return value;
}

const isJson = (contentType: string | undefined) =>
  /^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '');
const isText = (contentType: string | undefined) =>
  isJson(contentType) || /^(text\/|application\/(x-www-form-urlencoded|yaml|xml))/i.test(contentType ?? '');

/** A body from its first bytes: JSON parsed and masked when complete, else (the start of) its text. */
export function describeBody(contentType: string | undefined, size: number, head: Buffer): JournalBody {
  const body: JournalBody = { content_type: contentType, size };
  if (size === 0 || !isText(contentType)) return body;
  const truncated = size > head.length;
  const text = head.toString('utf8');
  if (isJson(contentType) && !truncated) {
    try {
      return { ...body, json: maskJson(JSON.parse(text)) };
    } catch {
      // not valid JSON after all: keep it as text
    }
  }
  return { ...body, text, ...(truncated ? { truncated } : {}) };
}

/** An already parsed JSON request body, kept whole when its serialisation fits the limit. */
export function describeParsedJson(
  contentType: string | undefined,
  size: number | undefined,
  value: unknown,
): JournalBody {
  const masked = maskJson(value);
  const text = JSON.stringify(masked) ?? '';
  if (Buffer.byteLength(text) <= JOURNAL_BODY_LIMIT) return { content_type: contentType, size, json: masked };
  return { content_type: contentType, size, text: text.slice(0, JOURNAL_BODY_LIMIT), truncated: true };
}

/**
 * Copies the start of a text response body as it is written, up to the limit, and counts every
 * byte. Binary bodies (downloads) are only counted, so they stream through without a copy.
 */
export class BodyTap {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  size = 0;

  constructor(private readonly keep: () => boolean) {}

  add(chunk: unknown, encoding?: unknown): void {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const text = typeof chunk === 'string';
    const textEncoding = typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8';
    this.size += text ? Buffer.byteLength(chunk, textEncoding) : (chunk as Uint8Array).length;
    if (this.kept >= JOURNAL_BODY_LIMIT || !this.keep()) return;
    const room = JOURNAL_BODY_LIMIT - this.kept;
    const slice = text
      ? Buffer.from(chunk, textEncoding).subarray(0, room)
      : Buffer.from((chunk as Uint8Array).subarray(0, room));
    this.chunks.push(slice);
    this.kept += slice.length;
  }

  head(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Copies what is written to `res` into a tap as it goes out; JSON and text bodies are kept, others counted. */
export function tapResponseBody(res: ServerResponse): BodyTap {
  const tap = new BodyTap(() => isText(String(res.getHeader('content-type') ?? '')));
  const { write, end } = res;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    tap.add(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    tap.add(chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
  return tap;
}

/** What the request carried, as the body parsers (JSON, form, multer) left it on the request. */
export interface ParsedRequest {
  headers: IncomingHttpHeaders;
  body?: unknown;
  files?: unknown;
}

export function describeRequestBody(req: ParsedRequest): JournalBody | undefined {
  const contentType = req.headers['content-type'];
  const declared = Number(req.headers['content-length']);
  const size =
    Number.isFinite(declared) && req.headers['content-length'] !== undefined ? declared : undefined;
  if (/^multipart\/form-data\b/i.test(contentType ?? '')) {
    const fields = Object.entries((req.body ?? {}) as Record<string, unknown>).flatMap(([name, value]) =>
      [value].flat().map((item) => ({ name, size: Buffer.byteLength(String(item)) })),
    );
    const files = (Array.isArray(req.files) ? req.files : []) as Express.Multer.File[];
    const parts: JournalPart[] = [
      ...fields,
      ...files.map((file) => ({
        name: file.fieldname,
        filename: file.originalname,
        size: file.size,
        content_type: file.mimetype,
      })),
    ];
    return { content_type: contentType, size, parts };
  }
  const parsed = req.body !== undefined && typeof req.body === 'object' && req.body !== null;
  if (parsed && (isJson(contentType) || /^application\/x-www-form-urlencoded\b/i.test(contentType ?? ''))) {
    return describeParsedJson(contentType, size, req.body);
  }
  return size || contentType ? { content_type: contentType, size } : undefined;
}

/** The detail of a call that has ended: what came in (headers taken on arrival) and what went out. */
export function describeExchange(
  req: ParsedRequest,
  requestHeaders: Record<string, string>,
  res: ServerResponse,
  tap: BodyTap,
): JournalDetail {
  const responseType = res.getHeader('content-type');
  return {
    request: { headers: requestHeaders, body: describeRequestBody(req) },
    response: res.headersSent
      ? {
          headers: maskHeaders(res.getHeaders()),
          body: describeBody(
            responseType === undefined ? undefined : String(responseType),
            tap.size,
            tap.head(),
          ),
        }
      : { headers: {} },
  };
}
