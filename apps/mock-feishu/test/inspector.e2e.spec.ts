import { get, type IncomingMessage } from 'node:http';
import { JOURNAL_BODY_LIMIT } from '../src/core/control-plane/journal-detail.js';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

describe('the inspector routes of the control plane', () => {
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });

  afterAll(async () => {
    await feishu?.close();
  });

  beforeEach(async () => {
    await feishu.reset();
  });

  async function lastEntryDetail() {
    const [entry] = (await feishu.call('GET', '/__mock/requests', { query: { limit: 1 } })).body.items;
    const detailed = await feishu.call('GET', `/__mock/requests/${entry.id}`);
    expect(detailed.status).toBe(200);
    return detailed.body;
  }

  it('GET /__mock/state lists apps without secrets, users, and tasks with members, status, times and attachments', async () => {
    const alice = await feishu.createUser('Alice');
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: {
        summary: 'Inspect me',
        members: [{ open_id: alice.open_id, role: 'assignee' }],
        attachments: [
          { name: 'a.txt', content: 'abc', content_type: 'text/plain', uploader_open_id: alice.open_id },
        ],
      },
    });
    const subtask = await feishu.call('POST', '/__mock/tasks', {
      json: {
        summary: 'Inspect my parent',
        parent_task_guid: seeded.body.task_guid,
        start: { timestamp: '1767139200000' },
        due: { timestamp: '1767225600000' },
        completed_at: '1767200000000',
      },
    });

    const state = (await feishu.call('GET', '/__mock/state')).body;
    expect(state.apps).toEqual([{ app_id: 'cli_mock_app', scopes: expect.any(Array) }]);
    expect(JSON.stringify(state)).not.toContain('mock_app_secret');
    expect(state.users).toEqual([expect.objectContaining({ name: 'Alice', open_id: alice.open_id })]);
    expect(state.tasks).toEqual([
      {
        guid: seeded.body.task_guid,
        task_id: 't100001',
        summary: 'Inspect me',
        description: '',
        creator: 'app:cli_mock_app',
        members: [{ key: `user:${alice.open_id}`, role: 'assignee' }],
        status: 'todo',
        completed_at: 0,
        subtask_count: 1,
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
        attachments: [
          {
            guid: seeded.body.attachments[0].guid,
            name: 'a.txt',
            size: 3,
            content_type: 'text/plain',
            uploader: `user:${alice.open_id}`,
            uploaded_at: expect.any(Number),
          },
        ],
      },
      {
        guid: subtask.body.task_guid,
        task_id: 't100002',
        summary: 'Inspect my parent',
        description: '',
        creator: 'app:cli_mock_app',
        members: [],
        status: 'done',
        completed_at: 1767200000000,
        start: 1767139200000,
        due: 1767225600000,
        parent_task_guid: seeded.body.task_guid,
        subtask_count: 0,
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
        attachments: [],
      },
    ]);
  });

  it('GET /__mock/operations names every operation of the emulated surface', async () => {
    const { items } = (await feishu.call('GET', '/__mock/operations')).body;
    expect(items).toEqual([
      'attachment.delete',
      'attachment.get',
      'attachment.list',
      'attachment.upload',
      'auth.appAccessToken',
      'auth.tenantAccessToken',
      'authen.oauthToken',
      'authen.oidcAccessToken',
      'authen.oidcRefreshAccessToken',
      'download',
      'subtask.create',
      'subtask.list',
      'task.addMembers',
      'task.create',
      'task.delete',
      'task.get',
      'task.list',
      'task.patch',
      'task.removeMembers',
    ]);
  });

  it('mints a 3-minute, 3-use download URL for an attachment; fetching it spends one use', async () => {
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: { summary: 't', attachments: [{ name: 'a.txt', content: 'abc' }] },
    });
    const guid = seeded.body.attachments[0].guid;
    const minted = await feishu.call('POST', `/__mock/attachments/${guid}/download-urls`);
    expect(minted.status).toBe(201);
    expect(minted.body).toMatchObject({ attachment_guid: guid, uses_left: 3, expired: false });
    expect(minted.body.expires_at - minted.body.issued_at).toBe(180_000);

    const downloaded = await fetch(minted.body.url);
    expect(await downloaded.text()).toBe('abc');
    const urls = (await feishu.call('GET', '/__mock/download-urls')).body.items;
    expect(urls).toEqual([expect.objectContaining({ url: minted.body.url, uses_left: 2 })]);

    const unknown = await feishu.call(
      'POST',
      '/__mock/attachments/00000000-0000-4000-8000-000000000000/download-urls',
    );
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 1470404 });
  });

  it('deletes an attachment and its bytes as an operator; its URLs then answer as unknown', async () => {
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: { summary: 't', attachments: [{ name: 'a.txt', content: 'abc' }] },
    });
    const guid = seeded.body.attachments[0].guid;
    const minted = await feishu.call('POST', `/__mock/attachments/${guid}/download-urls`);

    const deleted = await feishu.call('DELETE', `/__mock/attachments/${guid}`);
    expect(deleted.body).toMatchObject({ guid, name: 'a.txt' });
    expect((await feishu.seeder.counts()).attachments).toBe(0);
    expect((await fetch(minted.body.url)).status).toBe(403);
    expect((await feishu.call('DELETE', `/__mock/attachments/${guid}`)).status).toBe(404);
    expect((await feishu.call('DELETE', '/__mock/attachments/not-a-guid')).status).toBe(400);
  });

  it('removes one fault rule and leaves the others', async () => {
    const first = await feishu.call('POST', '/__mock/faults', {
      json: { operation: 'task.get', drop: true },
    });
    const second = await feishu.call('POST', '/__mock/faults', {
      json: { operation: 'task.create', drop: true },
    });

    const left = await feishu.call('DELETE', `/__mock/faults/${first.body.id}`);
    expect(left.body.items.map((rule: { id: number }) => rule.id)).toEqual([second.body.id]);
    expect((await feishu.call('DELETE', `/__mock/faults/${first.body.id}`)).status).toBe(404);
  });

  it('keeps request and response headers with the bearer token masked, and JSON bodies with tokens masked', async () => {
    const token = await feishu.tenantToken();
    const tokenCall = await lastEntryDetail();
    expect(tokenCall.detail.request.body.json).toEqual({ app_id: 'cli_mock_app', app_secret: '***' });
    expect(tokenCall.detail.response.body.json).toMatchObject({ code: 0, tenant_access_token: '***' });
    expect(JSON.stringify(tokenCall)).not.toContain(token);

    await feishu.call('POST', '/open-apis/task/v2/tasks', { token, json: { summary: 'journalled' } });
    const entry = await lastEntryDetail();
    expect(entry).toMatchObject({ operation: 'task.create', status: 200, code: 0 });
    expect(entry.detail.request.headers).toMatchObject({
      authorization: 'Bearer ***',
      'content-type': 'application/json',
    });
    expect(entry.detail.request.body).toEqual({
      content_type: 'application/json',
      size: 24,
      json: { summary: 'journalled' },
    });
    expect(entry.detail.response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-tt-logid': entry.log_id,
    });
    expect(entry.detail.response.body.json).toMatchObject({
      code: 0,
      data: { task: { summary: 'journalled' } },
    });
    expect(JSON.stringify(entry)).not.toContain(token);
  });

  it('keeps a multipart upload as part summaries: names, filenames, sizes and content types, not bytes', async () => {
    const token = await feishu.tenantToken();
    const taskGuid = await feishu.createTask(token);
    await feishu.upload(token, taskGuid, [
      { name: 'notes.txt', content: 'hello', type: 'text/plain' },
      { name: 'pixel.png', content: new Uint8Array(8), type: 'image/png' },
    ]);

    const entry = await lastEntryDetail();
    expect(entry.operation).toBe('attachment.upload');
    expect(entry.detail.request.body.parts).toEqual([
      { name: 'resource_type', size: 4 },
      { name: 'resource_id', size: 36 },
      { name: 'file', filename: 'notes.txt', size: 5, content_type: 'text/plain' },
      { name: 'file', filename: 'pixel.png', size: 8, content_type: 'image/png' },
    ]);
    expect(entry.detail.request.body.content_type).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('counts a download body without keeping its bytes, and cuts a long text body at the limit', async () => {
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: {
        summary: 't',
        attachments: [
          { name: 'big.bin', content: 'x'.repeat(40_000), content_type: 'application/octet-stream' },
        ],
      },
    });
    const minted = await feishu.call(
      'POST',
      `/__mock/attachments/${seeded.body.attachments[0].guid}/download-urls`,
    );
    await (await fetch(minted.body.url)).arrayBuffer();
    const download = await lastEntryDetail();
    expect(download.operation).toBe('download');
    expect(download.detail.response.body).toEqual({ content_type: 'application/octet-stream', size: 40_000 });

    const long = 'y'.repeat(JOURNAL_BODY_LIMIT * 2);
    await feishu.call('POST', '/open-apis/task/v2/tasks', { json: { summary: long } });
    const cut = await lastEntryDetail();
    expect(cut.detail.request.body.truncated).toBe(true);
    expect(cut.detail.request.body.text.length).toBe(JOURNAL_BODY_LIMIT);
  });

  it('shows the detail of a call whose answer is still streaming out', async () => {
    const token = await feishu.tenantToken();
    const taskGuid = await feishu.createTask(token);
    // Far more than loopback socket buffers hold, so the download cannot end while the client waits.
    const size = 20 * 1024 * 1024;
    const uploaded = await feishu.upload(token, taskGuid, [
      { name: 'big.bin', content: new Uint8Array(size) },
    ]);
    const minted = await feishu.call(
      'POST',
      `/__mock/attachments/${uploaded.body.data.items[0].guid}/download-urls`,
    );
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(minted.body.url, resolve).on('error', reject),
    );
    try {
      response.pause();
      const streaming = await lastEntryDetail();
      expect(streaming.operation).toBe('download');
      expect(streaming.completed).toBe(false);
      expect(streaming.detail.response.headers['content-length']).toBe(String(size));
    } finally {
      response.destroy();
    }
  });

  it('answers an unknown journal id with 404 and a malformed one with 400', async () => {
    expect((await feishu.call('GET', '/__mock/requests/999999')).status).toBe(404);
    expect((await feishu.call('GET', '/__mock/requests/abc')).status).toBe(400);
  });
});
