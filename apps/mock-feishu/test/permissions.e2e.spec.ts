import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const ATTACHMENTS_PATH = '/open-apis/task/v2/attachments';
const TASKS_PATH = '/open-apis/task/v2/tasks';

/** Feishu's Task v2 permission refusal: 403 with `{code:1470403, msg, error:{log_id}}`. */
function expectPermissionDenied(result: HttpResult): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status: 403, code: 1470403 });
  expect(result.body).toEqual({
    code: 1470403,
    msg: expect.stringMatching(/permission/i),
    error: expect.objectContaining({ log_id: result.headers.get('x-tt-logid') }),
  });
}

/**
 * Feishu (task-v2/attachment/attachment-feature-overview): reading a task's attachments needs read
 * permission (creator, assignees, followers); uploading needs edit permission (creator, assignees);
 * deleting needs edit permission or being the uploader. A tenant token is just the app's identity.
 */
describe('mock-feishu permissions', () => {
  let feishu: MockFeishuFixture;
  // A creates the task, B is its assignee, C its follower, D has nothing to do with it.
  const tokens: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  const openIds: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  let taskGuid: string;
  let attachmentGuid: string;

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    for (const name of ['A', 'B', 'C', 'D'] as const) {
      openIds[name] = (await feishu.createUser(`User ${name}`)).open_id;
      tokens[name] = await feishu.userToken(openIds[name]);
    }
    taskGuid = await feishu.createTask(tokens.A, {
      members: [
        { id: openIds.B, type: 'user', role: 'assignee' },
        { id: openIds.C, type: 'user', role: 'follower' },
      ],
    });
    const uploaded = await feishu.upload(tokens.A, taskGuid, [{ name: 'by-a.txt', content: 'from A' }]);
    expect(uploaded.status).toBe(200);
    attachmentGuid = uploaded.body.data.items[0].guid;
  });

  const list = (token: string, resourceId = taskGuid) =>
    feishu.call('GET', ATTACHMENTS_PATH, {
      token,
      query: { resource_type: 'task', resource_id: resourceId },
    });
  const getAttachment = (token: string, guid = attachmentGuid) =>
    feishu.call('GET', `${ATTACHMENTS_PATH}/${guid}`, { token });
  const deleteAttachment = (token: string, guid = attachmentGuid) =>
    feishu.call('DELETE', `${ATTACHMENTS_PATH}/${guid}`, { token });
  const getTask = (token: string, guid = taskGuid) => feishu.call('GET', `${TASKS_PATH}/${guid}`, { token });
  /** What the creator sees, to show a refused call changed nothing. */
  const attachmentNames = async (): Promise<string[]> =>
    (await list(tokens.A)).body.data.items.map((item: { name: string }) => item.name);

  describe('reading', () => {
    it.each([
      ['the creator', 'A'],
      ['an assignee', 'B'],
      ['a follower', 'C'],
    ] as const)('lets %s list, get and download the attachments and get the task', async (_role, who) => {
      const listed = await list(tokens[who]);
      expect(listed.status).toBe(200);
      expect(listed.body.data.items.map((item: { guid: string }) => item.guid)).toEqual([attachmentGuid]);

      const got = await getAttachment(tokens[who]);
      expect(got.status).toBe(200);
      expect(got.body.data.attachment.guid).toBe(attachmentGuid);

      const download = await fetch(got.body.data.attachment.url);
      expect(download.status).toBe(200);
      expect(await download.text()).toBe('from A');

      expect((await getTask(tokens[who])).status).toBe(200);
    });

    it('refuses an unrelated user 403/1470403 on attachment list, attachment get and task get', async () => {
      expectPermissionDenied(await list(tokens.D));
      expectPermissionDenied(await getAttachment(tokens.D));
      expectPermissionDenied(await getTask(tokens.D));
    });
  });

  describe('uploading', () => {
    it.each([
      ['the creator', 'A'],
      ['an assignee', 'B'],
    ] as const)('lets %s upload', async (_role, who) => {
      const result = await feishu.upload(tokens[who], taskGuid, [{ name: `by-${who}.txt`, content: who }]);

      expect(result.status).toBe(200);
      expect(result.body.data.items[0].uploader).toMatchObject({ id: openIds[who], type: 'user' });
      expect(await attachmentNames()).toContain(`by-${who}.txt`);
    });

    it.each([
      ['a follower', 'C'],
      ['an unrelated user', 'D'],
    ] as const)('refuses an upload by %s with 403/1470403 and stores nothing', async (_role, who) => {
      expectPermissionDenied(
        await feishu.upload(tokens[who], taskGuid, [{ name: `by-${who}.txt`, content: who }]),
      );

      expect(await attachmentNames()).toEqual(['by-a.txt']);
    });
  });

  describe('deleting an attachment', () => {
    it.each([
      ['the creator', 'A'],
      ['an assignee', 'B'],
    ] as const)('lets %s delete an attachment someone else uploaded', async (_role, who) => {
      const other = who === 'A' ? 'B' : 'A';
      const uploaded = await feishu.upload(tokens[other], taskGuid, [{ name: 'other.txt', content: 'x' }]);
      const guid = uploaded.body.data.items[0].guid as string;

      const result = await deleteAttachment(tokens[who], guid);

      expect(result.status).toBe(200);
      expect(result.body).toEqual({ code: 0, msg: 'success', data: {} });
      expect((await getAttachment(tokens.A, guid)).status).toBe(404);
    });

    it('lets the uploader delete their attachment without edit permission on the task', async () => {
      // A follower cannot upload through the API, so the control plane puts C's file in place.
      const seeded = await feishu.call('POST', '/__mock/tasks', {
        json: {
          summary: 'seeded',
          creator_open_id: openIds.A,
          members: [{ open_id: openIds.C, role: 'follower' }],
          attachments: [{ name: 'by-c.txt', content: 'from C', uploader_open_id: openIds.C }],
        },
      });
      const guid = seeded.body.attachments[0].guid as string;
      const seededTask = seeded.body.task_guid as string;
      expect((await getAttachment(tokens.C, guid)).body.data.attachment.uploader).toMatchObject({
        id: openIds.C,
      });
      // C really has no edit permission: an upload to the same task is refused.
      expectPermissionDenied(await feishu.upload(tokens.C, seededTask, [{ name: 'more.txt', content: 'x' }]));

      const result = await deleteAttachment(tokens.C, guid);

      expect(result.status).toBe(200);
      expect((await getAttachment(tokens.A, guid)).status).toBe(404);
    });

    it.each([
      ['a follower', 'C'],
      ['an unrelated user', 'D'],
    ] as const)('refuses a delete by %s who did not upload the file with 403/1470403', async (_role, who) => {
      expectPermissionDenied(await deleteAttachment(tokens[who]));

      expect(await attachmentNames()).toEqual(['by-a.txt']);
    });
  });

  describe('the app (tenant token)', () => {
    let tenantToken: string;

    beforeEach(async () => {
      tenantToken = await feishu.tenantToken();
    });

    it('reads a task it created and its attachments', async () => {
      const guid = await feishu.createTask(tenantToken);
      expect((await feishu.upload(tenantToken, guid, [{ name: 'app.txt', content: 'app' }])).status).toBe(
        200,
      );

      const task = await getTask(tenantToken, guid);
      expect(task.status).toBe(200);
      expect(task.body.data.task.creator).toMatchObject({ id: feishu.app.appId, type: 'app' });
      const listed = await list(tenantToken, guid);
      expect(listed.status).toBe(200);
      expect(listed.body.data.items.map((item: { name: string }) => item.name)).toEqual(['app.txt']);
    });

    it('reads a task created by a user where the app is a member', async () => {
      const guid = await feishu.createTask(tokens.A, {
        members: [{ id: feishu.app.appId, type: 'app', role: 'follower' }],
      });

      expect((await getTask(tenantToken, guid)).status).toBe(200);
      expect((await list(tenantToken, guid)).status).toBe(200);
    });

    it('refuses 403/1470403 on a task created by a user where the app is not a member', async () => {
      expectPermissionDenied(await getTask(tenantToken));
      expectPermissionDenied(await list(tenantToken));
      expectPermissionDenied(await getAttachment(tenantToken));
    });
  });
});
