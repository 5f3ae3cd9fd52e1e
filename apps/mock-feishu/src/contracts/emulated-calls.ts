import type { RunningMockFeishu } from '../start-mock-feishu.js';

/**
 * How provider states reach what the seeder cannot make (a tenant token, a page token, a
 * download URL, a completed task): through the emulated API, the way a client would get them.
 */
export function emulatedCalls(feishu: RunningMockFeishu) {
  /** One call to the emulated API (or `/__mock`); throws unless it answers 2xx with code 0. */
  async function call(method: string, path: string, options: { token?: string; json?: unknown } = {}) {
    const response = await fetch(new URL(path, feishu.url), {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    });
    const body = await response.json();
    if (!response.ok || (typeof body.code === 'number' && body.code !== 0)) {
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    }
    return body;
  }

  /** A reset emulator and a tenant token of its default app. */
  async function fresh(): Promise<string> {
    await feishu.reset();
    const body = await call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      json: { app_id: feishu.app.appId, app_secret: feishu.app.appSecret },
    });
    return body.tenant_access_token;
  }

  return { call, fresh };
}
