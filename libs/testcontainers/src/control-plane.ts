/**
 * The emulator's control plane (`/__mock`, docs/control-plane.md) over HTTP, with the control token:
 * what a test does to a containerised emulator that `startMockFeishu` would let it do in-process.
 * The request and answer shapes are the control plane's own (its OpenAPI document is served at
 * `GET /__mock/openapi.yaml`); fields this module does not name pass through as given.
 */

/** The emulator's clock: `now` in epoch milliseconds, and whether it stands still. */
export interface ClockState {
  now: number;
  frozen: boolean;
}

/** What `POST /__mock/faults` takes: which calls (all given criteria must match) and what they get. */
export interface FaultRequest {
  /** The emulator's name for an endpoint: `attachment.upload`, `attachment.get`, `download`, … */
  operation?: string;
  method?: string;
  /** Exact, or with `*` for any run of characters. */
  path?: string;
  /** How many matching calls the rule takes (1–10 000). */
  times?: number;
  /** Answer with this status (400–599, or 200 with a non-zero code) and Feishu `code`. */
  error?: { status: number; code: number; msg?: string; headers?: Record<string, string> };
  /** Hold the call until the emulator's clock has moved this far. */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  drop?: boolean;
  [field: string]: unknown;
}

/** A stored fault rule; `remaining` counts down as calls match. */
export interface FaultRule {
  id: number;
  remaining: number;
  operation?: string;
  method?: string;
  path?: string;
  action: Record<string, unknown>;
  [field: string]: unknown;
}

export interface SeedAttachmentRequest {
  name: string;
  /** UTF-8 text, or base64 with `encoding: 'base64'`. */
  content: string;
  encoding?: 'utf8' | 'base64';
  content_type?: string;
  uploader_open_id?: string;
  [field: string]: unknown;
}

/** What `POST /__mock/tasks` takes: any field task create stores, in Feishu's spelling, and files. */
export interface SeedTaskRequest {
  summary: string;
  creator_open_id?: string;
  members?: { open_id?: string; app_id?: string; role: string }[];
  attachments?: SeedAttachmentRequest[];
  [field: string]: unknown;
}

export interface SeededTask {
  task_guid: string;
  attachments: { guid: string; name: string; size: number }[];
}

export interface SeededUser {
  name: string;
  open_id: string;
  union_id: string;
  user_id: string;
}

export interface UserAccessToken {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  scope: string;
  token_type: string;
}

