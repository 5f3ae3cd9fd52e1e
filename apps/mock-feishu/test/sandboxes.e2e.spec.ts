import * as lark from '@larksuiteoapi/node-sdk';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockFeishu, type RunningMockFeishu, type StartMockFeishuOptions } from '../src/index.js';

interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
}

interface CreatedSandbox {
  id: string;
  app_id: string;
  app_secret: string;
  control_url: string;
}

/** Plain fetch, as any client in any language would call. */
async function call(
  url: string,
  method = 'GET',
  options: { json?: unknown; token?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, text };
}

/** The official node SDK, unchanged, with its own token cache, quiet. */
function sdkClient(url: string, appId: string, appSecret: string): lark.Client {
  const cache = new Map<string, unknown>();
  const quiet = () => undefined;
  return new lark.Client({
    appId,
    appSecret,
    domain: url,
    loggerLevel: lark.LoggerLevel.error,
    logger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
    cache: {
      set: async (key, value, _expire, options) => {
        cache.set(`${options?.namespace ?? ''}|${String(key)}`, value);
        return true;
      },
      get: async (key, options) => cache.get(`${options?.namespace ?? ''}|${String(key)}`),
    },
  });
}

describe('sandboxes: isolated tenants in one emulator', () => {
  let feishu: RunningMockFeishu;
  let dir: string;

  const control = (path: string, method = 'GET', json?: unknown) =>
    call(`${feishu.url}/__mock${path}`, method, { json });
  const createSandbox = async (json: unknown = {}): Promise<CreatedSandbox> => {
    const created = await control('/sandboxes', 'POST', json);
    expect(created.status).toBe(201);
    return created.body as CreatedSandbox;
  };
  const tenantToken = async (sandbox: { app_id: string; app_secret: string }) => {
    const answer = await call(`${feishu.url}/open-apis/auth/v3/tenant_access_token/internal`, 'POST', {
      json: { app_id: sandbox.app_id, app_secret: sandbox.app_secret },
    });
    expect(answer.body.code).toBe(0);
    return answer.body.tenant_access_token as string;
  };
  const seedTask = async (controlUrl: string, content = 'bytes of a sandbox') => {
    const seeded = await call(`${controlUrl}/tasks`, 'POST', {
      json: { summary: 'seeded', attachments: [{ name: 'a.txt', content }] },
    });
    expect(seeded.status).toBe(201);
    return seeded.body as { task_guid: string; attachments: { guid: string }[] };
  };
  const attachmentUrl = async (token: string, guid: string) => {
    const got = await call(`${feishu.url}/open-apis/task/v2/attachments/${guid}`, 'GET', { token });
    expect(got.body.code).toBe(0);
    return got.body.data.attachment.url as string;
  };

  async function start(options: StartMockFeishuOptions = {}) {
    feishu = await startMockFeishu({ port: 0, ...options });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mock-feishu-sandboxes-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(() => feishu?.close());

  it('creates a sandbox with its own app and control base, lists and deletes it', async () => {
    await start();
    const created = await createSandbox({ name: 'worker 1' });
    expect(created).toEqual({
      id: expect.stringMatching(/^sb[a-z0-9]{10}$/),
      name: 'worker 1',
      default: false,
      created_at: expect.any(Number),
      app_id: expect.stringMatching(/^cli_[0-9a-f]{16}$/),
      app_secret: expect.any(String),
      control_url: `${feishu.url}/__mock/sandboxes/${created.id}`,
    });
    const listed = await control('/sandboxes');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual(['default', created.id]);
    // The secret is given once, at creation.
    expect(listed.text).not.toContain(created.app_secret);
    expect((await control(`/sandboxes/${created.id}`)).body.app_id).toBe(created.app_id);

    expect(await control(`/sandboxes/${created.id}`, 'DELETE')).toMatchObject({ status: 200 });
    expect((await control(`/sandboxes/${created.id}`)).status).toBe(404);
    expect((await call(`${created.control_url}/clock`)).status).toBe(404);
    expect((await control('/sandboxes/default', 'DELETE')).status).toBe(400);
  });

  it("runs the official SDK's upload/list/get/download/delete in a sandbox while another is frozen and faulted", async () => {
    await start();
    const mine = await createSandbox();
    const frozen = await createSandbox();
    const frozenNow = (await call(`${frozen.control_url}/clock`, 'POST', { json: { freeze: true } })).body
      .now;
    const armed = await call(`${frozen.control_url}/faults`, 'POST', {
      json: { path: '*', times: 100, error: { status: 500, code: 1470500, msg: 'armed elsewhere' } },
    });
    expect(armed.status).toBe(201);
    // The default sandbox is faulted too: nothing of either may reach the SDK's calls.
    expect((await control('/faults', 'POST', { path: '*', times: 100, drop: true })).status).toBe(201);

    const client = sdkClient(feishu.url, mine.app_id, mine.app_secret);
    const created = await client.task.v2.task.create({ data: { summary: 'in my sandbox' } });
    expect(created.code).toBe(0);
    const taskGuid = created.data?.task?.guid as string;
    const file = join(dir, 'report.txt');
    await writeFile(file, 'sandboxed bytes');
    const uploaded = await client.task.v2.attachment.upload({
      data: { resource_type: 'task', resource_id: taskGuid, file: createReadStream(file) },
    });
    // The SDK returns `data` alone for multipart methods.
    const guid = uploaded?.items?.[0]?.guid as string;
    expect(guid).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await client.task.v2.attachment.list({
      params: { resource_type: 'task', resource_id: taskGuid },
    });
    expect(listed.data?.items?.map((item) => item.guid)).toEqual([guid]);
    const got = await client.task.v2.attachment.get({ path: { attachment_guid: guid } });
    const url = got.data?.attachment?.url as string;
    expect(new URL(url).searchParams.get('code')).toMatch(new RegExp(`^${mine.id}\\.`));
    const downloaded = await fetch(url);
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe('sandboxed bytes');
    expect((await client.task.v2.attachment.delete({ path: { attachment_guid: guid } })).code).toBe(0);

    // The other sandbox: still frozen at the same instant, its fault still armed and unspent.
    expect((await call(`${frozen.control_url}/clock`)).body).toEqual({ now: frozenNow, frozen: true });
    expect((await call(`${frozen.control_url}/faults`)).body.items).toEqual([
      expect.objectContaining({ remaining: 100 }),
    ]);
    expect((await control('/faults')).body.items).toEqual([expect.objectContaining({ remaining: 100 })]);
    // Each journal holds its own sandbox's calls only.
    const journal = (await call(`${mine.control_url}/requests`)).body.items as { operation: string }[];
    expect(journal.map((entry) => entry.operation)).toEqual([
      'auth.tenantAccessToken',
      'task.create',
      'attachment.upload',
      'attachment.list',
      'attachment.get',
      'download',
      'attachment.delete',
    ]);
    expect((await call(`${frozen.control_url}/requests`)).body.items).toEqual([]);
    expect((await control('/requests')).body.items).toEqual([]);
  });

  describe('as an attacker in another sandbox', () => {
    let victim: CreatedSandbox;
    let attacker: CreatedSandbox;
    let victimToken: string;
    let attackerToken: string;
    let victimTask: string;
    let victimAttachment: string;
    let victimUrl: string;

    beforeEach(async () => {
      await start();
      victim = await createSandbox();
      attacker = await createSandbox();
      victimToken = await tenantToken(victim);
      attackerToken = await tenantToken(attacker);
      const seeded = await seedTask(victim.control_url, 'the victim’s secret');
      victimTask = seeded.task_guid;
      victimAttachment = seeded.attachments[0].guid;
      victimUrl = await attachmentUrl(victimToken, victimAttachment);
    });

    /** What Feishu answers for a guid nobody has, from the attacker's own sandbox. */
    const unknownAnswer = async (path: string) =>
      call(`${feishu.url}${path}`, 'GET', { token: attackerToken });

    it("refuses the other sandbox's attachment and task guids as unknown ones", async () => {
      const stranger = '00000000-0000-4000-8000-000000000000';
      for (const [path, unknown] of [
        [`/open-apis/task/v2/attachments/${victimAttachment}`, `/open-apis/task/v2/attachments/${stranger}`],
        [`/open-apis/task/v2/tasks/${victimTask}`, `/open-apis/task/v2/tasks/${stranger}`],
        [
          `/open-apis/task/v2/attachments?resource_type=task&resource_id=${victimTask}`,
          `/open-apis/task/v2/attachments?resource_type=task&resource_id=${stranger}`,
        ],
      ]) {
        const answer = await call(`${feishu.url}${path}`, 'GET', { token: attackerToken });
        const expected = await unknownAnswer(unknown);
        expect(answer.status).toBe(404);
        expect(answer.body.code).toBe(1470404);
        expect({ status: answer.status, code: answer.body.code, msg: answer.body.msg }).toEqual({
          status: expected.status,
          code: expected.body.code,
          msg: expected.body.msg,
        });
      }
      const deleted = await call(
        `${feishu.url}/open-apis/task/v2/attachments/${victimAttachment}`,
        'DELETE',
        {
          token: attackerToken,
        },
      );
      expect(deleted.body.code).toBe(1470404);
      // Still there for its owner.
      expect((await call(`${victim.control_url}/state`)).body.tasks[0].attachments).toHaveLength(1);
    });

    it("refuses the other sandbox's download code, as given or re-addressed, like an unknown code", async () => {
      const code = new URL(victimUrl).searchParams.get('code') as string;
      const rest = code.slice(victim.id.length + 1);
      const unknown = await call(`${feishu.url}/download/authcode/?code=${'x'.repeat(code.length)}`);
      for (const forged of [
        `${attacker.id}.${rest}`,
        rest,
        `sb0000000000.${rest}`,
        `${victim.id}.${rest.slice(0, -1)}${rest.endsWith('a') ? 'b' : 'a'}`,
      ]) {
        const answer = await call(`${feishu.url}/download/authcode/?code=${encodeURIComponent(forged)}`);
        expect({ status: answer.status, code: answer.body.code, msg: answer.body.msg }).toEqual({
          status: unknown.status,
          code: unknown.body.code,
          msg: unknown.body.msg,
        });
      }
      // The real URL still has all three of its uses.
      const ledger = (await call(`${victim.control_url}/download-urls`)).body.items;
      expect(ledger).toEqual([expect.objectContaining({ uses_left: 3 })]);
    });

    it("refuses the other sandbox's token used elsewhere, and any token re-addressed to it, like an unknown token", async () => {
      const unknown = await call(`${feishu.url}/open-apis/task/v2/tasks/${victimTask}`, 'GET', {
        token: `t-${'0'.repeat(40)}`,
      });
      expect(unknown.body.code).toBe(99991663);
      const tail = attackerToken.slice(2 + attacker.id.length + 1);
      for (const forged of [
        `t-${victim.id}_${tail}`,
        `t-${tail}${'0'.repeat(8)}`,
        `t-sb0000000000_${tail}`,
      ]) {
        const answer = await call(`${feishu.url}/open-apis/task/v2/tasks/${victimTask}`, 'GET', {
          token: forged,
        });
        expect({ status: answer.status, code: answer.body.code }).toEqual({
          status: unknown.status,
          code: unknown.body.code,
        });
      }
      // The attacker's app cannot get a token from the victim's app secret, nor the reverse.
      const crossed = await call(`${feishu.url}/open-apis/auth/v3/tenant_access_token/internal`, 'POST', {
        json: { app_id: attacker.app_id, app_secret: victim.app_secret },
      });
      expect(crossed.body.code).not.toBe(0);
    });

    it("cannot register the other sandbox's app id in its own", async () => {
      const taken = await call(`${attacker.control_url}/apps`, 'POST', {
        json: { app_id: victim.app_id, app_secret: 'mine now', replace: true },
      });
      expect(taken.status).toBe(409);
      expect(await tenantToken(victim)).toBe(victimToken);
    });

    it('after the sandbox is deleted, its tokens, URLs and control base are unknown', async () => {
      expect((await control(`/sandboxes/${victim.id}`, 'DELETE')).status).toBe(200);
      const got = await call(`${feishu.url}/open-apis/task/v2/tasks/${victimTask}`, 'GET', {
        token: victimToken,
      });
      expect(got.body.code).toBe(99991663);
      const download = await call(victimUrl);
      expect(download.status).toBe(
        (await call(`${feishu.url}/download/authcode/?code=nothing-like-it`)).status,
      );
      expect((await call(`${victim.control_url}/state`)).status).toBe(404);
    });
  });

  it('keeps each sandbox to its own clock, reset, rate limits and journal', async () => {
    await start();
    const a = await createSandbox();
    const b = await createSandbox();
    const tokenA = await tenantToken(a);
    await seedTask(a.control_url);
    await seedTask(b.control_url);
    await call(`${b.control_url}/clock`, 'POST', { json: { freeze: true, advanceMs: 3 * 60 * 60 * 1000 } });
    // A's token still lives on A's clock, though B's is three hours on (past a token's two).
    expect((await call(`${a.control_url}/clock`)).body.frozen).toBe(false);
    const stranger = '00000000-0000-4000-8000-000000000000';
    const got = await call(`${feishu.url}/open-apis/task/v2/tasks/${stranger}`, 'GET', { token: tokenA });
    expect(got.body.code).toBe(1470404);
    await call(`${a.control_url}/reset`, 'POST', { json: {} });
    expect((await call(`${a.control_url}/state`)).body.tasks).toEqual([]);
    expect((await call(`${b.control_url}/state`)).body.tasks).toHaveLength(1);
    expect((await call(`${b.control_url}/clock`)).body.frozen).toBe(true);
    await call(`${b.control_url}/rate-limits`, 'PUT', { json: { enabled: false } });
    expect((await call(`${a.control_url}/rate-limits`)).body.enabled).toBe(true);
    // Sandboxes do not nest, and an unknown one is a 404.
    expect((await call(`${a.control_url}/sandboxes`)).status).toBe(400);
    expect((await control('/sandboxes/sb0000000000/clock')).status).toBe(404);
  });

  it('refuses a sandbox past the limit with a clear error, and makes room when one is deleted', async () => {
    await start({ maxSandboxes: 2 });
    const first = await createSandbox();
    await createSandbox();
    const refused = await control('/sandboxes', 'POST', {});
    expect(refused.status).toBe(409);
    expect(refused.body.msg).toBe(
      'Too many sandboxes: 2 are live (--max-sandboxes); delete one (DELETE /__mock/sandboxes/<id>) first.',
    );
    await control(`/sandboxes/${first.id}`, 'DELETE');
    await createSandbox();
  });

  it('keeps sandboxes, their app and their state across a restart with a data dir, and frees the folder on delete', async () => {
    const dataDir = join(dir, 'durable');
    await start({ dataDir });
    const kept = await createSandbox({ name: 'kept' });
    const token = await tenantToken(kept);
    const seeded = await seedTask(kept.control_url, 'durable bytes');
    await call(`${kept.control_url}/clock`, 'POST', { json: { freeze: true } });
    const frozenAt = (await call(`${kept.control_url}/clock`)).body.now;
    await feishu.close();

    await start({ dataDir });
    const again = (await control(`/sandboxes/${kept.id}`)).body;
    expect(again).toMatchObject({ name: 'kept', app_id: kept.app_id });
    expect((await call(`${again.control_url}/clock`)).body).toEqual({ now: frozenAt, frozen: true });
    const url = await attachmentUrl(token, seeded.attachments[0].guid);
    expect(await (await fetch(url)).text()).toBe('durable bytes');
    // Nothing of it is in the default sandbox.
    expect((await control('/state')).body.tasks).toEqual([]);

    const folder = join(dataDir, 'sandboxes', kept.id);
    expect(existsSync(folder)).toBe(true);
    await control(`/sandboxes/${kept.id}`, 'DELETE');
    expect(existsSync(folder)).toBe(false);
  });

  it('gives startMockFeishu callers the same sandboxes in process', async () => {
    await start();
    const sandbox = await feishu.sandboxes.create({ name: 'in process' });
    expect(sandbox.controlUrl).toBe(`${feishu.url}/__mock/sandboxes/${sandbox.id}`);
    sandbox.clock.freeze(true);
    sandbox.clock.advance(60_000);
    expect(feishu.clock.now()).toBeLessThan(sandbox.clock.now());
    const taskGuid = await sandbox.seeder.createTask({ summary: 'seeded in process' });
    expect((await call(`${sandbox.controlUrl}/state`)).body.tasks[0].guid).toBe(taskGuid);
    expect(feishu.sandboxes.list().map((item) => item.id)).toEqual(['default', sandbox.id]);
    expect(await sandbox.delete()).toBe(true);
    expect(feishu.sandboxes.get(sandbox.id)).toBeUndefined();
  });
});
