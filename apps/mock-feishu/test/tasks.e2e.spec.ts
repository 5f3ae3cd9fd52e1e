import { randomUUID } from 'node:crypto';
import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const TASKS_PATH = '/open-apis/task/v2/tasks';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MS_STRING = /^\d{13}$/;

/** Feishu's Task v2 error shape: `{code, msg, error:{log_id}}`, log id echoed in X-Tt-Logid. */
function expectFeishuError(result: HttpResult, status: number, code: number, msg?: RegExp): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status, code });
  expect(result.body).toEqual({
    code,
    msg: msg ? expect.stringMatching(msg) : expect.any(String),
    error: expect.objectContaining({ log_id: result.headers.get('x-tt-logid') }),
  });
  expect(result.body.error.log_id).toEqual(expect.any(String));
}

describe('mock-feishu tasks', () => {
  let feishu: MockFeishuFixture;
  let token: string;
  let creator: { open_id: string };
  let assignee: { open_id: string };

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    creator = await feishu.createUser('Creator');
    assignee = await feishu.createUser('Assignee');
    token = await feishu.userToken(creator.open_id);
  });

  const createTask = (body: unknown) => feishu.call('POST', TASKS_PATH, { token, json: body });
  const getTask = (guid: string) => feishu.call('GET', `${TASKS_PATH}/${guid}`, { token });

  describe('create', () => {
    it('answers 200 with the task: guid, creator, members, no attachments, todo, ms timestamps, task_id and url', async () => {
      const before = feishu.clock.now();
      const result = await createTask({
        summary: 'Write the report',
        members: [{ id: assignee.open_id, type: 'user', role: 'assignee' }],
      });
      const after = feishu.clock.now();

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ code: 0, msg: 'success' });
      const task = result.body.data.task;
      expect(task).toMatchObject({
        guid: expect.stringMatching(UUID),
        summary: 'Write the report',
        creator: { id: creator.open_id, type: 'user' },
        members: [{ id: assignee.open_id, type: 'user', role: 'assignee' }],
        attachments: [],
        status: 'todo',
        completed_at: '0',
        created_at: expect.stringMatching(MS_STRING),
        updated_at: expect.stringMatching(MS_STRING),
        task_id: expect.stringMatching(/^t\d+$/),
      });
      // Timestamps come from the emulator clock, so moving the clock moves them.
      expect(Number(task.created_at)).toBeGreaterThanOrEqual(before);
      expect(Number(task.created_at)).toBeLessThanOrEqual(after);
      expect(task.url).toBe(
        `https://applink.feishu.cn/client/todo/detail?guid=${task.guid}&suite_entity_num=${task.task_id}`,
      );
    });

    it('gives every task its own guid and task_id', async () => {
      const first = (await createTask({ summary: 'one' })).body.data.task;
      const second = (await createTask({ summary: 'two' })).body.data.task;

      expect(second.guid).not.toBe(first.guid);
      expect(second.task_id).not.toBe(first.task_id);
    });

    it.each([
      ['missing', {}],
      ['empty', { summary: '' }],
      ['not a string', { summary: 42 }],
    ])('refuses a task whose summary is %s with 400/1470400 naming summary', async (_what, body) => {
      expectFeishuError(await createTask(body), 400, 1470400, /'summary'/);
    });

    it('accepts a summary of exactly 3000 characters, counted as characters rather than bytes', async () => {
      const ascii = await createTask({ summary: 'a'.repeat(3000) });
      const cjk = await createTask({ summary: '任'.repeat(3000) });

      expect([ascii.status, cjk.status]).toEqual([200, 200]);
      expect(cjk.body.data.task.summary).toBe('任'.repeat(3000));
    });

    it('refuses a summary of 3001 characters with 400/1470400 naming summary', async () => {
      expectFeishuError(await createTask({ summary: 'a'.repeat(3001) }), 400, 1470400, /'summary'.*3000/);
    });

    it('refuses a member with an unknown role with 400/1470400 naming the role', async () => {
      const result = await createTask({
        summary: 'x',
        members: [{ id: assignee.open_id, type: 'user', role: 'owner' }],
      });

      expectFeishuError(result, 400, 1470400, /role/);
    });

    it('refuses a member who is not a known user with 400/1470400', async () => {
      const result = await createTask({
        summary: 'x',
        members: [{ id: 'ou_nobody', type: 'user', role: 'assignee' }],
      });

      expectFeishuError(result, 400, 1470400, /members/);
    });

    it('refuses a body that is not JSON with 400/1470400 and no stack trace', async () => {
      const response = await fetch(new URL(TASKS_PATH, feishu.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{bad',
      });
      const text = await response.text();
      const result: HttpResult = {
        status: response.status,
        headers: response.headers,
        body: JSON.parse(text),
        text,
      };

      expectFeishuError(result, 400, 1470400);
      expect(Object.keys(result.body).sort()).toEqual(['code', 'error', 'msg']);
      expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|\.js:\d+/);
      expect(result.body.error).not.toHaveProperty('stack');
    });
  });

  describe('get', () => {
    it('answers 200 with the same fields as create', async () => {
      const created = (
        await createTask({
          summary: 'Read me back',
          members: [{ id: assignee.open_id, type: 'user', role: 'follower' }],
        })
      ).body.data.task;

      const result = await getTask(created.guid);

      expect(result.status).toBe(200);
      expect(result.body).toEqual({ code: 0, msg: 'success', data: { task: created } });
    });

    it('lists the attachments uploaded to the task, without download urls', async () => {
      const guid = (await createTask({ summary: 'with files' })).body.data.task.guid;
      const uploaded = await feishu.upload(token, guid, [
        { name: 'a.txt', content: 'alpha' },
        { name: 'b.txt', content: 'bravo!' },
      ]);
      expect(uploaded.status).toBe(200);

      const task = (await getTask(guid)).body.data.task;

      expect(task.attachments).toEqual(uploaded.body.data.items);
      expect(
        task.attachments.map((attachment: { name: string; size: number }) => [
          attachment.name,
          attachment.size,
        ]),
      ).toEqual([
        ['a.txt', 5],
        ['b.txt', 6],
      ]);
      expect(task.attachments[0]).toMatchObject({ resource: { type: 'task', id: guid } });
      expect(task.attachments[0]).not.toHaveProperty('url');
    });

    it('answers an unknown guid with 404/1470404', async () => {
      expectFeishuError(await getTask(randomUUID()), 404, 1470404);
    });
  });

  describe('delete', () => {
    it('answers 200 {code:0, data:{}} and the task is then gone', async () => {
      const guid = (await createTask({ summary: 'doomed' })).body.data.task.guid;

      const result = await feishu.call('DELETE', `${TASKS_PATH}/${guid}`, { token });

      expect(result.status).toBe(200);
      expect(result.body).toEqual({ code: 0, msg: 'success', data: {} });
      expectFeishuError(await getTask(guid), 404, 1470404);
      expectFeishuError(await feishu.call('DELETE', `${TASKS_PATH}/${guid}`, { token }), 404, 1470404);
    });

    it('takes the attachments with it: get and list answer 404/1470404 and an earlier download URL is refused', async () => {
      const guid = (await createTask({ summary: 'with a file' })).body.data.task.guid;
      const uploaded = await feishu.upload(token, guid, [{ name: 'keep.txt', content: 'contents' }]);
      const attachmentGuid = uploaded.body.data.items[0].guid as string;
      const url = (await feishu.call('GET', `/open-apis/task/v2/attachments/${attachmentGuid}`, { token }))
        .body.data.attachment.url as string;
      // The URL works before the delete (one of its three uses), so a later refusal is the delete's doing.
      expect((await fetch(url)).status).toBe(200);

      expect((await feishu.call('DELETE', `${TASKS_PATH}/${guid}`, { token })).status).toBe(200);

      expectFeishuError(
        await feishu.call('GET', `/open-apis/task/v2/attachments/${attachmentGuid}`, { token }),
        404,
        1470404,
      );
      expectFeishuError(
        await feishu.call('GET', '/open-apis/task/v2/attachments', {
          token,
          query: { resource_type: 'task', resource_id: guid },
        }),
        404,
        1470404,
      );
      const download = await fetch(url);
      expect(download.status).toBeGreaterThanOrEqual(400);
      expect(download.status).toBeLessThan(500);
      expect(await download.text()).not.toContain('contents');
    });
  });
});
