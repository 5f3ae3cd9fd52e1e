import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('control plane', () => {
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

  const getTask = (token: string, guid: string) =>
    feishu.call('GET', `/open-apis/task/v2/tasks/${guid}`, { token });

  it('answers GET /__mock/health with 200', async () => {
    const result = await feishu.call('GET', '/__mock/health');

    expect(result.status).toBe(200);
    expect(result.body.status).toBe('ok');
  });

  describe('reset', () => {
    it('removes tasks, so an old task guid answers 404/1470404', async () => {
      const token = await feishu.tenantToken();
      const taskGuid = await feishu.createTask(token);

      const reset = await feishu.call('POST', '/__mock/reset', { json: {} });
      const fresh = await feishu.tenantToken();

      expect(reset.status).toBe(200);
      const result = await getTask(fresh, taskGuid);
      expect(result.status).toBe(404);
      expect(result.body.code).toBe(1470404);
    });

    it('revokes issued tokens, so an old tenant token answers 99991663', async () => {
      const token = await feishu.tenantToken();
      expect(
        (await feishu.call('POST', '/open-apis/task/v2/tasks', { token, json: { summary: 'before' } }))
          .status,
      ).toBe(200);

      await feishu.call('POST', '/__mock/reset', { json: {} });

      const result = await feishu.call('POST', '/open-apis/task/v2/tasks', {
        token,
        json: { summary: 'after' },
      });
      expect(result.status).toBe(400);
      expect(result.body.code).toBe(99991663);
    });

    it('revokes user tokens and forgets users', async () => {
      const user = await feishu.createUser('Ken');
      const userToken = await feishu.userToken(user.open_id);

      await feishu.call('POST', '/__mock/reset', { json: {} });

      const call = await feishu.call('POST', '/open-apis/task/v2/tasks', {
        token: userToken,
        json: { summary: 'x' },
      });
      expect(call.body.code).toBe(99991668);
      const reissue = await feishu.call('POST', '/__mock/user-access-tokens', {
        json: { open_id: user.open_id },
      });
      expect(reissue.status).toBe(400);
    });

    it('puts the clock back to real time', async () => {
      await feishu.call('POST', '/__mock/clock', { json: { advanceMs: DAY_MS } });

      await feishu.call('POST', '/__mock/reset', { json: {} });

      const { now } = (await feishu.call('GET', '/__mock/clock')).body;
      expect(Math.abs(now - Date.now())).toBeLessThan(60_000);
    });

    it('keeps the tenant token working with keepTokens: true but still drops tasks', async () => {
      const token = await feishu.tenantToken();
      const taskGuid = await feishu.createTask(token);

      const reset = await feishu.call('POST', '/__mock/reset', { json: { keepTokens: true } });

      expect(reset.status).toBe(200);
      const old = await getTask(token, taskGuid);
      expect(old.status).toBe(404);
      expect(old.body.code).toBe(1470404);
      const created = await feishu.call('POST', '/open-apis/task/v2/tasks', {
        token,
        json: { summary: 'still allowed' },
      });
      expect(created.status).toBe(200);
      expect(created.body.code).toBe(0);
    });

    it('accepts a reset without a body', async () => {
      const result = await feishu.call('POST', '/__mock/reset');

      expect(result.status).toBe(200);
    });

    it('refuses an unknown reset option with 400 naming it', async () => {
      const result = await feishu.call('POST', '/__mock/reset', { json: { keepTasks: true } });

      expect(result.status).toBe(400);
      expect(result.body.msg).toContain('keepTasks');
    });
  });

  describe('clock', () => {
    it('moves forward by advanceMs and answers the new now', async () => {
      const before = (await feishu.call('GET', '/__mock/clock')).body.now as number;

      const result = await feishu.call('POST', '/__mock/clock', { json: { advanceMs: DAY_MS } });

      expect(result.status).toBe(200);
      expect(result.body.now).toBeGreaterThanOrEqual(before + DAY_MS);
      expect(result.body.now).toBeLessThan(before + DAY_MS + 60_000);
    });

    it('jumps to setMs and answers it as now', async () => {
      const target = Date.UTC(2030, 0, 1);

      const result = await feishu.call('POST', '/__mock/clock', { json: { setMs: target } });

      expect(result.status).toBe(200);
      expect(result.body.now).toBeGreaterThanOrEqual(target);
      expect(result.body.now).toBeLessThan(target + 1000);
      expect(feishu.clock.now()).toBeGreaterThanOrEqual(target);
    });

    it('makes tokens expire when the clock passes their lifetime', async () => {
      const token = await feishu.tenantToken();

      await feishu.call('POST', '/__mock/clock', { json: { advanceMs: 7200 * 1000 } });

      expect(
        (await feishu.call('POST', '/open-apis/task/v2/tasks', { token, json: { summary: 'late' } })).body
          .code,
      ).toBe(99991663);
    });

    it('freezes time, so now stays put until advanced or unfrozen', async () => {
      const frozen = await feishu.call('POST', '/__mock/clock', {
        json: { setMs: Date.UTC(2030, 0, 1), freeze: true },
      });
      expect(frozen.body).toEqual({ now: Date.UTC(2030, 0, 1), frozen: true });

      // Real time passes between these calls; the emulator's does not.
      await new Promise((resolve) => setImmediate(resolve));
      expect((await feishu.call('GET', '/__mock/clock')).body).toEqual({
        now: Date.UTC(2030, 0, 1),
        frozen: true,
      });

      const advanced = await feishu.call('POST', '/__mock/clock', { json: { advanceMs: 1500 } });
      expect(advanced.body).toEqual({ now: Date.UTC(2030, 0, 1) + 1500, frozen: true });

      const thawed = await feishu.call('POST', '/__mock/clock', { json: { freeze: false } });
      expect(thawed.body.frozen).toBe(false);
      expect(thawed.body.now).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1) + 1500);
      expect(thawed.body.now).toBeLessThan(Date.UTC(2030, 0, 1) + 1500 + 60_000);
    });

    it('is unfrozen and back to real time after a reset, even one that keeps tokens', async () => {
      await feishu.call('POST', '/__mock/clock', { json: { setMs: Date.UTC(2030, 0, 1), freeze: true } });

      await feishu.call('POST', '/__mock/reset', { json: { keepTokens: true } });

      const { now, frozen } = (await feishu.call('GET', '/__mock/clock')).body;
      expect(frozen).toBe(false);
      expect(Math.abs(now - Date.now())).toBeLessThan(60_000);
    });

    it.each([
      ['an empty body', {}, 'advanceMs or setMs'],
      ['a non-boolean freeze', { freeze: 'yes' }, 'freeze'],
      ['both fields', { advanceMs: 1, setMs: 2 }, 'advanceMs or setMs'],
      ['a negative advance', { advanceMs: -1 }, 'advanceMs'],
      ['a fractional advance', { advanceMs: 1.5 }, 'advanceMs'],
      ['a string time', { setMs: '2030-01-01' }, 'setMs'],
      ['an unknown field', { advance: 1000 }, '"advance"'],
    ])('refuses %s with 400 naming the field', async (_label, body, named) => {
      const before = feishu.clock.now();

      const result = await feishu.call('POST', '/__mock/clock', { json: body });

      expect(result.status).toBe(400);
      expect(result.body.code).toBe(1470400);
      expect(result.body.msg).toContain(named);
      // Nothing of a refused change is applied.
      expect(Math.abs(feishu.clock.now() - before)).toBeLessThan(60_000);
    });
  });

  describe('identities', () => {
    it('creates a user with Feishu-shaped ids', async () => {
      const result = await feishu.call('POST', '/__mock/users', { json: { name: 'Margaret' } });

      expect(result.status).toBe(201);
      expect(result.body).toEqual({
        name: 'Margaret',
        open_id: expect.stringMatching(/^ou_[0-9a-f]{32}$/),
        union_id: expect.stringMatching(/^on_[0-9a-f]{32}$/),
        user_id: expect.any(String),
      });
      expect(result.body.user_id).not.toBe('');
    });

    it('gives each user different ids', async () => {
      const first = (await feishu.call('POST', '/__mock/users', { json: { name: 'A' } })).body;
      const second = (await feishu.call('POST', '/__mock/users', { json: { name: 'B' } })).body;

      expect(second.open_id).not.toBe(first.open_id);
      expect(second.union_id).not.toBe(first.union_id);
    });

    it('refuses a user without a name with 400 naming it', async () => {
      const result = await feishu.call('POST', '/__mock/users', { json: {} });

      expect(result.status).toBe(400);
      expect(result.body.msg).toContain('name');
    });

    it('issues a user access token that the API accepts for that user', async () => {
      const user = (await feishu.call('POST', '/__mock/users', { json: { name: 'Frances' } })).body;

      const issued = await feishu.call('POST', '/__mock/user-access-tokens', {
        json: { open_id: user.open_id },
      });

      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({
        access_token: expect.any(String),
        expires_in: 7200,
        refresh_token: expect.any(String),
      });
      const created = await feishu.call('POST', '/open-apis/task/v2/tasks', {
        token: issued.body.access_token,
        json: { summary: 'by a user' },
      });
      expect(created.status).toBe(200);
      expect(created.body.data.task.creator).toMatchObject({ id: user.open_id, type: 'user' });
    });

    it('refuses a user access token for an unknown open_id with 400 naming open_id', async () => {
      const result = await feishu.call('POST', '/__mock/user-access-tokens', {
        json: { open_id: 'ou_00000000000000000000000000000000' },
      });

      expect(result.status).toBe(400);
      expect(result.body.msg).toContain('open_id');
    });

    it('refuses a user access token or an authorization code for an unknown app with 400 naming app_id', async () => {
      const user = await feishu.createUser('Grace');

      for (const path of ['/__mock/user-access-tokens', '/__mock/authorization-codes']) {
        const result = await feishu.call('POST', path, {
          json: { open_id: user.open_id, app_id: 'cli_nobody' },
        });
        expect(result.status).toBe(400);
        expect(result.body.code).toBe(1470400);
        expect(result.body.msg).toContain("'app_id'");
      }
    });

    it('registers another app whose credentials then get a tenant token', async () => {
      const created = await feishu.call('POST', '/__mock/apps', {
        json: { app_id: 'cli_other', app_secret: 'other_secret' },
      });

      expect(created.status).toBe(201);
      expect(created.body.app_id).toBe('cli_other');
      const token = await feishu.tenantToken('cli_other', 'other_secret');
      expect(token).toMatch(/^t-/);
    });
  });

  describe('seeding tasks', () => {
    it('seeds a task with attachments owned by the default app', async () => {
      const seeded = await feishu.call('POST', '/__mock/tasks', {
        json: {
          summary: 'seeded task',
          attachments: [
            { name: 'readme.txt', content: 'hello world' },
            { name: 'data.bin', content: Buffer.from([0, 1, 2, 255]).toString('base64'), encoding: 'base64' },
          ],
        },
      });
      expect(seeded.status).toBe(201);
      expect(seeded.body).toEqual({
        task_guid: expect.any(String),
        attachments: [
          { guid: expect.any(String), name: 'readme.txt', size: 11 },
          { guid: expect.any(String), name: 'data.bin', size: 4 },
        ],
      });

      const token = await feishu.tenantToken();
      const task = await feishu.call('GET', `/open-apis/task/v2/tasks/${seeded.body.task_guid}`, { token });
      expect(task.status).toBe(200);
      expect(task.body.data.task).toMatchObject({
        summary: 'seeded task',
        creator: { id: 'cli_mock_app', type: 'app' },
      });

      const listed = await feishu.call('GET', '/open-apis/task/v2/attachments', {
        token,
        query: { resource_type: 'task', resource_id: seeded.body.task_guid },
      });
      expect(listed.body.data.items.map((item: { name: string }) => item.name)).toEqual([
        'readme.txt',
        'data.bin',
      ]);
      for (const item of listed.body.data.items) {
        expect(item.uploader).toMatchObject({ id: 'cli_mock_app', type: 'app' });
      }
      const bytes = Buffer.from(await (await fetch(listed.body.data.items[1].url)).arrayBuffer());
      expect([...bytes]).toEqual([0, 1, 2, 255]);
    });

    it('stores nothing when a seeded attachment names an unknown uploader', async () => {
      const result = await feishu.call('POST', '/__mock/tasks', {
        json: {
          summary: 'half made?',
          attachments: [
            { name: 'ok.txt', content: 'fine' },
            { name: 'bad.txt', content: 'x', uploader_open_id: 'ou_00000000000000000000000000000000' },
          ],
        },
      });

      expect(result.status).toBe(400);
      expect(result.body.msg).toContain('ou_00000000000000000000000000000000');
      expect(await feishu.seeder.counts()).toEqual({ tasks: 0, attachments: 0 });
    });

    it('refuses a seeded attachment without a name with 400 naming it', async () => {
      const result = await feishu.call('POST', '/__mock/tasks', {
        json: { summary: 'bad', attachments: [{ content: 'x' }] },
      });

      expect(result.status).toBe(400);
      expect(result.body.msg).toContain('attachments.0.name');
    });
  });

  it('serves its OpenAPI document as YAML', async () => {
    const result = await feishu.call('GET', '/__mock/openapi.yaml');

    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^application\/yaml/);
  });

  it('is not served when started with controlPlane: false, while the Feishu API still works', async () => {
    const bare = await createMockFeishu({ controlPlane: false });
    try {
      const health = await bare.call('GET', '/__mock/health');
      expect(health.status).toBe(404);
      expect(health.text).toBe('404 page not found');
      expect((await bare.call('POST', '/__mock/reset')).status).toBe(404);

      const token = await bare.tenantToken();
      const created = await bare.call('POST', '/open-apis/task/v2/tasks', {
        token,
        json: { summary: 'no control plane' },
      });
      expect(created.status).toBe(200);
      expect(created.body.code).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
