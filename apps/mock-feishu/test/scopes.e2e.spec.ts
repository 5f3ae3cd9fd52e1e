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
    return { appId, token: await feishu.tenantToken(appId, 'secret'), taskGuid, attachmentGuid: guid };
  }

  const list = (token: string, taskGuid: string) =>
    feishu.call('GET', ATTACHMENTS_PATH, { token, query: { resource_type: 'task', resource_id: taskGuid } });
  const get = (token: string, guid: string) => feishu.call('GET', `${ATTACHMENTS_PATH}/${guid}`, { token });
  const remove = (token: string, guid: string) =>
    feishu.call('DELETE', `${ATTACHMENTS_PATH}/${guid}`, { token });

  /** Feishu's troubleshooter link for this answer: its own log id (the X-Tt-Logid header) and code. */
  function troubleshooterOf(result: HttpResult, code: number): string {
    const logId = result.headers.get('x-tt-logid');
    expect(logId).toMatch(/^\d{14}[0-9A-F]{20}$/);
    return `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${code}`;
  }

  /** 99991672 as Feishu answers it (public capture): bilingual msg with the consent link, violations, troubleshooter. */
  function expectScopeRequired(result: HttpResult, appId: string, scopes: string[]): void {
    const list = scopes.join(', ');
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      code: 99991672,
      msg:
        `Access denied. One of the following scopes is required: [${list}].` +
        `应用尚未开通所需的应用身份权限：[${list}]，点击链接申请并开通任一权限即可：` +
        `https://open.feishu.cn/app/${appId}/auth?q=${scopes.join(',')}&op_from=openapi&token_type=tenant`,
      error: {
        log_id: result.headers.get('x-tt-logid'),
        troubleshooter: troubleshooterOf(result, 99991672),
        permission_violations: scopes.map((subject) => ({ type: 'action_scope_required', subject })),
      },
    });
    expect(result.body.error.troubleshooter).toContain(`log_id=${result.body.error.log_id}&code=99991672`);
  }

  /** 99991679 as Feishu's troubleshooting page shows it: bilingual msg, violations, troubleshooter. */
  function expectUserScopeRequired(result: HttpResult, scopes: string[]): void {
    const list = scopes.join(', ');
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      code: 99991679,
      msg:
        'Unauthorized. You do not have permission to perform the requested operation on the resource. ' +
        `Please request user re-authorization and try again. required one of these privileges: [${list}].` +
        `应用未获取所需的用户授权：[${list}]`,
      error: {
        log_id: result.headers.get('x-tt-logid'),
        troubleshooter: troubleshooterOf(result, 99991679),
        permission_violations: scopes.map((subject) => ({ type: 'action_privilege_required', subject })),
      },
    });
    expect(result.body.msg.endsWith(`应用未获取所需的用户授权：[${list}]`)).toBe(true);
    expect(result.body.error.troubleshooter).toContain(`log_id=${result.body.error.log_id}&code=99991679`);
  }

  it('lets an app holding only task:attachment:read list, get and download, but not upload or delete', async () => {
    const { appId, token, taskGuid, attachmentGuid } = await appWith(['task:attachment:read']);

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
    expectScopeRequired(uploaded, appId, ['task:attachment:write']);
    expectScopeRequired(deleted, appId, ['task:attachment:write']);
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
    for (const refused of [uploaded, deleted]) expectUserScopeRequired(refused, ['task:attachment:write']);
  });
});
