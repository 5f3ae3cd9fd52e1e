import { startHarness, type Harness } from './support/admin-api.harness.js';

const MISSING_GUID = '00000000-0000-4000-8000-000000000007';
/** Feishu: a user access token lives 2 hours (authentication-management/get-user-access-token). */
const USER_TOKEN_TTL_MS = 2 * 60 * 60 * 1000;

describe('Feishu failures as HTTP answers', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    await h.feishu.reset({ keepTokens: true });
  });

  it("maps Feishu's 404 to 404 with code, msg and log id", async () => {
    const result = await h.call('GET', `/tasks/${MISSING_GUID}`);

    expect(result.status).toBe(404);
    expect(result.body.error).toEqual({
      status: 404,
      message: 'The task does not exist or has been deleted.',
      feishu: {
        code: 1470404,
        msg: 'The task does not exist or has been deleted.',
        logId: expect.any(String),
      },
    });
  });

  it("maps Feishu's 403 for a user who may not read the task to 403", async () => {
    const taskGuid = await h.feishu.seeder.createTask({ summary: "The app's task" });
    const outsider = await h.createUser('Outsider');
    const userToken = await h.userToken(outsider.open_id);

    const result = await h.call('GET', `/tasks/${taskGuid}`, { userToken });

    expect(result.status).toBe(403);
    expect(result.body.error).toEqual({
      status: 403,
      message: 'Permission denied: no read permission on the task.',
      feishu: {
        code: 1470403,
        msg: 'Permission denied: no read permission on the task.',
        logId: expect.any(String),
      },
    });
  });

  it("maps Feishu's 400 for a bad parameter to 400 with Feishu's reason", async () => {
    await h.fault({
      operation: 'task.create',
      error: { status: 400, code: 1470400, msg: "Invalid Param 'summary', injected." },
    });

    const result = await h.call('POST', '/tasks', { json: { summary: 'x' } });

    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({
      status: 400,
      message: "Invalid Param 'summary', injected.",
      feishu: expect.objectContaining({ code: 1470400 }),
    });
  });

  it("maps a rate limit Feishu asks to wait out longer than the client will to 429 with Feishu's Retry-After", async () => {
    await h.fault({
      operation: 'task.get',
      error: {
        status: 429,
        code: 99991400,
        msg: 'request trigger frequency limit',
        headers: { 'x-ogw-ratelimit-reset': '120' },
      },
    });

    const result = await h.call('GET', `/tasks/${MISSING_GUID}`);

    expect(result.status).toBe(429);
    expect(result.headers.get('retry-after')).toBe('120');
    expect(result.body.error).toEqual({
      status: 429,
      message: "Feishu's rate limit was reached; try again in 120 s.",
      feishu: expect.objectContaining({ code: 99991400, msg: 'request trigger frequency limit' }),
    });
    // 120 s is past the client's longest wait, so it gave up at once instead of holding the caller.
    expect(await h.journal({ operation: 'task.get' })).toHaveLength(1);
  });

  it('maps a rate limit that outlasts the retries to 429 with Retry-After 1 when Feishu gave no wait', async () => {
    await h.fault({
      operation: 'task.get',
      times: 3,
      error: {
        status: 429,
        code: 99991400,
        msg: 'request trigger frequency limit',
        headers: { 'x-ogw-ratelimit-reset': '' },
      },
    });

    const result = await h.call('GET', `/tasks/${MISSING_GUID}`);

    expect(result.status).toBe(429);
    expect(result.headers.get('retry-after')).toBe('1');
    // The first try and the client's two retries.
    expect(await h.journal({ operation: 'task.get' })).toHaveLength(3);
  });

  it('maps code 99991400 sent with HTTP 200 to 429 as well', async () => {
    await h.fault({
      operation: 'attachment.get',
      error: {
        status: 200,
        code: 99991400,
        msg: 'request trigger frequency limit',
        headers: { 'x-ogw-ratelimit-reset': '90' },
      },
    });

    const result = await h.call('GET', `/attachments/${MISSING_GUID}`);

    expect(result.status).toBe(429);
    expect(result.headers.get('retry-after')).toBe('90');
  });

  it('maps Feishu 5xx that outlast the retries to 502 naming the status', async () => {
    await h.fault({
      operation: 'task.get',
      times: 3,
      error: { status: 500, code: 1470500, msg: 'Internal server error, please retry.' },
    });

    const result = await h.call('GET', `/tasks/${MISSING_GUID}`);

    expect(result.status).toBe(502);
    expect(result.body.error).toEqual({
      status: 502,
      message: 'Feishu failed with HTTP 500: Internal server error, please retry.',
      feishu: expect.objectContaining({ code: 1470500 }),
    });
  });

  it("maps Feishu rejecting the service's tenant token, even after a fresh one, to 502", async () => {
    await h.fault({
      operation: 'task.get',
      times: 2,
      error: { status: 400, code: 99991663, msg: 'Invalid access token for authorization.' },
    });

    const result = await h.call('GET', `/tasks/${MISSING_GUID}`);

    expect(result.status).toBe(502);
    expect(result.body.error).toEqual({
      status: 502,
      message: "Feishu rejected this service's tenant access token: Invalid access token for authorization.",
      feishu: expect.objectContaining({ code: 99991663 }),
    });
    // The client dropped the token, fetched a new one and tried once more before giving up.
    expect(await h.journal({ operation: 'task.get' })).toHaveLength(2);
  });

  it('maps an answer Feishu is not known to give (HTTP 401, unknown code) to 502 saying so', async () => {
    await h.fault({ operation: 'task.get', error: { status: 401, code: 12345, msg: 'odd' } });

    const result = await h.call('GET', `/tasks/${MISSING_GUID}`);

    expect(result.status).toBe(502);
    expect(result.body.error.message).toBe('Feishu answered unexpectedly (HTTP 401, code 12345): odd');
  });

  it('maps a user token without the scope the call needs to 403 naming the scopes', async () => {
    const user = await h.createUser('Unscoped');
    const userToken = (await h.control('POST', '/user-access-tokens', { open_id: user.open_id, scopes: [] }))
      .access_token as string;

    const result = await h.call('GET', `/tasks/${MISSING_GUID}`, { userToken });

    expect(result.status).toBe(403);
    expect(result.body.error.message).toBe(
      'The Feishu user lacks the permission this call needs (task:task:read or task:task:write).',
    );
    expect(result.body.error.feishu.code).toBe(99991679);
  });

  describe('X-Feishu-User-Access-Token', () => {
    it('answers 401 when Feishu does not know the user token', async () => {
      const result = await h.call('GET', `/tasks/${MISSING_GUID}`, {
        userToken: 'u-not-a-token-feishu-issued',
      });

      expect(result.status).toBe(401);
      expect(result.body.error).toEqual({
        status: 401,
        message: 'Feishu rejected the user access token in X-Feishu-User-Access-Token.',
        feishu: expect.objectContaining({ code: 99991668 }),
      });
    });

    it('answers 401 saying the user token expired once its 2 hours are over', async () => {
      const user = await h.createUser('Late');
      const userToken = await h.userToken(user.open_id);
      h.feishu.clock.advance(USER_TOKEN_TTL_MS + 1000);

      const result = await h.call('GET', `/tasks/${MISSING_GUID}`, { userToken });

      expect(result.status).toBe(401);
      expect(result.body.error.message).toBe(
        'Feishu says the user access token in X-Feishu-User-Access-Token has expired; refresh it.',
      );
      expect(result.body.error.feishu.code).toBe(99991677);
    });

    it('answers 401 for code 99991663 when a user token was given (Feishu took it for a tenant token)', async () => {
      const result = await h.call('GET', `/tasks/${MISSING_GUID}`, {
        userToken: 't-looks-like-a-tenant-token',
      });

      expect(result.status).toBe(401);
      expect(result.body.error.feishu.code).toBe(99991663);
    });
  });

  describe('health', () => {
    it('stays 200 and says Feishu is reachable and authenticated when it answers', async () => {
      const result = await h.call('GET', '/health', { token: null });

      expect(result.body.feishu).toEqual({
        reachable: true,
        authenticated: true,
        latencyMs: expect.any(Number),
      });
    });

    it('stays 200 and reports a rate limit as reachable and authenticated, with the reason', async () => {
      await h.fault({
        operation: 'task.get',
        error: {
          status: 429,
          code: 99991400,
          msg: 'request trigger frequency limit',
          headers: { 'x-ogw-ratelimit-reset': '120' },
        },
      });

      const result = await h.call('GET', '/health', { token: null });

      expect(result.status).toBe(200);
      expect(result.body.feishu).toEqual({
        reachable: true,
        authenticated: true,
        latencyMs: expect.any(Number),
        error: 'Feishu answered code 99991400: request trigger frequency limit',
      });
    });
  });
});

