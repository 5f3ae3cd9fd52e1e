import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const ATTACHMENTS_PATH = '/open-apis/task/v2/attachments';

/**
 * Feishu's attachment docs ("权限要求", any one of the listed scopes admits the call): list and get
 * accept `task:attachment:read` or `task:attachment:write`; upload and delete need
 * `task:attachment:write`. The download URL needs no token at all. An app holding one scope
 * therefore proves the check is "any of", not "all of".
 */
describe('attachment scopes: any one listed scope admits the call', () => {
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(() => feishu.reset());

  /** An app holding exactly `scopes`, the creator of a task with one attachment. */
  async function appWith(scopes: string[]) {
    const appId = `cli_only_${scopes.join('_').replace(/\W/g, '_')}`;
    const created = await feishu.call('POST', '/__mock/apps', {
      json: { app_id: appId, app_secret: 'secret', scopes },
    });
    expect(created.status).toBe(201);
    expect(created.body.scopes).toEqual(scopes);
    const taskGuid = await feishu.seeder.createTask({ summary: 'scoped', creator: { appId } });
    const { guid } = await feishu.seeder.addAttachment(taskGuid, { name: 'seed.txt', content: 'seeded' });
    return { token: await feishu.tenantToken(appId, 'secret'), taskGuid, attachmentGuid: guid };
  }

  const list = (token: string, taskGuid: string) =>
    feishu.call('GET', ATTACHMENTS_PATH, { token, query: { resource_type: 'task', resource_id: taskGuid } });
  const get = (token: string, guid: string) => feishu.call('GET', `${ATTACHMENTS_PATH}/${guid}`, { token });
  const remove = (token: string, guid: string) =>
    feishu.call('DELETE', `${ATTACHMENTS_PATH}/${guid}`, { token });

  function expectScopeRequired(result: HttpResult, scopes: string[]): void {
    expect({ status: result.status, code: result.body.code }).toEqual({ status: 400, code: 99991672 });
    expect(result.body.error.permission_violations).toEqual(
      scopes.map((subject) => ({ type: 'action_scope_required', subject })),
    );
  }

  it('lets an app holding only task:attachment:read list, get and download, but not upload or delete', async () => {
    const { token, taskGuid, attachmentGuid } = await appWith(['task:attachment:read']);

    const listed = await list(token, taskGuid);
    const got = await get(token, attachmentGuid);
    const download = await fetch(got.body.data.attachment.url);
    const uploaded = await feishu.upload(token, taskGuid, [{ name: 'new.txt', content: 'new' }]);
    const deleted = await remove(token, attachmentGuid);

    expect(listed.status).toBe(200);
    expect(listed.body.data.items.map((item: { guid: string }) => item.guid)).toEqual([attachmentGuid]);
    expect(got.status).toBe(200);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('seeded');
    expectScopeRequired(uploaded, ['task:attachment:write']);
    expectScopeRequired(deleted, ['task:attachment:write']);
    // Nothing was uploaded or deleted.
    expect((await list(token, taskGuid)).body.data.items.map((item: { name: string }) => item.name)).toEqual([
      'seed.txt',
    ]);
  });

  it('lets an app holding only task:attachment:write list, get, download, upload and delete', async () => {
    const { token, taskGuid, attachmentGuid } = await appWith(['task:attachment:write']);

    const listed = await list(token, taskGuid);
    const got = await get(token, attachmentGuid);
    const download = await fetch(got.body.data.attachment.url);
    const uploaded = await feishu.upload(token, taskGuid, [{ name: 'new.txt', content: 'new' }]);
    const deleted = await remove(token, attachmentGuid);

    expect(listed.status).toBe(200);
    expect(got.status).toBe(200);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('seeded');
    expect({ status: uploaded.status, code: uploaded.body.code }).toEqual({ status: 200, code: 0 });
    expect({ status: deleted.status, code: deleted.body.code }).toEqual({ status: 200, code: 0 });
    expect((await list(token, taskGuid)).body.data.items.map((item: { name: string }) => item.name)).toEqual([
      'new.txt',
    ]);
  });

  it('lets a user granted only task:attachment:read list and get, but not upload or delete', async () => {
    const reader = await feishu.createUser('Reader');
    const taskGuid = await feishu.seeder.createTask({
      summary: 'theirs',
      creator: { openId: reader.open_id },
    });
    const { guid } = await feishu.seeder.addAttachment(taskGuid, { name: 'seed.txt', content: 'seeded' });
    const token = await feishu.userToken(reader.open_id, ['task:attachment:read']);

    const listed = await list(token, taskGuid);
    const got = await get(token, guid);
    const uploaded = await feishu.upload(token, taskGuid, [{ name: 'new.txt', content: 'new' }]);
    const deleted = await remove(token, guid);

    expect(listed.status).toBe(200);
    expect(got.status).toBe(200);
    for (const refused of [uploaded, deleted]) {
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 99991679 });
    }
  });
});
