import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';
import type { JournalEntry } from '../src/core/control-plane/journal.service.js';

describe('request journal', () => {
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });

  afterAll(async () => {
    await feishu.close();
  });

  beforeEach(async () => {
    await feishu.reset();
  });

  async function journal(query: Record<string, string | number> = {}): Promise<JournalEntry[]> {
    const result = await feishu.call('GET', '/__mock/requests', { query });
    expect(result.status).toBe(200);
    return result.body.items;
  }

  it('records an emulated call with its method, path, query, status, code, operation, caller and log id', async () => {
    const token = await feishu.tenantToken();
    const taskGuid = await feishu.createTask(token);
    const before = feishu.clock.now();

    const got = await feishu.call('GET', `/open-apis/task/v2/tasks/${taskGuid}`, {
      token,
      query: { user_id_type: 'union_id' },
    });

    const entries = await journal();
    const entry = entries[entries.length - 1];
    expect(entry).toEqual({
      id: expect.any(Number),
      at: expect.any(Number),
      method: 'GET',
      path: `/open-apis/task/v2/tasks/${taskGuid}`,
      query: { user_id_type: 'union_id' },
      status: 200,
      code: 0,
      operation: 'task.get',
      caller: 'app:cli_mock_app',
      log_id: got.headers.get('x-tt-logid'),
      duration_ms: expect.any(Number),
      completed: true,
    });
    expect(entry.duration_ms).toBeGreaterThanOrEqual(0);
    expect(entry.at).toBeGreaterThanOrEqual(before);
    expect(entry.at).toBeLessThanOrEqual(feishu.clock.now());
  });

  it('stamps entries with the emulator clock, not the wall clock', async () => {
    const token = await feishu.tenantToken();
    const moved = await feishu.call('POST', '/__mock/clock', { json: { advanceMs: 86_400_000 } });

    await feishu.call('GET', '/open-apis/task/v2/tasks/missing', { token });

    const [entry] = await journal({ operation: 'task.get' });
    expect(entry.at).toBeGreaterThanOrEqual(moved.body.now);
  });

  it('records the Feishu code and status of a failed call', async () => {
    const token = await feishu.tenantToken();

    const missing = await feishu.call(
      'GET',
      '/open-apis/task/v2/tasks/00000000-0000-4000-8000-000000000000',
      { token },
    );
    const unauthenticated = await feishu.call('POST', '/open-apis/task/v2/tasks', { json: { summary: 'x' } });

    expect(missing.status).toBe(404);
    const entries = await journal();
    expect(entries.slice(-2)).toEqual([
      expect.objectContaining({
        status: 404,
        code: 1470404,
        operation: 'task.get',
        caller: 'app:cli_mock_app',
      }),
      expect.objectContaining({ status: unauthenticated.status, code: 99991661, operation: 'task.create' }),
    ]);
    // Nobody was authenticated, so the journal names no caller.
    expect(entries[entries.length - 1].caller).toBeUndefined();
  });

  it('names a user caller by open_id', async () => {
    const user = await feishu.createUser('Grace');
    const userToken = await feishu.userToken(user.open_id);

    await feishu.createTask(userToken);

    const [entry] = await journal({ operation: 'task.create' });
    expect(entry.caller).toBe(`user:${user.open_id}`);
  });

  it('lists calls in the order they arrived, newest last', async () => {
    const token = await feishu.tenantToken();
    const taskGuid = await feishu.createTask(token);
    await feishu.call('GET', `/open-apis/task/v2/tasks/${taskGuid}`, { token });
    await feishu.call('DELETE', `/open-apis/task/v2/tasks/${taskGuid}`, { token });

    const entries = await journal();

    expect(entries.map((entry) => entry.operation)).toEqual([
      'auth.tenantAccessToken',
      'task.create',
      'task.get',
      'task.delete',
    ]);
    const ids = entries.map((entry) => entry.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('does not record control-plane calls', async () => {
    await feishu.call('GET', '/__mock/health');
    await feishu.call('POST', '/__mock/users', { json: { name: 'Linus' } });
    await feishu.call('POST', '/__mock/tasks', { json: { summary: 'seeded' } });
    await feishu.call('GET', '/__mock/requests');

    expect(await journal()).toEqual([]);
  });

  it('records calls to unknown routes with their 404 and no operation', async () => {
    await feishu.call('GET', '/open-apis/task/v2/nowhere');

    const entries = await journal({ path: '/open-apis/task/v2/nowhere' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ method: 'GET', status: 404 });
    expect(entries[0].operation).toBeUndefined();
  });

  it('filters by operation, method, path and limit', async () => {
    const token = await feishu.tenantToken();
    const first = await feishu.createTask(token);
    const second = await feishu.createTask(token);
    await feishu.call('GET', `/open-apis/task/v2/tasks/${first}`, { token });
    await feishu.call('GET', `/open-apis/task/v2/tasks/${second}`, { token });
    await feishu.call('GET', `/open-apis/task/v2/tasks/${second}`, { token });

    expect((await journal({ operation: 'task.create' })).map((entry) => entry.operation)).toEqual([
      'task.create',
      'task.create',
    ]);
    expect((await journal({ method: 'post' })).map((entry) => entry.operation)).toEqual([
      'auth.tenantAccessToken',
      'task.create',
      'task.create',
    ]);
    expect(await journal({ path: `/open-apis/task/v2/tasks/${second}` })).toHaveLength(2);
    expect(await journal({ path: '/open-apis/task/v2/tasks/' })).toEqual([]);

    const lastTwo = await journal({ limit: 2 });
    expect(lastTwo.map((entry) => entry.path)).toEqual([
      `/open-apis/task/v2/tasks/${second}`,
      `/open-apis/task/v2/tasks/${second}`,
    ]);
    const combined = await journal({ operation: 'task.get', limit: 1 });
    expect(combined).toHaveLength(1);
    expect(combined[0].path).toBe(`/open-apis/task/v2/tasks/${second}`);
  });

  it('refuses an unknown filter or a bad limit with 400 naming it', async () => {
    const unknown = await feishu.call('GET', '/__mock/requests', { query: { status: 200 } });
    const badLimit = await feishu.call('GET', '/__mock/requests', { query: { limit: 0 } });

    expect(unknown.status).toBe(400);
    expect(unknown.body.msg).toContain('status');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.msg).toContain('limit');
  });

  it('never holds a token, tenant or user, anywhere in its entries', async () => {
    const tenantToken = await feishu.tenantToken();
    const user = await feishu.createUser('Barbara');
    const issued = (
      await feishu.call('POST', '/__mock/user-access-tokens', { json: { open_id: user.open_id } })
    ).body;
    const taskGuid = await feishu.createTask(tenantToken);
    await feishu.call('GET', `/open-apis/task/v2/tasks/${taskGuid}`, { token: issued.access_token });
    await feishu.call('POST', '/open-apis/authen/v2/oauth/token', {
      json: {
        grant_type: 'refresh_token',
        client_id: feishu.app.appId,
        client_secret: feishu.app.appSecret,
        refresh_token: issued.refresh_token,
      },
    });
    await feishu.call('GET', '/open-apis/task/v2/tasks/unknown', { token: 'not-a-real-token' });

    const raw = (await feishu.call('GET', '/__mock/requests')).text;

    expect(JSON.parse(raw).items.length).toBeGreaterThanOrEqual(5);
    for (const secret of [
      tenantToken,
      issued.access_token,
      issued.refresh_token,
      feishu.app.appSecret,
      'not-a-real-token',
    ]) {
      expect(raw).not.toContain(secret);
    }
  });

  it('empties on DELETE /__mock/requests', async () => {
    const token = await feishu.tenantToken();
    await feishu.createTask(token);

    const cleared = await feishu.call('DELETE', '/__mock/requests');

    expect(cleared.status).toBe(200);
    expect(await journal()).toEqual([]);
  });

  it('keeps only the newest journalSize calls', async () => {
    const small = await createMockFeishu({ journalSize: 3 });
    try {
      for (const name of ['a', 'b', 'c', 'd', 'e']) await small.call('GET', `/open-apis/${name}`);

      const entries = (await small.call('GET', '/__mock/requests')).body.items as JournalEntry[];

      expect(entries.map((entry) => entry.path)).toEqual(['/open-apis/c', '/open-apis/d', '/open-apis/e']);
    } finally {
      await small.close();
    }
  });
});