/** A control call the emulator refused: its HTTP status and Feishu-shaped body. */
export class MockFeishuControlError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`mock-feishu ${method} ${path} answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'MockFeishuControlError';
  }
}

export type QueryValue = string | number | boolean | undefined;

/** A sandbox as the control plane made it: an isolated tenant with its own app. */
export interface MockFeishuSandbox {
  id: string;
  name?: string;
  /** Its own app: give these to any Feishu client pointed at the emulator's base URL. */
  app: { appId: string; appSecret: string };
  /** Its own control plane: reset, clock, faults, seeding, journal and state of this sandbox only. */
  control: MockFeishuControlPlane;
  /** Frees all it held; its tokens and download URLs are unknown afterwards. */
  delete(): Promise<void>;
}

/**
 * The control plane of one emulator, reached at `baseUrl` with `controlToken` (if it needs one); of
 * one sandbox when `controlPath` is its control base (`/__mock/sandboxes/<id>`).
 */
export class MockFeishuControlPlane {
  constructor(
    readonly baseUrl: string,
    private readonly controlToken: string | undefined,
    readonly controlPath = '/__mock',
  ) {}

  /**
   * A new sandbox in the emulator (its own app, state, clock, faults and journal), e.g. one per test
   * file or worker, so parallel tests on one container never see each other.
   */
  async createSandbox(options: { name?: string } = {}): Promise<MockFeishuSandbox> {
    const created = await this.request<{ id: string; name?: string; app_id: string; app_secret: string }>(
      'POST',
      '/__mock/sandboxes',
      { body: options },
    );
    const root = new MockFeishuControlPlane(this.baseUrl, this.controlToken);
    return {
      id: created.id,
      ...(created.name === undefined ? {} : { name: created.name }),
      app: { appId: created.app_id, appSecret: created.app_secret },
      control: new MockFeishuControlPlane(this.baseUrl, this.controlToken, `/__mock/sandboxes/${created.id}`),
      delete: async () => {
        await root.request('DELETE', `/__mock/sandboxes/${created.id}`);
      },
    };
  }

  /**
   * Any `/__mock` call: JSON in, JSON (or text) out; a status outside 2xx throws
   * {@link MockFeishuControlError}.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; query?: Record<string, QueryValue> } = {},
  ): Promise<T> {
    // The same routes under a sandbox's control base: `/__mock/clock` → `/__mock/sandboxes/<id>/clock`.
    const url = new URL(path.replace(/^\/__mock(?=\/|$)/, this.controlPath), this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {};
    if (this.controlToken) headers.authorization = `Bearer ${this.controlToken}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    if (!response.ok) throw new MockFeishuControlError(method, url.pathname, response.status, body);
    return body as T;
  }

  /** Back to the seeded state; `keepTokens` keeps apps, users and every issued token. */
  reset(options: { keepTokens?: boolean } = {}): Promise<ClockState> {
    return this.request('POST', '/__mock/reset', { body: options });
  }

  /** The emulator's time, which decides every expiry: move it instead of sleeping. */
  readonly clock = {
    get: (): Promise<ClockState> => this.request('GET', '/__mock/clock'),
    now: async (): Promise<number> => (await this.clock.get()).now,
    advance: (ms: number): Promise<ClockState> =>
      this.request('POST', '/__mock/clock', { body: { advanceMs: ms } }),
    set: (epochMs: number): Promise<ClockState> =>
      this.request('POST', '/__mock/clock', { body: { setMs: epochMs } }),
    freeze: (frozen = true): Promise<ClockState> =>
      this.request('POST', '/__mock/clock', { body: { freeze: frozen } }),
  };

  /** Rules that make the next matching calls of the emulated API fail, stall or drop. */
  readonly faults = {
    add: (rule: FaultRequest): Promise<FaultRule> => this.request('POST', '/__mock/faults', { body: rule }),
    list: async (): Promise<FaultRule[]> =>
      (await this.request<{ items: FaultRule[] }>('GET', '/__mock/faults')).items,
    remove: async (id: number): Promise<void> => {
      await this.request('DELETE', `/__mock/faults/${encodeURIComponent(String(id))}`);
    },
    clear: async (): Promise<void> => {
      await this.request('DELETE', '/__mock/faults');
    },
  };

  /** State put in without the emulated API (no tokens, scopes, rate limits or faults). */
  readonly seed = {
    app: (app: { app_id: string; app_secret: string; scopes?: string[]; replace?: boolean }) =>
      this.request<{ app_id: string; scopes: string[] }>('POST', '/__mock/apps', { body: app }),
    user: (user: { name: string; open_id?: string; replace?: boolean }): Promise<SeededUser> =>
      this.request('POST', '/__mock/users', { body: user }),
    userAccessToken: (request: {
      open_id: string;
      app_id?: string;
      scopes?: string[];
    }): Promise<UserAccessToken> => this.request('POST', '/__mock/user-access-tokens', { body: request }),
    task: (task: SeedTaskRequest): Promise<SeededTask> =>
      this.request('POST', '/__mock/tasks', { body: task }),
  };

  /** The journal of recent calls to the emulated API, oldest first (`limit`: the newest N). */
  async requests(
    query: { operation?: string; method?: string; path?: string; limit?: number } = {},
  ): Promise<Record<string, unknown>[]> {
    return (await this.request<{ items: Record<string, unknown>[] }>('GET', '/__mock/requests', { query }))
      .items;
  }

  /** Apps, users, and tasks with their members and attachments. */
  state(): Promise<Record<string, unknown>> {
    return this.request('GET', '/__mock/state');
  }

  /** Feishu's rate limits on or off while it runs. */
  async setRateLimits(enabled: boolean): Promise<void> {
    await this.request('PUT', '/__mock/rate-limits', { body: { enabled } });
  }
}
