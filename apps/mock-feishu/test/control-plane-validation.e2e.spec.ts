import { FEISHU_OPERATIONS } from '../src/http/gateway/feishu-operation.decorator.js';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

let feishu: MockFeishuFixture;

beforeAll(async () => {
  feishu = await createMockFeishu({ rateLimits: false });
});
afterAll(() => feishu?.close());
beforeEach(() => feishu.reset());

const post = (path: string, json: unknown) => feishu.call('POST', path, { json });

function expectBadRequest(result: { status: number; body: any; text: string }, mentions: RegExp) {
  expect({ status: result.status, code: result.body.code }).toEqual({ status: 400, code: 1470400 });
  expect(result.body.msg).toMatch(mentions);
  expect(result.body.error.log_id).toEqual(expect.any(String));
  expect(result.text).not.toMatch(/\n\s+at |node_modules|\/work\//);
}

describe('duplicates on POST /__mock/apps and /__mock/users', () => {
  it('refuses an app_id that exists with 409 in the envelope, and keeps the first app', async () => {
    expect((await post('/__mock/apps', { app_id: 'cli_dup', app_secret: 'first' })).status).toBe(201);
    const again = await post('/__mock/apps', { app_id: 'cli_dup', app_secret: 'second' });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 1470400 });
    expect(again.body.msg).toBe(
      'Conflict: app_id cli_dup already exists; send "replace": true to overwrite it.',
    );
    expect(again.body.error.log_id).toBe(again.headers.get('x-tt-logid'));
    expect(await feishu.tenantToken('cli_dup', 'first')).toMatch(/^t-/);
  });

  it('refuses the default app too, and replaces it with replace: true', async () => {
    const refused = await post('/__mock/apps', { app_id: feishu.app.appId, app_secret: 'x' });
    expect(refused.status).toBe(409);
    expect((await post('/__mock/apps', { app_id: 'cli_dup', app_secret: 'first' })).status).toBe(201);
    const overwritten = await post('/__mock/apps', {
      app_id: 'cli_dup',
      app_secret: 'second',
      scopes: ['task:task:read'],
      replace: true,
    });
    expect(overwritten.status).toBe(201);
    expect(overwritten.body).toEqual({ app_id: 'cli_dup', scopes: ['task:task:read'] });
    expect(await feishu.tenantToken('cli_dup', 'second')).toMatch(/^t-/);
  });

  it('refuses an open_id that exists with 409 unless replace: true, which overwrites the user', async () => {
    expect((await post('/__mock/users', { name: 'First', open_id: 'ou_dup' })).status).toBe(201);
    const again = await post('/__mock/users', { name: 'Second', open_id: 'ou_dup' });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 1470400 });
    expect(again.body.msg).toMatch(/open_id ou_dup already exists; send "replace": true/);

    const replaced = await post('/__mock/users', { name: 'Second', open_id: 'ou_dup', replace: true });
    expect(replaced.status).toBe(201);
    const state = (await feishu.call('GET', '/__mock/state')).body;
    expect(state.users.filter((user: { open_id: string }) => user.open_id === 'ou_dup')).toEqual([
      expect.objectContaining({ name: 'Second' }),
    ]);
  });

  it('refuses a duplicate through the programmatic seeder as well', async () => {
    await feishu.seeder.createUser('A', { openId: 'ou_seeded' });
    await expect(feishu.seeder.createUser('B', { openId: 'ou_seeded' })).rejects.toMatchObject({
      status: 409,
    });
    await expect(
      feishu.seeder.createUser('B', { openId: 'ou_seeded' }, { replace: true }),
    ).resolves.toMatchObject({ name: 'B' });
  });

  it('refuses a replace that is not a boolean', async () => {
    expectBadRequest(await post('/__mock/users', { name: 'A', replace: 'yes' }), /replace/);
  });
});

