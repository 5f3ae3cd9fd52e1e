import type { LoggerService } from '@nestjs/common';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startMockFeishu,
  type RunningMockFeishu,
  type StartMockFeishuOptions,
} from '@feishu-attachments/mock-feishu';
import { startAdminApi, type RunningAdminApi, type StartAdminApiOptions } from '../../src/index.js';

/** An admin token as an operator would configure it (at least 16 characters). */
export const ADMIN_TOKEN = 'test-admin-token-9f1c2b7e4a';
export const OTHER_ADMIN_TOKEN = 'second-admin-token-5d0e8c3a71';

export interface HttpResult<TBody = any> {
  status: number;
  headers: Headers;
  body: TBody;
  text: string;
}

export interface CallOptions {
  /** The admin token; `null` sends no Authorization header. @default ADMIN_TOKEN */
  token?: string | null;
  /** X-Feishu-User-Access-Token. */
  userToken?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

/** One request the Feishu client sent, as the recording fetch saw it. */
export interface SentRequest {
  method: string;
  url: URL;
  authorization: string | null;
}

/** One line of `GET /__mock/requests`. */
export interface JournalEntry {
  method: string;
  path: string;
  status: number;
  code?: number;
  operation?: string;
  caller?: string;
  log_id: string;
}

/** One line of `GET /__mock/download-urls`. */
export interface DownloadUrlEntry {
  url: string;
  attachment_guid: string;
  uses_left: number;
  expired: boolean;
}

export interface Harness {
  feishu: RunningMockFeishu;
  api: RunningAdminApi;
  /** The upload folder admin-api was given: empty whenever no upload is in flight. */
  uploadDir: string;
  /** Every line admin-api's Nest logger printed (the Feishu client logs through it too). */
  logs: string[];
  /** Every request the Feishu client sent. */
  sent: SentRequest[];
  call<TBody = any>(method: string, path: string, options?: CallOptions): Promise<HttpResult<TBody>>;
  control<T = any>(method: string, path: string, json?: unknown): Promise<T>;
  journal(filter?: { operation?: string; method?: string }): Promise<JournalEntry[]>;
  /**
   * The journal once it holds `count` matching entries. The emulator records a download when
   * its response finishes, which can come a moment after the bytes reached the caller.
   */
  journalOf(filter: { operation?: string; method?: string }, count: number): Promise<JournalEntry[]>;
  fault(rule: Record<string, unknown>): Promise<void>;
  downloadUrls(): Promise<DownloadUrlEntry[]>;
  createUser(name: string): Promise<{ open_id: string; union_id: string; user_id: string }>;
  userToken(openId: string): Promise<string>;
  /** Files left in the upload folder (its per-request subfolders and their files). */
  leftovers(): Promise<string[]>;
  close(): Promise<void>;
}

/** A Nest logger that keeps every line, so tests can assert what would have been printed. */
export function capturingLogger(lines: string[]): LoggerService {
  const keep =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) =>
      lines.push(
        `${level} ${[message, ...rest].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ')}`,
      );
  return {
    log: keep('log'),
    error: keep('error'),
    warn: keep('warn'),
    debug: keep('debug'),
    verbose: keep('verbose'),
    fatal: keep('fatal'),
  };
}

/** A fetch that notes each request's method, URL and Authorization header before sending it. */
export function recordingFetch(sent: SentRequest[]): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    sent.push({
      method: request.method,
      url: new URL(request.url),
      authorization: request.headers.get('authorization'),
    });
    return fetch(input, init);
  }) as typeof fetch;
}

export interface HarnessOptions {
  emulator?: StartMockFeishuOptions;
  /** Feishu settings of admin-api on top of the emulator's URL and app credentials. */
  feishu?: Partial<StartAdminApiOptions['feishu']>;
  adminApi?: Partial<Omit<StartAdminApiOptions, 'feishu'>>;
}

/**
 * An emulator and an admin API pointed at it, both in this process on free loopback ports. The
 * client retries fast, so failure paths do not slow the run down, and every log line is kept.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const feishu = await startMockFeishu({ port: 0, rateLimits: false, ...options.emulator });
  const uploadDir = await mkdtemp(join(tmpdir(), 'admin-api-test-uploads-'));
  const logs: string[] = [];
  const sent: SentRequest[] = [];
  let api: RunningAdminApi;
  try {
    api = await startAdminApi({
      feishu: {
        baseUrl: feishu.url,
        appId: feishu.app.appId,
        appSecret: feishu.app.appSecret,
        ...options.feishu,
      },
      adminTokens: [ADMIN_TOKEN, OTHER_ADMIN_TOKEN],
      port: 0,
      host: '127.0.0.1',
      uploadDir,
      logger: capturingLogger(logs),
      ...options.adminApi,
      feishuClient: {
        fetch: recordingFetch(sent),
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
        ...options.adminApi?.feishuClient,
      },
    });
  } catch (error) {
    await feishu.close();
    throw error;
  }

  const call = async (method: string, path: string, callOptions: CallOptions = {}): Promise<HttpResult> => {
    const url = new URL(path, api.url);
    for (const [key, value] of Object.entries(callOptions.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...callOptions.headers };
    const token = callOptions.token === undefined ? ADMIN_TOKEN : callOptions.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (callOptions.userToken) headers['x-feishu-user-access-token'] = callOptions.userToken;
    let body = callOptions.body;
    if (callOptions.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(callOptions.json);
    }
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  const control = async (method: string, path: string, json?: unknown) => {
    const response = await fetch(`${feishu.url}/__mock${path}`, {
      method,
      headers: json === undefined ? {} : { 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /__mock${path} → ${response.status}: ${text}`);
    return JSON.parse(text);
  };

  const leftovers = async (): Promise<string[]> => {
    const entries = await readdir(uploadDir, { recursive: true }).catch(() => [] as string[]);
    return entries.map(String);
  };

  const journal = async (filter: { operation?: string; method?: string } = {}): Promise<JournalEntry[]> => {
    const query = new URLSearchParams(filter as Record<string, string>).toString();
    return (await control('GET', `/requests${query ? `?${query}` : ''}`)).items;
  };

  return {
    feishu,
    api,
    uploadDir,
    logs,
    sent,
    call,
    control,
    journal,
    async journalOf(filter, count) {
      let entries = await journal(filter);
      for (let attempt = 0; entries.length < count && attempt < 50; attempt++) {
        await new Promise((resolve) => setImmediate(resolve));
        entries = await journal(filter);
      }
      return entries;
    },
    async fault(rule) {
      await control('POST', '/faults', rule);
    },
    async downloadUrls() {
      return (await control('GET', '/download-urls')).items;
    },
    createUser: (name) => control('POST', '/users', { name }),
    async userToken(openId) {
      return (await control('POST', '/user-access-tokens', { open_id: openId })).access_token;
    },
    leftovers,
    async close() {
      await api.close();
      await feishu.close();
      await rm(uploadDir, { recursive: true, force: true });
    },
  };
}

/** A multipart body with `file` parts, as a browser or curl would send it. */
export function fileForm(
  files: { name: string; content: BlobPart; type?: string }[],
  field = 'file',
): FormData {
  const form = new FormData();
  for (const file of files) {
    form.append(
      field,
      new Blob([file.content], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  }
  return form;
}
