import { fileForm, startHarness, type Harness } from './support/admin-api.harness.js';

describe('X-Feishu-User-Access-Token acts as that Feishu user', () => {
  let h: Harness;
  let user: { open_id: string };
  let userToken: string;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    await h.feishu.reset({ keepTokens: true });
    user = await h.createUser('Ada');
    userToken = await h.userToken(user.open_id);
  });

  it('creates the task as the user: the creator is the user, and Feishu saw the user call', async () => {
    const result = await h.call('POST', '/tasks', { userToken, json: { summary: "Ada's task" } });

    expect(result.status).toBe(201);
    expect(result.body.creator).toEqual({ id: user.open_id, type: 'user', role: 'creator' });
    expect(await h.journal({ operation: 'task.create' })).toEqual([
      expect.objectContaining({ caller: `user:${user.open_id}` }),
    ]);
  });

  it("uploads as the user: the uploader id is the user's open_id", async () => {
    const taskGuid = await h.feishu.seeder.createTask({
      summary: 'Shared',
      creator: { openId: user.open_id },
    });

    const result = await h.call('POST', `/tasks/${taskGuid}/attachments`, {
      userToken,
      body: fileForm([{ name: 'ada.txt', content: 'by Ada' }]),
    });

    expect(result.status).toBe(201);
    expect(result.body.items[0].uploader).toEqual({ id: user.open_id, type: 'user', role: 'editor' });
    expect(await h.journal({ operation: 'attachment.upload' })).toEqual([
      expect.objectContaining({ caller: `user:${user.open_id}`, status: 200 }),
    ]);
  });

  it("sends the user's token to Feishu in place of the tenant token, on every call of the request", async () => {
    const taskGuid = await h.feishu.seeder.createTask({
      summary: 'Shared',
      creator: { openId: user.open_id },
    });
    await h.feishu.seeder.addAttachment(taskGuid, {
      name: 'a.txt',
      content: 'a',
      uploader: { openId: user.open_id },
    });
    h.sent.length = 0;

    const result = await h.call('DELETE', `/tasks/${taskGuid}/attachments`, { userToken });

    expect(result.body).toEqual(expect.objectContaining({ deleted: 1, failed: 0 }));
    const apiCalls = h.sent.filter((request) => request.url.pathname.startsWith('/open-apis/task/'));
    expect(apiCalls.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
      `GET /open-apis/task/v2/attachments`,
      expect.stringMatching(/^DELETE \/open-apis\/task\/v2\/attachments\//),
    ]);
    expect(apiCalls.every((request) => request.authorization === `Bearer ${userToken}`)).toBe(true);
  });

  it("applies the user's permissions: the app may read its own task, the user may not", async () => {
    const taskGuid = await h.feishu.seeder.createTask({ summary: "The app's" });

    const asApp = await h.call('GET', `/tasks/${taskGuid}`);
    const asUser = await h.call('GET', `/tasks/${taskGuid}`, { userToken });

    expect(asApp.status).toBe(200);
    expect(asUser.status).toBe(403);
  });

  it('downloads as the user: the attachment URL is fetched with the user token', async () => {
    const taskGuid = await h.feishu.seeder.createTask({
      summary: 'Shared',
      creator: { openId: user.open_id },
    });
    const attachment = await h.feishu.seeder.addAttachment(taskGuid, { name: 'ada.txt', content: 'by Ada' });

    const result = await h.call('GET', `/attachments/${attachment.guid}/content`, { userToken });

    expect(result.status).toBe(200);
    expect(result.text).toBe('by Ada');
    expect(await h.journal({ operation: 'attachment.get' })).toEqual([
      expect.objectContaining({ caller: `user:${user.open_id}` }),
    ]);
  });

  it('refuses a download to a user who may not read the task, even when the app holds a fresh URL for it', async () => {
    const taskGuid = await h.feishu.seeder.createTask({ summary: "The app's" });
    const attachment = await h.feishu.seeder.addAttachment(taskGuid, {
      name: 'secret.txt',
      content: 'app only',
    });
    // The app lists the task, so the shared client now holds an unused download URL for the file.
    expect((await h.call('GET', `/tasks/${taskGuid}/attachments`)).status).toBe(200);

    const result = await h.call('GET', `/attachments/${attachment.guid}/content`, { userToken });

    expect(result.status).toBe(403);
    expect(result.body.error.feishu.code).toBe(1470403);
    expect(await h.journal({ operation: 'download' })).toEqual([]);
  });

  it('tolerates a pasted "Bearer " prefix in the header', async () => {
    const result = await h.call('POST', '/tasks', {
      headers: { 'x-feishu-user-access-token': `Bearer ${userToken}` },
      json: { summary: 'pasted' },
    });

    expect(result.status).toBe(201);
    expect(result.body.creator.id).toBe(user.open_id);
  });

  it('acts as the app when the header is blank', async () => {
    const result = await h.call('POST', '/tasks', {
      headers: { 'x-feishu-user-access-token': '  ' },
      json: { summary: 'blank header' },
    });

    expect(result.status).toBe(201);
    expect(result.body.creator).toEqual({ id: h.feishu.app.appId, type: 'app', role: 'creator' });
  });
});
