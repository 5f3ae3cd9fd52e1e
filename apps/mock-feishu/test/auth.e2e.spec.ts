import { randomUUID } from 'node:crypto';
import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const TENANT_TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const APP_TOKEN_PATH = '/open-apis/auth/v3/app_access_token/internal';
const OAUTH_TOKEN_PATH = '/open-apis/authen/v2/oauth/token';
const MINUTE = 60_000;
// Feishu: tenant, app and user access tokens live 2 hours (auth-v3 tenant_access_token_internal).
const TOKEN_TTL_MS = 7200 * 1000;

/** Feishu's gateway and Task v2 error shape: `{code, msg, error:{log_id,…}}`, log id echoed in X-Tt-Logid. */
function expectFeishuError(result: HttpResult, status: number, code: number, msg: RegExp): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status, code });
  expect(result.body).toEqual({ code, msg: expect.stringMatching(msg), error: expect.any(Object) });
  const logId = result.headers.get('x-tt-logid');
  // Feishu log ids: a yyyyMMddHHmmss stamp and 20 upper-case hex digits (reference §9.2 example).
  expect(logId).toMatch(/^\d{14}[0-9A-F]{20}$/);
  expect(result.body.error.log_id).toBe(logId);
  // The gateway's refusals link Feishu's troubleshooting search for this answer's log id and code.
  if (GATEWAY_CODES_WITH_TROUBLESHOOTER.includes(code)) {
    expect(result.body.error.troubleshooter).toBe(
      `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${code}`,
    );
  }
}

const GATEWAY_CODES_WITH_TROUBLESHOOTER = [99991661, 99991663, 99991668, 99991677, 99991672, 99991679];

/** The OAuth v2 error shape: `{code, error, error_description}`, no `msg`. */
function expectOAuthError(result: HttpResult, code: number, error: string): void {
  expect({ status: result.status, code: result.body?.code, error: result.body?.error }).toEqual({
    status: 400,
    code,
    error,
  });
  expect(Object.keys(result.body).sort()).toEqual(['code', 'error', 'error_description']);
  expect(result.body.error_description).toEqual(expect.any(String));
}