describe('fault rule validation', () => {
  const fault = (rule: Record<string, unknown>) => post('/__mock/faults', rule);

  it('refuses an unknown operation with a 400 listing every valid name', async () => {
    const result = await fault({ operation: 'attachment.lsit', drop: true });
    expectBadRequest(result, /operation/);
    for (const name of FEISHU_OPERATIONS) expect(result.body.msg).toContain(name);
  });

  it('lists the same operations the emulated surface declares (GET /__mock/operations)', async () => {
    const operations = (await feishu.call('GET', '/__mock/operations')).body.items;
    expect(operations).toEqual([...FEISHU_OPERATIONS].sort());
  });

  it.each([
    [{ operation: 'task.get', error: { status: 399, code: 1 } }, /status/],
    [{ operation: 'task.get', error: { status: 302, code: 1 } }, /status/],
    [{ operation: 'task.get', error: { status: 201, code: 1 } }, /status/],
    [
      { operation: 'task.get', error: { status: 200, code: 0 } },
      /error.status: must be 400-599, or 200 with a non-zero code/,
    ],
    [{ operation: 'task.get', error: { status: 600, code: 1 } }, /status/],
    [{ operation: 'task.get', error: { status: 500, code: 1, headers: { 'bad name': 'x' } } }, /bad name/],
    [{ operation: 'task.get', error: { status: 500, code: 1, headers: { 'x-a': 'v\r\nx-b: y' } } }, /x-a/],
    [{ operation: 'task.get', error: { status: 500, code: 1, headers: { 'x-a': 'v\u0000' } } }, /x-a/],
    [{ operation: 'task.get', error: { status: 500, code: 1, headers: { 'x-a': 'ü€' } } }, /x-a/],
    [{ operation: 'task.get', delayMs: 60_001 }, /delayMs/],
    [{ operation: 'task.get', drop: true, times: 10_001 }, /times/],
    [{ operation: 'task.get', drop: true, times: 0 }, /times/],
    [{ method: 'FETCH', drop: true }, /method/],
  ])('refuses %j with 400', async (rule, mentions) => {
    expectBadRequest(await fault(rule), mentions);
  });

  it('accepts the bounds themselves: status 400 and 599 (and 200 with a code), delayMs 60000, times 10000', async () => {
    for (const rule of [
      { operation: 'task.get', error: { status: 200, code: 99991400 } },
      { operation: 'task.get', error: { status: 400, code: 1470400 } },
      { operation: 'task.get', error: { status: 599, code: 1, headers: { 'x-ok': 'fine value' } } },
      { operation: 'task.get', delayMs: 60_000 },
      { method: 'get', drop: true, times: 10_000 },
    ]) {
      expect({ rule, status: (await fault(rule)).status }).toEqual({ rule, status: 201 });
    }
  });
});

describe('seeded attachment validation', () => {
  const seed = (attachment: Record<string, unknown>) =>
    post('/__mock/tasks', {
      summary: 'seeded',
      attachments: [{ name: 'a.bin', content: 'AAEC', ...attachment }],
    });

  it.each([
    ['not base64', { encoding: 'base64', content: 'not base64!' }, /content: is not valid base64/],
    ['base64 without padding', { encoding: 'base64', content: 'AAE' }, /content/],
    ['base64url alphabet', { encoding: 'base64', content: 'AA-_' }, /content/],
    ['a content type without subtype', { content_type: 'text' }, /content_type/],
    ['a content type with CR/LF', { content_type: 'text/plain\r\nX-Evil: 1' }, /content_type/],
    ['a non-ASCII content type', { content_type: 'tëxt/plain' }, /content_type/],
    ['a content type with a control character', { content_type: 'text/plain\u0007' }, /content_type/],
  ])('refuses %s with 400 and stores nothing', async (_what, attachment, mentions) => {
    const before = await feishu.seeder.counts();
    expectBadRequest(await seed(attachment), mentions);
    expect(await feishu.seeder.counts()).toEqual(before);
  });

  it('accepts strict base64 and a content type with parameters, and downloads it with that type', async () => {
    const seeded = await seed({
      encoding: 'base64',
      content: 'AAEC',
      content_type: 'text/plain; charset=utf-8',
    });
    expect(seeded.status).toBe(201);
    expect(seeded.body.attachments[0].size).toBe(3);
    const issued = await feishu.call(
      'POST',
      `/__mock/attachments/${seeded.body.attachments[0].guid}/download-urls`,
    );
    const download = await fetch(issued.body.url);
    expect(download.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(Buffer.from([0, 1, 2]));
  });

  it('refuses an unwritable content type through the programmatic seeder before storing anything', async () => {
    const taskGuid = await feishu.seeder.createTask({ summary: 'seeded' });
    await expect(
      feishu.seeder.addAttachment(taskGuid, { name: 'a', content: 'a', contentType: 'a/b\nc' }),
    ).rejects.toMatchObject({ status: 400 });
    expect((await feishu.seeder.counts()).attachments).toBe(0);
  });

  it('refuses content over 52428800 bytes from the programmatic seeder', async () => {
    const taskGuid = await feishu.seeder.createTask({ summary: 'seeded' });
    await expect(
      feishu.seeder.addAttachment(taskGuid, { name: 'big', content: Buffer.alloc(52_428_801) }),
    ).rejects.toMatchObject({ status: 400, msg: expect.stringContaining('52428800') });
    expect((await feishu.seeder.counts()).attachments).toBe(0);
  });
});

describe('other control bodies', () => {
  it.each([
    ['/__mock/apps', { app_id: 'x'.repeat(257), app_secret: 's' }, /app_id/],
    ['/__mock/apps', { app_id: 'a', app_secret: 's', scopes: Array(101).fill('s') }, /scopes/],
    ['/__mock/users', { name: '' }, /name/],
    ['/__mock/clock', { advanceMs: 3_153_600_000_001 }, /advanceMs/],
    ['/__mock/clock', { setMs: 8_640_000_000_000_001 }, /setMs/],
    ['/__mock/tasks', { summary: 'x'.repeat(3001) }, /summary/],
    [
      '/__mock/tasks',
      { summary: 's', members: Array(101).fill({ open_id: 'ou', role: 'assignee' }) },
      /members/,
    ],
  ])('refuses POST %s %j with 400', async (path, json, mentions) => {
    expectBadRequest(await post(path, json), mentions);
  });

  it('refuses a journal limit over the journal bound', async () => {
    expectBadRequest(await feishu.call('GET', '/__mock/requests', { query: { limit: 10_001 } }), /limit/);
  });
});