describe('Feishu unreachable or refusing our credentials', () => {
  it('answers 502 saying Feishu is unreachable once the emulator is stopped, and health reports it', async () => {
    const h = await startHarness();
    try {
      const feishuUrl = h.feishu.url;
      await h.feishu.close();

      const result = await h.call('GET', `/tasks/${MISSING_GUID}`);
      const health = await h.call('GET', '/health', { token: null });

      expect(result.status).toBe(502);
      expect(result.body).toEqual({
        error: { status: 502, message: `Feishu is unreachable: could not connect to ${feishuUrl}.` },
      });
      expect(health.status).toBe(200);
      expect(health.body).toEqual({
        status: 'ok',
        feishu: {
          reachable: false,
          authenticated: false,
          latencyMs: expect.any(Number),
          error: `Feishu is unreachable: could not connect to ${feishuUrl}.`,
        },
      });
      expect(h.logs.some((line) => line.includes(`GET /tasks/${MISSING_GUID} → 502`))).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('answers 504 saying Feishu is unreachable when it does not answer within FEISHU_TIMEOUT_MS; health says so too', async () => {
    const h = await startHarness({ feishu: { timeoutMs: 150 } });
    try {
      await h.call('GET', '/health', { token: null }); // fetches the tenant token before the stall
      // On a frozen clock the emulator holds these calls until advanced, which never happens here:
      // only admin-api's 150 ms timeout (real time, the behaviour under test) can end them.
      h.feishu.clock.freeze(true);
      await h.fault({ operation: 'task.get', times: 6, delayMs: 60_000 });

      const result = await h.call('GET', `/tasks/${MISSING_GUID}`);
      const health = await h.call('GET', '/health', { token: null });

      expect(result.status).toBe(504);
      expect(result.body).toEqual({
        error: {
          status: 504,
          message: `Feishu is unreachable: ${h.feishu.url} did not answer within 150 ms.`,
        },
      });
      expect(health.status).toBe(200);
      expect(health.body.feishu).toEqual({
        reachable: false,
        authenticated: false,
        latencyMs: expect.any(Number),
        error: `Feishu is unreachable: ${h.feishu.url} did not answer in time.`,
      });
    } finally {
      await h.close();
    }
  });

  it("answers 502 naming FEISHU_APP_ID and FEISHU_APP_SECRET when Feishu refuses the app's credentials", async () => {
    const h = await startHarness({ feishu: { appSecret: 'not-the-app-secret' } });
    try {
      const result = await h.call('GET', `/tasks/${MISSING_GUID}`);
      const health = await h.call('GET', '/health', { token: null });

      expect(result.status).toBe(502);
      expect(result.body.error).toEqual({
        status: 502,
        message:
          "Feishu rejected this service's app credentials (check FEISHU_APP_ID and FEISHU_APP_SECRET): app secret invalid",
        feishu: { code: 10014, msg: 'app secret invalid', logId: expect.any(String) },
      });
      expect(health.body.feishu).toEqual({
        reachable: true,
        authenticated: false,
        latencyMs: expect.any(Number),
        error:
          'Feishu rejected the app credentials (FEISHU_APP_ID / FEISHU_APP_SECRET): code 10014, app secret invalid',
      });
    } finally {
      await h.close();
    }
  });

  it('maps an app without the attachment scopes to 403 naming them, while health stays authenticated', async () => {
    const h = await startHarness({ feishu: { appId: 'cli_scopeless', appSecret: 'scopeless_secret' } });
    try {
      // The harness's emulator seeded this app with every scope; replace it with one that lacks them.
      await h.control('POST', '/apps', {
        app_id: 'cli_scopeless',
        app_secret: 'scopeless_secret',
        scopes: ['task:task:read', 'task:task:write'],
        replace: true,
      });
      const task = await h.call('POST', '/tasks', { json: { summary: 'x' } });

      const result = await h.call('GET', `/tasks/${task.body.guid}/attachments`);
      const health = await h.call('GET', '/health', { token: null });

      expect(result.status).toBe(403);
      expect(result.body.error.message).toBe(
        'The Feishu app lacks the permission this call needs (task:attachment:read or task:attachment:write).',
      );
      expect(result.body.error.feishu.code).toBe(99991672);
      expect(health.body.feishu).toEqual({
        reachable: true,
        authenticated: true,
        latencyMs: expect.any(Number),
      });
    } finally {
      await h.close();
    }
  });

  it('answers 502 for an app id Feishu does not know (code 10003)', async () => {
    const h = await startHarness({ feishu: { appId: 'cli_unknown_app' } });
    try {
      const result = await h.call('POST', '/tasks', { json: { summary: 'x' } });

      expect(result.status).toBe(502);
      expect(result.body.error.feishu.code).toBe(10003);
      expect(result.body.error.message).toMatch(/^Feishu rejected this service's app credentials/);
    } finally {
      await h.close();
    }
  });
});
