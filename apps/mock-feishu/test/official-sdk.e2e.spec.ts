import * as lark from '@larksuiteoapi/node-sdk';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

/**
 * The official Lark SDK pointed at the emulator: what a real integration would call, with the
 * SDK's own token handling, multipart encoding (axios + form-data) and pagination.
 */
describe('the official Lark SDK against the emulator', () => {
  let feishu: MockFeishuFixture;
  let dir: string;
  let sdkErrors: unknown[];

  beforeAll(async () => {
    feishu = await createMockFeishu();
    dir = await mkdtemp(join(tmpdir(), 'mock-feishu-sdk-'));
  });

  afterAll(async () => {
    await feishu.close();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // Tokens stay valid, so nothing the SDK holds goes stale between tests.
    await feishu.reset({ keepTokens: true });
    sdkErrors = [];
  });

  /** A client with its own token cache, so each test sees the SDK fetch its token. */
  function newClient(): lark.Client {
    const store = new Map<string, unknown>();
    const keyOf = (key: string | symbol, namespace = '') => `${namespace}|${String(key)}`;
    return new lark.Client({
      appId: 'cli_mock_app',
      appSecret: 'mock_app_secret',
      domain: feishu.url,
      loggerLevel: lark.LoggerLevel.error,
      // The SDK logs every failed call before rethrowing; keep that out of the test output.
      logger: {
        error: (...msg: unknown[]) => void sdkErrors.push(msg),
        warn: () => undefined,
        info: () => undefined,
        debug: () => undefined,
        trace: () => undefined,
      },
      cache: {
        set: async (key, value, _expire, options) => {
          store.set(keyOf(key as symbol, options?.namespace), value);
          return true;
        },
        get: async (key, options) => store.get(keyOf(key as symbol, options?.namespace)),
      },
    });
  }

  async function tempFile(name: string, content: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  }

  async function createTask(client: lark.Client, summary = 'made by the SDK'): Promise<string> {
    const created = await client.task.v2.task.create({ data: { summary } });
    expect(created.code).toBe(0);
    return created.data?.task?.guid as string;
  }

  async function upload(client: lark.Client, taskGuid: string, path: string) {
    return client.task.v2.attachment.upload({
      data: { resource_type: 'task', resource_id: taskGuid, file: createReadStream(path) },
    });
  }

  async function journal(query: Record<string, string> = {}) {
    return (await feishu.call('GET', '/__mock/requests', { query })).body.items as {
      method: string;
      path: string;
      status: number;
      operation?: string;
      caller?: string;
    }[];
  }

  it('fetches the tenant token itself and creates a task with it', async () => {
    const client = newClient();

    const created = await client.task.v2.task.create({ data: { summary: 'hello from the SDK' } });

    expect(created.code).toBe(0);
    expect(created.data?.task).toMatchObject({
      summary: 'hello from the SDK',
      creator: { id: 'cli_mock_app', type: 'app' },
    });
    const calls = await journal();
    expect(calls.map((call) => [call.method, call.path, call.status])).toEqual([
      ['POST', '/open-apis/auth/v3/tenant_access_token/internal', 200],
      ['POST', '/open-apis/task/v2/tasks', 200],
    ]);
    expect(calls[1].caller).toBe('app:cli_mock_app');
  });

  it('reuses its cached tenant token for later calls', async () => {
    const client = newClient();
    await createTask(client);
    await createTask(client);

    expect(await journal({ operation: 'auth.tenantAccessToken' })).toHaveLength(1);
  });

  it('uploads a file stream and gets back only data, named after the file', async () => {
    const client = newClient();
    const taskGuid = await createTask(client);
    const path = await tempFile('quarterly report.txt', 'numbers, numbers');

    const uploaded = await upload(client, taskGuid, path);

    // The SDK returns `data` alone for multipart methods: no code, no msg.
    expect(uploaded).not.toHaveProperty('code');
    expect(uploaded?.items).toHaveLength(1);
    expect(uploaded?.items?.[0]).toMatchObject({
      name: basename(path),
      size: Buffer.byteLength('numbers, numbers'),
      resource: { type: 'task', id: taskGuid },
      uploader: { id: 'cli_mock_app', type: 'app' },
    });
  });

  it('keeps a non-ASCII file name as the SDK sends it', async () => {
    const client = newClient();
    const taskGuid = await createTask(client);

    const uploaded = await upload(client, taskGuid, await tempFile('季度报告.txt', '报告'));

    expect(uploaded?.items?.[0]?.name).toBe('季度报告.txt');
  });

  it('lists the attachments of a task, each with a download url', async () => {
    const client = newClient();
    const taskGuid = await createTask(client);
    await upload(client, taskGuid, await tempFile('one.txt', '1'));

    const listed = await client.task.v2.attachment.list({
      params: { resource_type: 'task', resource_id: taskGuid },
    });

    expect(listed.code).toBe(0);
    expect(listed.data?.has_more).toBe(false);
    expect(listed.data?.items).toHaveLength(1);
    expect(listed.data?.items?.[0]).toMatchObject({
      name: 'one.txt',
      url: expect.stringMatching(/^http:\/\//),
    });
  });

  it('pages through every attachment with listWithIterator, following the page tokens', async () => {
    const client = newClient();
    const taskGuid = await createTask(client);
    for (const name of ['a.txt', 'b.txt', 'c.txt'])
      await upload(client, taskGuid, await tempFile(name, name));
    await feishu.call('DELETE', '/__mock/requests');

    const names: string[] = [];
    for await (const page of await client.task.v2.attachment.listWithIterator({
      params: { resource_type: 'task', resource_id: taskGuid, page_size: 1 },
    })) {
      for (const item of page?.items ?? []) names.push(item.name as string);
    }

    expect(names).toEqual(['a.txt', 'b.txt', 'c.txt']);
    const pages = await journal({ operation: 'attachment.list' });
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((call) => call.status === 200)).toBe(true);
    expect(sdkErrors).toEqual([]);
  });

  it('gets one attachment whose url downloads the uploaded bytes with plain fetch', async () => {
    const client = newClient();
    const taskGuid = await createTask(client);
    const content = Buffer.from('binary \u0000\u00ff payload');
    const uploaded = await upload(client, taskGuid, await tempFile('payload.bin', content));
    const guid = uploaded?.items?.[0]?.guid as string;

    const got = await client.task.v2.attachment.get({ path: { attachment_guid: guid } });

    expect(got.code).toBe(0);
    expect(got.data?.attachment).toMatchObject({ guid, name: 'payload.bin', size: content.length });
    const url = got.data?.attachment?.url as string;
    expect(url).toBeTruthy();
    const downloaded = await fetch(url);
    expect(downloaded.status).toBe(200);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(content)).toBe(true);
  });

  it('deletes an attachment, after which get throws an error carrying 1470404', async () => {
    const client = newClient();
    const taskGuid = await createTask(client);
    const uploaded = await upload(client, taskGuid, await tempFile('doomed.txt', 'bye'));
    const guid = uploaded?.items?.[0]?.guid as string;

    const deleted = await client.task.v2.attachment.delete({ path: { attachment_guid: guid } });
    expect(deleted.code).toBe(0);

    const failure = await client.task.v2.attachment.get({ path: { attachment_guid: guid } }).then(
      () => undefined,
      (error: unknown) =>
        error as {
          response?: { status: number; data: { code: number; msg: string; error?: { log_id: string } } };
        },
    );
    expect(failure?.response?.status).toBe(404);
    expect(failure?.response?.data).toMatchObject({ code: 1470404, error: { log_id: expect.any(String) } });
    expect(sdkErrors).toHaveLength(1);
  });
});
