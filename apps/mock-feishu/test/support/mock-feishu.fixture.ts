import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refereed } from '@feishu-attachments/prism-referee';
import { startMockFeishu, type RunningMockFeishu, type StartMockFeishuOptions } from '../../src/index.js';

export interface HttpResult<TBody = any> {
  status: number;
  headers: Headers;
  body: TBody;
  text: string;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  form?: FormData;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /**
   * Straight to the emulator, past the Prism referee. Only for the bulk calls of the rate-limit
   * tests: a thousand copies of one exchange that the referee judges elsewhere, at about 40 ms
   * of Prism's CPU each.
   */
  unrefereed?: boolean;
}

/** An emulator on a free port plus small HTTP helpers; every call goes over real HTTP. */
export interface MockFeishuFixture extends RunningMockFeishu {
  call<TBody = any>(method: string, path: string, options?: CallOptions): Promise<HttpResult<TBody>>;
  tenantToken(appId?: string, appSecret?: string): Promise<string>;
  createUser(name: string): Promise<{ open_id: string; union_id: string; user_id: string }>;
  userToken(openId: string, scopes?: string[]): Promise<string>;
  createTask(token: string, body?: Record<string, unknown>): Promise<string>;
  upload(
    token: string,
    taskGuid: string,
    files: { name: string; content: BlobPart; type?: string }[],
  ): Promise<HttpResult>;
}

declare const MOCK_FEISHU_TEST_STORE: 'memory' | 'sqlite' | undefined;

/**
 * Which store the e2e specs' emulators run on when they name no data dir: memory, or SQLite when
 * the run asks for it with MOCK_FEISHU_TEST_STORE=sqlite (see apps/mock-feishu/jest.config.ts).
 */
export const testStore: 'memory' | 'sqlite' =
  typeof MOCK_FEISHU_TEST_STORE === 'undefined' ? 'memory' : MOCK_FEISHU_TEST_STORE;

export async function createMockFeishu(options: StartMockFeishuOptions = {}): Promise<MockFeishuFixture> {
  // On SQLite an emulator without a data dir of its own gets a temporary one.
  const ownDataDir =
    testStore === 'sqlite' && !options.dataDir
      ? mkdtempSync(join(tmpdir(), 'mock-feishu-sqlite-'))
      : undefined;
  const removeOwnDataDir = () => ownDataDir && rmSync(ownDataDir, { recursive: true, force: true });
  let emulatorUrl = '';
  const start = async (publicUrl: string | undefined) => {
    const running = await startMockFeishu({
      port: 0,
      ...(publicUrl ? { publicUrl } : {}),
      ...(ownDataDir ? { dataDir: ownDataDir } : {}),
      ...options,
    });
    emulatorUrl = running.url;
    return running;
  };
  // Under PRISM_REFEREE=1 every call of the in-memory run also goes through Prism, which checks it
  // against the OpenAPI document; a SQLite replay answers on the same wire, so it is not refereed twice.
  const started = await (testStore === 'sqlite' ? start(undefined) : refereed(start)).catch(
    (error: unknown) => {
      removeOwnDataDir();
      throw error;
    },
  );
  const feishu: RunningMockFeishu = ownDataDir
    ? {
        ...started,
        close: async () => {
          try {
            await started.close();
          } finally {
            removeOwnDataDir();
          }
        },
      }
    : started;

  const call = async (method: string, path: string, callOptions: CallOptions = {}): Promise<HttpResult> => {
    const url = new URL(path, callOptions.unrefereed ? emulatorUrl : feishu.url);
    for (const [key, value] of Object.entries(callOptions.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...callOptions.headers };
    if (callOptions.token) headers.authorization = `Bearer ${callOptions.token}`;
    let body: BodyInit | undefined;
    if (callOptions.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(callOptions.json);
    } else if (callOptions.form) {
      body = callOptions.form;
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

  const fixture: MockFeishuFixture = {
    ...feishu,
    call,
    async tenantToken(appId = feishu.app.appId, appSecret = feishu.app.appSecret) {
      const result = await call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
        json: { app_id: appId, app_secret: appSecret },
      });
      if (!result.body.tenant_access_token) throw new Error(`no tenant token: ${result.text}`);
      return result.body.tenant_access_token as string;
    },
    async createUser(name) {
      return (await call('POST', '/__mock/users', { json: { name } })).body;
    },
    async userToken(openId, scopes) {
      const result = await call('POST', '/__mock/user-access-tokens', { json: { open_id: openId, scopes } });
      return result.body.access_token as string;
    },
    async createTask(token, body = {}) {
      const result = await call('POST', '/open-apis/task/v2/tasks', {
        token,
        json: { summary: 'a task', ...body },
      });
      if (result.body.code !== 0) throw new Error(`task create failed: ${result.text}`);
      return result.body.data.task.guid as string;
    },
    async upload(token, taskGuid, files) {
      const form = new FormData();
      form.append('resource_type', 'task');
      form.append('resource_id', taskGuid);
      for (const file of files) {
        form.append(
          'file',
          new Blob([file.content], { type: file.type ?? 'application/octet-stream' }),
          file.name,
        );
      }
      return call('POST', '/open-apis/task/v2/attachments/upload', { token, form });
    },
  };
  return fixture;
}
