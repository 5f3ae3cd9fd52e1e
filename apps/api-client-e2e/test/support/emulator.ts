import {
  startMockFeishu,
  type RunningMockFeishu,
  type StartMockFeishuOptions,
} from '@feishu-attachments/mock-feishu';
import { refereed } from '@feishu-attachments/prism-referee';
import {
  createFeishuClient,
  type FeishuClient,
  type FeishuClientOptions,
} from '@feishu-attachments/api-client';

/** One line of `GET /__mock/requests`. */
export interface JournalEntry {
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  code?: number;
  operation?: string;
  caller?: string;
}

/** One line of `GET /__mock/download-urls`. */
export interface DownloadUrlEntry {
  url: string;
  attachment_guid: string;
  uses_left: number;
  expired: boolean;
}

export interface FaultRule {
  operation?: string;
  method?: string;
  path?: string;
  times?: number;
  error?: { status: number; code: number; msg?: string };
  delayMs?: number;
  drop?: boolean;
}

export interface Emulator extends RunningMockFeishu {
  /** A client for the default app, retrying fast so failures do not slow the run down. */
  client(options?: Partial<FeishuClientOptions>): FeishuClient;
  /** A call to the `/__mock` control plane; throws unless it answers 2xx. */
  control<T = unknown>(method: string, path: string, json?: unknown): Promise<T>;
  journal(filter?: { operation?: string; method?: string }): Promise<JournalEntry[]>;
  downloadUrls(): Promise<DownloadUrlEntry[]>;
  fault(rule: FaultRule): Promise<void>;
  createUser(name: string): Promise<{ open_id: string }>;
  userToken(openId: string): Promise<string>;
}

/**
 * An emulator on a free loopback port, with rate limits off unless asked for. Under
 * PRISM_REFEREE=1 every call also goes through Prism, which checks it against the OpenAPI
 * document, unless `refereed: false`.
 */
export async function startEmulator(
  options: StartMockFeishuOptions = {},
  { refereed: withReferee = true }: { refereed?: boolean } = {},
): Promise<Emulator> {
  const start = (publicUrl?: string) =>
    startMockFeishu({ port: 0, rateLimits: false, ...(publicUrl ? { publicUrl } : {}), ...options });
  const feishu = await (withReferee ? refereed(start) : start());

  const control = async <T>(method: string, path: string, json?: unknown): Promise<T> => {
    const response = await fetch(`${feishu.url}/__mock${path}`, {
      method,
      headers: json === undefined ? {} : { 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /__mock${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };

  return {
    ...feishu,
    client: (clientOptions = {}) =>
      createFeishuClient({
        baseUrl: feishu.url,
        auth: { appId: feishu.app.appId, appSecret: feishu.app.appSecret },
        ...clientOptions,
        retry: { baseDelayMs: 5, maxDelayMs: 20, ...clientOptions.retry },
      }),
    control,
    async journal(filter = {}) {
      const query = new URLSearchParams(filter as Record<string, string>).toString();
      return (await control<{ items: JournalEntry[] }>('GET', `/requests${query ? `?${query}` : ''}`)).items;
    },
    async downloadUrls() {
      return (await control<{ items: DownloadUrlEntry[] }>('GET', '/download-urls')).items;
    },
    async fault(rule) {
      await control('POST', '/faults', rule);
    },
    async createUser(name) {
      return control<{ open_id: string }>('POST', '/users', { name });
    },
    async userToken(openId) {
      return (await control<{ access_token: string }>('POST', '/user-access-tokens', { open_id: openId }))
        .access_token;
    },
  };
}

/** A fetch that remembers each request's URL and headers before passing it on. */
export function recordingFetch(): { fetch: typeof fetch; seen: { url: URL; headers: Headers }[] } {
  const seen: { url: URL; headers: Headers }[] = [];
  const wrapped = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({ url: new URL(request.url), headers: new Headers(request.headers) });
    return fetch(request);
  }) as typeof fetch;
  return { fetch: wrapped, seen };
}
