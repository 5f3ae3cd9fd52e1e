import { FeishuApiError, FeishuErrorCode, createFeishuClient } from '@feishu-attachments/api-client';
import { startEmulator, type Emulator } from './support/emulator';

const TWO_HOURS_AND_A_SECOND = 2 * 60 * 60 * 1000 + 1000;

describe('tokens and identities against the emulator', () => {
  let feishu: Emulator;

  beforeAll(async () => {
    feishu = await startEmulator();
  });
  afterAll(() => feishu.close());
  beforeEach(() => feishu.reset());

  it('fetches one tenant token for concurrent first calls', async () => {
    const client = feishu.client();
    const taskGuid = await feishu.seeder.createTask({ summary: 'concurrent' });

    await Promise.all(Array.from({ length: 6 }, () => client.attachments.listPage({ taskGuid })));

    expect(await feishu.journal({ operation: 'auth.tenantAccessToken' })).toHaveLength(1);
    const lists = await feishu.journal({ operation: 'attachment.list' });
    expect(lists.map((entry) => [entry.status, entry.caller])).toEqual(
      Array(6).fill([200, `app:${feishu.app.appId}`]),
    );
  });

  it('refreshes a tenant token that expired on the emulator clock and retries the call transparently', async () => {
    const client = feishu.client();
    const taskGuid = await feishu.seeder.createTask({ summary: 'token expiry' });
    await client.attachments.listPage({ taskGuid });

    feishu.clock.advance(TWO_HOURS_AND_A_SECOND);
    const page = await client.attachments.listPage({ taskGuid });

    expect(page.items).toEqual([]);
    expect(await feishu.journal({ operation: 'auth.tenantAccessToken' })).toHaveLength(2);
    const lists = await feishu.journal({ operation: 'attachment.list' });
    expect(lists.map((entry) => [entry.status, entry.code])).toEqual([
      [200, 0],
      [400, FeishuErrorCode.InvalidTenantAccessToken],
      [200, 0],
    ]);
  });

  it('throws FeishuApiError 10014 when the app secret is wrong, without calling the API', async () => {
    const client = feishu.client({ auth: { appId: feishu.app.appId, appSecret: 'wrong-secret' } });

    const error = await client.tasks.create({ summary: 'never' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error).toMatchObject({
      httpStatus: 200,
      code: FeishuErrorCode.AuthAppSecretInvalid,
      msg: 'app secret invalid',
    });
    expect(await feishu.journal({ operation: 'task.create' })).toHaveLength(0);
  });

  it('uploads as a user who is an assignee when given that user access token', async () => {
    const client = feishu.client();
    const alice = await feishu.createUser('Alice');
    const task = await client.tasks.create({
      summary: 'shared',
      members: [{ id: alice.open_id, role: 'assignee' }],
    });
    const aliceToken = await feishu.userToken(alice.open_id);

    const [uploaded] = await client.attachments.upload(
      task.guid,
      [{ name: 'alice.txt', data: 'from alice' }],
      {
        userAccessToken: aliceToken,
      },
    );

    expect(uploaded.uploader).toMatchObject({ id: alice.open_id, type: 'user' });
    const uploads = await feishu.journal({ operation: 'attachment.upload' });
    expect(uploads.map((entry) => entry.caller)).toEqual([`user:${alice.open_id}`]);
    const page = await client.attachments.listPage({ taskGuid: task.guid }, { userAccessToken: aliceToken });
    expect(page.items.map((item) => item.name)).toEqual(['alice.txt']);
  });

  it('refuses a user with no access to the task with FeishuApiError 403/1470403', async () => {
    const client = feishu.client();
    const task = await client.tasks.create({ summary: 'private' });
    const mallory = await feishu.createUser('Mallory');
    const malloryToken = await feishu.userToken(mallory.open_id);

    const asMallory = { userAccessToken: malloryToken };

    await expect(
      client.attachments.upload(task.guid, [{ name: 'x.txt', data: 'x' }], asMallory),
    ).rejects.toMatchObject({
      name: 'FeishuApiError',
      httpStatus: 403,
      code: FeishuErrorCode.PermissionDenied,
      msg: expect.stringContaining('no edit permission'),
    });
    await expect(client.attachments.listPage({ taskGuid: task.guid }, asMallory)).rejects.toMatchObject({
      name: 'FeishuApiError',
      httpStatus: 403,
      code: FeishuErrorCode.PermissionDenied,
      msg: expect.stringContaining('no read permission'),
    });
    expect(await feishu.journal({ operation: 'attachment.upload' })).toHaveLength(1);
  });

  it('works with a client built on a fixed user access token', async () => {
    const bob = await feishu.createUser('Bob');
    const token = await feishu.userToken(bob.open_id);
    const asBob = createFeishuClient({ baseUrl: feishu.url, auth: { userAccessToken: token } });

    const task = await asBob.tasks.create({ summary: "Bob's task" });
    const [uploaded] = await asBob.attachments.upload(task.guid, [{ name: 'bob.txt', data: 'b' }]);

    expect(task.creator).toMatchObject({ id: bob.open_id, type: 'user' });
    expect(uploaded.uploader).toMatchObject({ id: bob.open_id, type: 'user' });
    expect(await feishu.journal({ operation: 'auth.tenantAccessToken' })).toHaveLength(0);
  });

  it('throws 99991677 for an expired user token and does not try to refresh it', async () => {
    const client = feishu.client();
    const carol = await feishu.createUser('Carol');
    const task = await client.tasks.create({
      summary: 'expiry',
      members: [{ id: carol.open_id, role: 'assignee' }],
    });
    const carolToken = await feishu.userToken(carol.open_id);

    feishu.clock.advance(TWO_HOURS_AND_A_SECOND);
    const error = await client.attachments
      .listPage({ taskGuid: task.guid }, { userAccessToken: carolToken })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'FeishuApiError', code: FeishuErrorCode.UserAccessTokenExpired });
    expect(await feishu.journal({ operation: 'attachment.list' })).toHaveLength(1);
  });
});
