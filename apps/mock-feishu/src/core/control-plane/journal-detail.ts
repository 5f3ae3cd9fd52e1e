/**
 * A call's header fields by lower-case name, in the shapes Node keeps them in: a request's as
 * strings (a few as lists), a response's also as numbers (Content-Length). The journal's own
 * types, so the core names no HTTP server's; Node's header objects fit them as they are.
 */
export interface RequestHeaderFields {
  readonly [name: string]: string | readonly string[] | undefined;
  readonly 'content-type'?: string;
  readonly 'content-length'?: string;
}
export type ResponseHeaderFields = Readonly<Record<string, string | readonly string[] | number | undefined>>;

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
export function maskHeaders(headers: RequestHeaderFields | ResponseHeaderFields): Record<string, string> {
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
 * Keeps the start of a text response body as it is written, up to the limit, and counts every
 * byte. Binary bodies (downloads) are only counted, so they stream through without a copy. A
 * string chunk that fits is kept as it is (strings never change) and encoded only when the
 * journal entry is read: most entries never are, and encoding every answer cost each request a
 * copy. A longer one is cut at once, so an entry never holds more than about the limit.
 */
export class BodyTap {
  private readonly chunks: (Buffer | string)[] = [];
  private encodings: BufferEncoding[] | undefined;
  private kept = 0;
  private keeping: boolean | undefined;
  size = 0;

  /** Whether to keep the body; asked once, at its first chunk. */
  constructor(private keep?: () => boolean) {}

  add(chunk: unknown, encoding?: unknown): void {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const text = typeof chunk === 'string';
    const textEncoding = typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8';
    const bytes = text ? Buffer.byteLength(chunk, textEncoding) : (chunk as Uint8Array).length;
    this.size += bytes;
    if (this.kept >= JOURNAL_BODY_LIMIT || !(this.keeping ??= this.keep?.() ?? false)) return;
    const room = JOURNAL_BODY_LIMIT - this.kept;
    let kept: Buffer | string;
    if (!text) kept = Buffer.from((chunk as Uint8Array).subarray(0, room));
    else if (chunk.length <= room) kept = chunk;
    // `room` characters are at least `room` bytes.
    else kept = Buffer.from(chunk.slice(0, room), textEncoding).subarray(0, room);
    if (typeof kept === 'string' && textEncoding !== 'utf8') {
      this.encodings ??= [];
      this.encodings[this.chunks.length] = textEncoding;
    }
    this.chunks.push(kept);
    this.kept += Math.min(room, typeof kept === 'string' ? bytes : kept.length);
  }

  /** Takes nothing more, and lets go of `keep` (which may hold the response) once the call has ended. */
  seal(): void {
    this.keep = undefined;
    this.keeping ??= false;
    this.kept = JOURNAL_BODY_LIMIT;
  }

  /** The kept start of the body, at most JOURNAL_BODY_LIMIT bytes. */
  head(): Buffer {
    const buffers = this.chunks.map((chunk, index) =>
      typeof chunk === 'string' ? Buffer.from(chunk, this.encodings?.[index] ?? 'utf8') : chunk,
    );
    const head = Buffer.concat(buffers);
    return head.length > JOURNAL_BODY_LIMIT ? head.subarray(0, JOURNAL_BODY_LIMIT) : head;
  }
}

/** Whether the journal keeps a body of this type (JSON and text) or only counts it (binary). */
export const keepsBody = (contentType: string | undefined): boolean => isText(contentType);

/** What the request carried, as the body parsers (JSON, form, multer) left it on the request. */
export interface ParsedRequest {
  headers: RequestHeaderFields;
  body?: unknown;
  files?: unknown;
}

/** A file part as the upload intake leaves it in `files` (multer's names, which it keeps). */
interface ReceivedFile {
  fieldname: string;
  originalname: string;
  size: number;
  mimetype: string;
}

/** What a capture reads of a response: whether its head has gone out, and then its header fields. */
export interface ResponseHead {
  readonly headersSent: boolean;
  getHeaders(): ResponseHeaderFields;
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
    const files = (Array.isArray(req.files) ? req.files : []) as ReceivedFile[];
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

/**
 * What a call's detail is made from, taken when its answer starts (or when it ends, if it never
 * answered) without parsing or masking anything: the request's headers as they arrived, its body
 * as described then (bounded), the response's headers (fixed once sent) and the tap, which goes
 * on counting until the call ends. `describeCapture` turns it into the detail when the entry is
 * read, so a client that already has the whole answer finds its detail too.
 */
export interface ExchangeCapture {
  requestHeaders: RequestHeaderFields;
  requestBody?: JournalBody;
  response?: { headers: ResponseHeaderFields; tap: BodyTap };
}

/** Takes what the detail of a call will need (see ExchangeCapture); the caller seals the tap at the end. */
export function captureExchange(
  req: ParsedRequest,
  requestHeaders: RequestHeaderFields,
  res: ResponseHead,
  tap: BodyTap,
): ExchangeCapture {
  return {
    requestHeaders,
    requestBody: describeRequestBody(req),
    response: res.headersSent ? { headers: res.getHeaders(), tap } : undefined,
  };
}

/** The detail of a call: what came in (headers taken on arrival) and what went out (so far, while it streams). */
export function describeCapture({ requestHeaders, requestBody, response }: ExchangeCapture): JournalDetail {
  const responseType = response?.headers['content-type'];
  return {
    request: { headers: maskHeaders(requestHeaders), body: requestBody },
    response: response
      ? {
          headers: maskHeaders(response.headers),
          body: describeBody(
            responseType === undefined ? undefined : String(responseType),
            response.tap.size,
            response.tap.head(),
          ),
        }
      : { headers: {} },
  };
}