describe('the request log', () => {
  it('prints one line per call and never a download URL’s code, which is its credential', async () => {
    const lines: string[] = [];
    const isDownload = (line: string) => line.startsWith('GET /download/authcode/');
    // The line is written when the emulator's side of the answer closes, some turns after the
    // client has it; waiting for the line itself does not depend on how busy the machine is.
    let downloadLogged!: () => void;
    const logged = new Promise<void>((resolve) => (downloadLogged = resolve));
    const feishu = await createMockFeishu({
      logRequests: true,
      log: (line) => {
        lines.push(line);
        if (isDownload(line)) downloadLogged();
      },
    });
    try {
      const seeded = await feishu.call('POST', '/__mock/tasks', {
        json: { summary: 'logged', attachments: [{ name: 'a.txt', content: 'hi' }] },
      });
      const token = await feishu.tenantToken();
      const got = await feishu.call(
        'GET',
        `/open-apis/task/v2/attachments/${seeded.body.attachments[0].guid}`,
        { token },
      );
      const url: string = got.body.data.attachment.url;
      const code = new URL(url).searchParams.get('code')!;
      await (await fetch(url)).text();
      await logged;

      const download = lines.find(isDownload);
      expect(download).toMatch(/^GET \/download\/authcode\/\?code=… → 200 \(/);
      expect(lines.join('\n')).not.toContain(code);
    } finally {
      await feishu.close();
    }
  });
});