describe('mock-feishu auth', () => {
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(() => feishu.reset());

  const requestTenantToken = (
    body: Record<string, unknown> = { app_id: 'cli_mock_app', app_secret: 'mock_app_secret' },
  ) => feishu.call('POST', TENANT_TOKEN_PATH, { json: body });
  /** Any authenticated Task call will do: the gateway answers before the handler looks at the guid. */
  const getSomeTask = (options: { token?: string; headers?: Record<string, string> }) =>
    feishu.call('GET', `/open-apis/task/v2/tasks/${randomUUID()}`, options);
  /** A call that succeeds only with a valid, unexpired token. */
  const createTaskWith = (token: string) =>
    feishu.call('POST', '/open-apis/task/v2/tasks', { token, json: { summary: 'token probe' } });

  describe('tenant_access_token/internal', () => {
    it('issues a flat {code:0, msg:"ok", tenant_access_token, expire:7200} body for the default app', async () => {
      const result = await requestTenantToken();

      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        code: 0,
        msg: 'ok',
        tenant_access_token: expect.stringMatching(/^t-\S+$/),
        expire: 7200,
      });
      expect((await createTaskWith(result.body.tenant_access_token)).status).toBe(200);
    });

    it('returns the same token with expire counting down while at least 30 minutes remain', async () => {
      // Frozen, so `expire` is exact: on a running clock a slow second call would read 6599.
      feishu.clock.freeze(true);
      const first = (await requestTenantToken()).body;

      feishu.clock.advance(10 * MINUTE);
      const second = (await requestTenantToken()).body;

      expect(second).toEqual({
        code: 0,
        msg: 'ok',
        tenant_access_token: first.tenant_access_token,
        expire: 6600,
      });
    });

    it('issues a new token once less than 30 minutes remain, the old one working until it expires', async () => {
      const old = (await requestTenantToken()).body.tenant_access_token as string;

      feishu.clock.advance(91 * MINUTE);
      const renewed = (await requestTenantToken()).body;

      expect(renewed).toEqual({
        code: 0,
        msg: 'ok',
        tenant_access_token: expect.stringMatching(/^t-/),
        expire: 7200,
      });
      expect(renewed.tenant_access_token).not.toBe(old);
      expect((await createTaskWith(old)).status).toBe(200);

      // 91 + 30 minutes: past the old token's two hours, well inside the new one's.
      await feishu.call('POST', '/__mock/clock', { json: { advanceMs: 30 * MINUTE } });

      expectFeishuError(await createTaskWith(old), 400, 99991663, /^Invalid access token/);
      expect((await createTaskWith(renewed.tenant_access_token)).status).toBe(200);
    });

    it('refuses an unknown app_id with HTTP 200 {code:10003, msg:"invalid param"} and no token', async () => {
      const result = await requestTenantToken({ app_id: 'cli_not_an_app', app_secret: 'mock_app_secret' });

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ code: 10003, msg: 'invalid param' });
      expect(result.body).not.toHaveProperty('tenant_access_token');
      expect(result.body).not.toHaveProperty('expire');
    });

    it('refuses a wrong app_secret with HTTP 200 {code:10014} and no token', async () => {
      const result = await requestTenantToken({ app_id: 'cli_mock_app', app_secret: 'not-the-secret' });

      expect(result.status).toBe(200);
      expect(result.body).toEqual({ code: 10014, msg: 'app secret invalid' });
    });

    it.each([
      ['app_secret', { app_id: 'cli_mock_app' }],
      ['app_id', { app_secret: 'mock_app_secret' }],
      ['both fields', {}],
    ])('refuses a body missing %s with HTTP 200 and code 10003', async (_missing, body) => {
      const result = await requestTenantToken(body);

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ code: 10003, msg: 'invalid param' });
      expect(result.body).not.toHaveProperty('tenant_access_token');
    });
  });

  describe('app_access_token/internal', () => {
    it('issues a flat {code:0, msg:"ok", app_access_token, expire:7200} body', async () => {
      const result = await feishu.call('POST', APP_TOKEN_PATH, {
        json: { app_id: 'cli_mock_app', app_secret: 'mock_app_secret' },
      });

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({
        code: 0,
        msg: 'ok',
        app_access_token: expect.any(String),
        expire: 7200,
      });
      expect(result.body).not.toHaveProperty('data');
    });

    it('refuses an app_access_token used as a Bearer on a Task API with 400/99991663', async () => {
      const appToken = (
        await feishu.call('POST', APP_TOKEN_PATH, {
          json: { app_id: 'cli_mock_app', app_secret: 'mock_app_secret' },
        })
      ).body.app_access_token as string;

      expectFeishuError(await createTaskWith(appToken), 400, 99991663, /^Invalid access token/);
    });
  });

  describe('gateway bearer check', () => {
    it('refuses a call without Authorization with 400/99991661', async () => {
      expectFeishuError(await getSomeTask({}), 400, 99991661, /^Missing access token/);
    });

    it.each([
      ['a Basic credential', 'Basic x'],
      ['a bare token without "Bearer "', 't-0123456789abcdef'],
      ['"Bearer" with no token', 'Bearer '],
    ])('treats %s as a missing token: 400/99991661', async (_what, authorization) => {
      expectFeishuError(
        await getSomeTask({ headers: { authorization } }),
        400,
        99991661,
        /^Missing access token/,
      );
    });

    it('refuses a forged tenant token with 400/99991663', async () => {
      expectFeishuError(
        await getSomeTask({ token: 't-forged0123456789' }),
        400,
        99991663,
        /^Invalid access token/,
      );
    });

    it.each([
      ['a u- token', 'u-forged0123456789'],
      ['a JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJvdV94In0.forged'],
    ])('refuses a forged user token (%s) with 400/99991668', async (_what, token) => {
      expectFeishuError(await getSomeTask({ token }), 400, 99991668, /^Invalid access token/);
    });

    it('refuses a tenant token once its 2 hours are up with 400/99991663', async () => {
      const token = await feishu.tenantToken();
      expect((await createTaskWith(token)).status).toBe(200);

      feishu.clock.advance(TOKEN_TTL_MS);

      expectFeishuError(await createTaskWith(token), 400, 99991663, /^Invalid access token/);
    });

    it('refuses an expired user token with 400/99991677 rather than as invalid', async () => {
      const user = await feishu.createUser('Expiring');
      const token = await feishu.userToken(user.open_id);
      expect((await createTaskWith(token)).status).toBe(200);

      feishu.clock.advance(TOKEN_TTL_MS);

      expectFeishuError(await createTaskWith(token), 400, 99991677, /expired/);
    });

    it('answers an expired user token with 99991668 under --expired-user-token-code 99991668', async () => {
      const other = await createMockFeishu({ rateLimits: false, expiredUserTokenCode: 99991668 });
      try {
        const user = await other.createUser('Expiring');
        const token = await other.userToken(user.open_id);
        const create = (bearer: string) =>
          other.call('POST', '/open-apis/task/v2/tasks', { token: bearer, json: { summary: 'x' } });
        expect((await create(token)).status).toBe(200);

        other.clock.advance(TOKEN_TTL_MS);

        expectFeishuError(await create(token), 400, 99991668, /^Invalid access token/);
      } finally {
        await other.close();
      }
    });
  });

  describe('OAuth v2 token endpoint', () => {
    let openId: string;

    beforeEach(async () => {
      openId = (await feishu.createUser('Oauth User')).open_id;
    });

    const authorizationCode = async (scopes?: string[]): Promise<string> => {
      const result = await feishu.call('POST', '/__mock/authorization-codes', {
        json: { open_id: openId, scopes },
      });
      expect(result.body.code).toEqual(expect.any(String));
      return result.body.code as string;
    };
    const exchange = (body: Record<string, unknown>) =>
      feishu.call('POST', OAUTH_TOKEN_PATH, {
        json: { client_id: 'cli_mock_app', client_secret: 'mock_app_secret', ...body },
      });

    it('exchanges an authorization code for a user token that acts as that user', async () => {
      const result = await exchange({ grant_type: 'authorization_code', code: await authorizationCode() });

      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        code: 0,
        access_token: expect.stringMatching(/^eyJ/),
        expires_in: 7200,
        refresh_token: expect.any(String),
        refresh_token_expires_in: expect.any(Number),
        token_type: 'Bearer',
        scope: expect.any(String),
      });
      expect(result.body.refresh_token_expires_in).toBeGreaterThan(0);

      const created = await createTaskWith(result.body.access_token);
      expect(created.status).toBe(200);
      expect(created.body.data.task.creator).toMatchObject({ id: openId, type: 'user' });
    });

    it('reports the granted scopes space-separated', async () => {
      const scopes = ['task:task:read', 'task:attachment:read'];
      const result = await exchange({
        grant_type: 'authorization_code',
        code: await authorizationCode(scopes),
      });

      expect(result.body.scope.split(' ').sort()).toEqual([...scopes].sort());
    });

    // Feishu: a code is single use (reference §10.2); the emulator answers a reused code with 20065.
    it('refuses a code used a second time with 400/20065 invalid_grant', async () => {
      const code = await authorizationCode();
      expect((await exchange({ grant_type: 'authorization_code', code })).body.code).toBe(0);

      expectOAuthError(await exchange({ grant_type: 'authorization_code', code }), 20065, 'invalid_grant');
    });

    it('refuses an unknown code with 400/20003 invalid_grant', async () => {
      expectOAuthError(
        await exchange({ grant_type: 'authorization_code', code: 'no-such-code' }),
        20003,
        'invalid_grant',
      );
    });

    it('refuses a code older than 5 minutes with 400/20004', async () => {
      const code = await authorizationCode();

      feishu.clock.advance(5 * MINUTE + 1000);

      expectOAuthError(await exchange({ grant_type: 'authorization_code', code }), 20004, 'invalid_grant');
    });

    it('refuses a wrong client_secret with 400/20002', async () => {
      const code = await authorizationCode();

      expectOAuthError(
        await exchange({ grant_type: 'authorization_code', code, client_secret: 'wrong' }),
        20002,
        'invalid_client',
      );
      // The refusal did not spend the code.
      expect((await exchange({ grant_type: 'authorization_code', code })).body.code).toBe(0);
    });

    it('refuses an unknown grant_type with 400/20036', async () => {
      expectOAuthError(await exchange({ grant_type: 'password' }), 20036, 'unsupported_grant_type');
    });

    it('refuses an authorization_code grant without a code with 400/20001 naming the parameter', async () => {
      const result = await exchange({ grant_type: 'authorization_code' });

      expectOAuthError(result, 20001, 'invalid_request');
      expect(result.body.error_description).toContain('code');
    });

    it('refreshes into new tokens once, then refuses the same refresh token with 400/20073', async () => {
      const first = (await exchange({ grant_type: 'authorization_code', code: await authorizationCode() }))
        .body;

      const refreshed = await exchange({ grant_type: 'refresh_token', refresh_token: first.refresh_token });

      expect(refreshed.status).toBe(200);
      expect(refreshed.body).toEqual({
        code: 0,
        access_token: expect.stringMatching(/^eyJ/),
        expires_in: 7200,
        refresh_token: expect.any(String),
        refresh_token_expires_in: expect.any(Number),
        token_type: 'Bearer',
        scope: first.scope,
      });
      expect(refreshed.body.access_token).not.toBe(first.access_token);
      expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
      const created = await createTaskWith(refreshed.body.access_token);
      expect(created.body.data.task.creator).toMatchObject({ id: openId, type: 'user' });

      expectOAuthError(
        await exchange({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
        20073,
        'invalid_grant',
      );
    });
  });

  describe('scopes', () => {
    let taskGuid: string;

    beforeEach(async () => {
      taskGuid = await feishu.createTask(await feishu.tenantToken());
    });

    const listAttachments = (token: string) =>
      feishu.call('GET', '/open-apis/task/v2/attachments', {
        token,
        query: { resource_type: 'task', resource_id: taskGuid },
      });

    it('refuses an app without attachment scopes with 400/99991672 naming the scopes it needs', async () => {
      const created = await feishu.call('POST', '/__mock/apps', {
        json: {
          app_id: 'cli_tasks_only',
          app_secret: 'tasks_only_secret',
          scopes: ['task:task:read', 'task:task:write'],
        },
      });
      expect(created.status).toBeLessThan(300);
      const token = await feishu.tenantToken('cli_tasks_only', 'tasks_only_secret');
      // The task scopes it has do admit task calls.
      expect((await createTaskWith(token)).status).toBe(200);

      const result = await listAttachments(token);

      expectFeishuError(
        result,
        400,
        99991672,
        /^Access denied\. One of the following scopes is required: \[task:attachment:read, task:attachment:write\]/,
      );
      expect(result.body.error.permission_violations).toEqual([
        { type: 'action_scope_required', subject: 'task:attachment:read' },
        { type: 'action_scope_required', subject: 'task:attachment:write' },
      ]);
    });

    it('refuses a user token granted without attachment scopes with 400/99991679', async () => {
      const user = await feishu.createUser('Narrow Grant');
      const token = await feishu.userToken(user.open_id, ['task:task:read', 'task:task:write']);
      expect((await createTaskWith(token)).status).toBe(200);

      const result = await listAttachments(token);

      expectFeishuError(
        result,
        400,
        99991679,
        /required one of these privileges: \[task:attachment:read, task:attachment:write\]\.应用未获取所需的用户授权：\[task:attachment:read, task:attachment:write\]$/,
      );
      expect(result.body.error.permission_violations).toEqual([
        { type: 'action_privilege_required', subject: 'task:attachment:read' },
        { type: 'action_privilege_required', subject: 'task:attachment:write' },
      ]);
    });
  });
});
