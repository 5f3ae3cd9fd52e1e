/**
 * A scripted stand-in for `fetch`, injected through `options.fetch`: it records every request the
 * client sends (body included) and answers from per-route queues. No network is involved.
 */
import { createFeishuClient, type FeishuClientOptions } from '../../src/index.js';

export const TASK_GUID = 'f860de3e-6881-4ddd-9321-070f36d1af0b';
export const ATTACHMENT_GUID = '0b4a1b7e-3c1d-4f5e-9a2b-7c6d5e4f3a2b';
export const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
export const UPLOAD_PATH = '/open-apis/task/v2/attachments/upload';
export const LIST_PATH = '/open-apis/task/v2/attachments';
export const TASKS_PATH = '/open-apis/task/v2/tasks';
export const attachmentPath = (guid = ATTACHMENT_GUID) => `/open-apis/task/v2/attachments/${guid}`;
export const taskPath = (guid = TASK_GUID) => `/open-apis/task/v2/tasks/${guid}`;

export interface SeenRequest {
  method: string;
  url: URL;
  path: string;
  headers: Headers;
  body: Buffer;
}

/** Never answers; rejects only when the request is aborted, as a real fetch would. */
export const HANG = Symbol('hang');

export type Answer =
  Response | Error | typeof HANG | ((request: SeenRequest) => Response | Promise<Response>);

interface Route {
  key: string;
  answers: Answer[];
}

export class FakeFeishuFetch {
  readonly requests: SeenRequest[] = [];
  private readonly routes: Route[] = [];

  /** Queues answers for `METHOD /path`; the last one repeats once the queue is down to it. */
  on(method: string, path: string, ...answers: Answer[]): this {
    this.routes.push({ key: `${method} ${path}`, answers });
    return this;
  }

  /** Requests to one path (any method unless given). */
  to(path: string, method?: string): SeenRequest[] {
    return this.requests.filter(
      (request) => request.path === path && (method === undefined || request.method === method),
    );
  }

  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    let body: Buffer;
    try {
      body = request.body ? Buffer.from(await request.arrayBuffer()) : Buffer.alloc(0);
    } catch (error) {
      // undici wraps whatever broke the request body the same way.
      throw new TypeError('fetch failed', { cause: error });
    }
    const url = new URL(request.url);
    const seen: SeenRequest = {
      method: request.method,
      url,
      path: url.pathname,
      headers: request.headers,
      body,
    };
    this.requests.push(seen);

    const route = this.routes.find((candidate) => candidate.key === `${request.method} ${url.pathname}`);
    if (!route)
      return new Response('404 page not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const answer = route.answers.length > 1 ? route.answers.shift()! : route.answers[0];
    if (answer === HANG) {
      return new Promise<Response>((_resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
      });
    }
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function') return answer(seen);
    // A clone, as an instrumenting fetch that keeps a copy would hand out: the client must cope with
    // bodies that cancel only once every copy is cancelled.
    return answer.clone();
  }) as typeof fetch;
}

let logIds = 0;
const logId = () => `20250101000000${String(++logIds).padStart(6, '0')}ABCDEF`;

/** Feishu's success envelope. */
export function ok(data: unknown = {}, headers: Record<string, string> = {}): Response {
  return Response.json(
    { code: 0, msg: 'success', data },
    { status: 200, headers: { 'x-tt-logid': logId(), ...headers } },
  );
}

/** Feishu's error envelope, with `error.log_id` matching the header as Feishu sends it. */
export function fail(
  status: number,
  code: number,
  msg: string,
  options: { headers?: Record<string, string>; error?: Record<string, unknown> } = {},
): Response {
  const id = logId();
  return Response.json(
    { code, msg, error: { log_id: id, ...options.error } },
    { status, headers: { 'x-tt-logid': id, ...options.headers } },
  );
}

/** The flat tenant token answer (no `data` wrapper). */
export function tenantToken(token: string, expire = 7200): Response {
  return Response.json(
    { code: 0, msg: 'ok', tenant_access_token: token, expire },
    { headers: { 'x-tt-logid': logId() } },
  );
}

/** What undici throws when nothing listens on the port. */
export function connectionRefused(): TypeError {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
  });
}

export function attachment(overrides: Record<string, unknown> = {}) {
  return {
    guid: ATTACHMENT_GUID,
    file_token: 'boxcnFileToken',
    name: 'report.pdf',
    size: 5,
    resource: { type: 'task', id: TASK_GUID },
    uploader: { id: 'cli_mock_app', type: 'app', role: 'editor' },
    is_cover: false,
    uploaded_at: '1735689600000',
    ...overrides,
  };
}

/** A Task v2 task as Feishu answers it, open and without members. */
export function task(overrides: Record<string, unknown> = {}) {
  return {
    guid: TASK_GUID,
    task_id: 't100001',
    summary: 'Quarterly report',
    description: '',
    creator: { id: 'cli_mock_app', type: 'app', role: 'creator' },
    members: [],
    attachments: [],
    completed_at: '0',
    status: 'todo',
    created_at: '1735689600000',
    updated_at: '1735689600000',
    url: `https://applink.feishu.cn/client/todo/detail?guid=${TASK_GUID}`,
    ...overrides,
  };
}

/** A client on the fake, with a fixed token and retries fast enough for unit tests. */
export function clientOn(fake: FakeFeishuFetch, options: Partial<FeishuClientOptions> = {}) {
  return createFeishuClient({
    baseUrl: 'https://open.feishu.test',
    auth: { tenantAccessToken: 't-fixed-token' },
    fetch: fake.fetch,
    ...options,
    retry: { baseDelayMs: 1, maxDelayMs: 5, ...options.retry },
  });
}
