import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const TASKS_PATH = '/open-apis/task/v2/tasks';
const ATTACHMENTS_PATH = '/open-apis/task/v2/attachments';

type UserIds = { open_id: string; union_id: string; user_id: string };
type IdType = keyof UserIds;

/**
 * Feishu: `user_id_type` (open_id by default, union_id, user_id) picks how `type:"user"` ids are
 * written, in requests and responses; app members are always the app id (`cli_…`). Open ids look
 * like `ou_…`, union ids `on_…`, user ids carry no prefix (reference §1, S8).
 */
const ID_SHAPES: Record<IdType, RegExp> = {
  open_id: /^ou_\w+$/,
  union_id: /^on_\w+$/,
  user_id: /^(?!ou_|on_)\w+$/,
};

function expectInvalidUserIdType(result: HttpResult): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status: 400, code: 1470400 });
  expect(result.body.msg).toContain('user_id_type');
  expect(result.body.error.log_id).toBe(result.headers.get('x-tt-logid'));
}

describe('mock-feishu user_id_type', () => {
  let feishu: MockFeishuFixture;
  let creator: UserIds;
  let assignee: UserIds;
  let creatorToken: string;
  let appId: string;

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
    appId = feishu.app.appId;
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    creator = await feishu.createUser('Creator');
    assignee = await feishu.createUser('Assignee');
    creatorToken = await feishu.userToken(creator.open_id);
  });

  const createTask = (token: string, body: Record<string, unknown>, userIdType?: string) =>
    feishu.call('POST', TASKS_PATH, {
      token,
      json: { summary: 'ids', ...body },
      query: { user_id_type: userIdType },
    });
  const getTask = (token: string, guid: string, userIdType?: string) =>
    feishu.call('GET', `${TASKS_PATH}/${guid}`, { token, query: { user_id_type: userIdType } });
  const upload = (token: string, guid: string, userIdType?: string) => {
    const form = new FormData();
    form.append('resource_type', 'task');
    form.append('resource_id', guid);
    form.append('file', new Blob(['bytes']), 'ids.txt');
    return feishu.call('POST', `${ATTACHMENTS_PATH}/upload`, {
      token,
      form,
      query: { user_id_type: userIdType },
    });
  };
  const list = (token: string, guid: string, userIdType?: string) =>
    feishu.call('GET', ATTACHMENTS_PATH, {
      token,
      query: { resource_type: 'task', resource_id: guid, user_id_type: userIdType },
    });
  const getAttachment = (token: string, guid: string, userIdType?: string) =>
    feishu.call('GET', `${ATTACHMENTS_PATH}/${guid}`, { token, query: { user_id_type: userIdType } });

  describe('member ids in a create request', () => {
    it.each(['union_id', 'user_id'] as const)(
      'resolves members given by %s to the right users',
      async (idType) => {
        const created = await createTask(
          creatorToken,
          {
            members: [
              { id: assignee[idType], type: 'user', role: 'assignee' },
              { id: appId, type: 'app', role: 'follower' },
            ],
          },
          idType,
        );

        expect(created.status).toBe(200);
        expect(created.body.data.task.members).toEqual([
          { id: assignee[idType], type: 'user', role: 'assignee' },
          { id: appId, type: 'app', role: 'follower' },
        ]);
        // Read back by open_id: the id named the assignee, not some other user.
        const task = (await getTask(creatorToken, created.body.data.task.guid)).body.data.task;
        expect(task.members).toContainEqual({ id: assignee.open_id, type: 'user', role: 'assignee' });
        // The assignee's edit permission follows from that resolution.
        const assigneeToken = await feishu.userToken(assignee.open_id);
        expect((await upload(assigneeToken, task.guid)).status).toBe(200);
      },
    );

    it.each(['union_id', 'user_id'] as const)(
      'refuses an open_id where user_id_type=%s asks for another kind of id, with 400/1470400',
      async (idType) => {
        const result = await createTask(
          creatorToken,
          { members: [{ id: assignee.open_id, type: 'user', role: 'assignee' }] },
          idType,
        );

        expect({ status: result.status, code: result.body.code }).toEqual({ status: 400, code: 1470400 });
        expect(result.body.msg).toContain('members');
      },
    );

    it('takes member ids as open_id when user_id_type is absent', async () => {
      const created = await createTask(creatorToken, {
        members: [{ id: assignee.open_id, type: 'user', role: 'follower' }],
      });

      expect(created.status).toBe(200);
      expect(created.body.data.task.members).toEqual([
        { id: assignee.open_id, type: 'user', role: 'follower' },
      ]);
    });
  });

  describe('ids in responses', () => {
    let taskGuid: string;
    let attachmentGuid: string;

    beforeEach(async () => {
      const created = await createTask(creatorToken, {
        members: [
          { id: assignee.open_id, type: 'user', role: 'assignee' },
          { id: appId, type: 'app', role: 'follower' },
        ],
      });
      taskGuid = created.body.data.task.guid;
      attachmentGuid = (await upload(creatorToken, taskGuid)).body.data.items[0].guid;
    });

    const cases: [IdType, string | undefined][] = [
      ['open_id', undefined],
      ['open_id', 'open_id'],
      ['union_id', 'union_id'],
      ['user_id', 'user_id'],
    ];

    it.each(cases)(
      'writes task creator and user members as %s (user_id_type=%s), app members as cli_…',
      async (idType, param) => {
        const task = (await getTask(creatorToken, taskGuid, param)).body.data.task;

        expect(task.creator).toMatchObject({ id: creator[idType], type: 'user' });
        expect(task.members).toEqual([
          { id: assignee[idType], type: 'user', role: 'assignee' },
          { id: appId, type: 'app', role: 'follower' },
        ]);
        expect(task.creator.id).toMatch(ID_SHAPES[idType]);
        expect(task.members[0].id).toMatch(ID_SHAPES[idType]);
        expect(task.members[1].id).toMatch(/^cli_/);
      },
    );

    it.each(cases)(
      'writes the uploader as %s (user_id_type=%s) on upload, list, get and task get',
      async (idType, param) => {
        const expected = { id: creator[idType], type: 'user' };

        const uploaded = await upload(creatorToken, taskGuid, param);
        expect(uploaded.body.data.items[0].uploader).toMatchObject(expected);
        const listed = (await list(creatorToken, taskGuid, param)).body.data.items;
        expect(listed.map((item: { uploader: unknown }) => item.uploader)).toEqual([
          expect.objectContaining(expected),
          expect.objectContaining(expected),
        ]);
        expect(
          (await getAttachment(creatorToken, attachmentGuid, param)).body.data.attachment.uploader,
        ).toMatchObject(expected);
        expect(
          (await getTask(creatorToken, taskGuid, param)).body.data.task.attachments[0].uploader,
        ).toMatchObject(expected);
        expect(expected.id).toMatch(ID_SHAPES[idType]);
      },
    );

    it('writes an app uploader as its cli_… app id whatever the user_id_type', async () => {
      const tenantToken = await feishu.tenantToken();
      const appTask = await feishu.createTask(tenantToken, {
        members: [{ id: assignee.open_id, type: 'user', role: 'assignee' }],
      });
      const appAttachment = (await upload(tenantToken, appTask)).body.data.items[0].guid as string;

      for (const idType of ['open_id', 'union_id', 'user_id'] as const) {
        const attachment = (await getAttachment(tenantToken, appAttachment, idType)).body.data.attachment;
        expect(attachment.uploader).toMatchObject({ id: appId, type: 'app' });
        const task = (await getTask(tenantToken, appTask, idType)).body.data.task;
        expect(task.creator).toMatchObject({ id: appId, type: 'app' });
        expect(task.members).toEqual([{ id: assignee[idType], type: 'user', role: 'assignee' }]);
      }
    });
  });

  describe('an invalid user_id_type', () => {
    let taskGuid: string;
    let attachmentGuid: string;

    beforeEach(async () => {
      taskGuid = await feishu.createTask(creatorToken);
      attachmentGuid = (await upload(creatorToken, taskGuid)).body.data.items[0].guid;
    });

    it('is refused on task create with 400/1470400', async () => {
      expectInvalidUserIdType(await createTask(creatorToken, {}, 'email'));
    });

    it('is refused on task get with 400/1470400', async () => {
      expectInvalidUserIdType(await getTask(creatorToken, taskGuid, 'email'));
    });

    it('is refused on upload with 400/1470400 and stores nothing', async () => {
      expectInvalidUserIdType(await upload(creatorToken, taskGuid, 'email'));

      expect((await list(creatorToken, taskGuid)).body.data.items).toHaveLength(1);
    });

    it('is refused on attachment list with 400/1470400', async () => {
      expectInvalidUserIdType(await list(creatorToken, taskGuid, 'OPEN_ID'));
    });

    it('is refused on attachment get with 400/1470400', async () => {
      expectInvalidUserIdType(await getAttachment(creatorToken, attachmentGuid, 'email'));
    });
  });
});
