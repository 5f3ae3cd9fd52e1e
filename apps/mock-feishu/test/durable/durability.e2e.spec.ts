import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runEmulatorToExit, spawnEmulator, type EmulatorProcess } from '../support/emulator-process.js';

// The data dir's promise, checked against a real process: what was acknowledged survives
// SIGKILL, SIGTERM and a kill mid-upload; nothing half-written is listed or left on disk.

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; form?: FormData } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else body = options.form;
  const response = await fetch(new URL(path, base), { method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  let json: any;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: response.status, json, bytes };
}

const tenantToken = async (base: string) =>
  (
    await call(base, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      json: { app_id: 'cli_mock_app', app_secret: 'mock_app_secret' },
    })
  ).json.tenant_access_token as string;

function uploadForm(taskGuid: string, files: { name: string; content: Buffer }[]): FormData {
  const form = new FormData();
  form.append('resource_type', 'task');
  form.append('resource_id', taskGuid);
  for (const file of files) form.append('file', new Blob([new Uint8Array(file.content)]), file.name);
  return form;
}

/** Polls a condition on disk: waits for the emulator to get somewhere, whatever the machine's speed. */
async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 3000; attempt++) {
    const value = probe();
    if (value !== undefined) return value;
    await sleep(10);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('a data dir keeps state across restarts and crashes', () => {
  let dataDir: string;
  let running: EmulatorProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mock-feishu-durability-'));
  });

  afterEach(async () => {
    await running?.kill('SIGKILL');
    running = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => (running = await spawnEmulator(['--data-dir', dataDir]));
  const blobFiles = () => readdirSync(join(dataDir, 'blobs')).sort();

  it('after SIGKILL, restarts with the same tasks, attachments (identical bytes), tokens, URLs and uses left', async () => {
    let feishu = await start();
    // A frozen clock: URL and token expiry are counted on it, not on how long the restart takes.
    await call(feishu.url, 'POST', '/__mock/clock', { json: { freeze: true } });
    const frozenAt = (await call(feishu.url, 'GET', '/__mock/clock')).json.now;
    const user = (await call(feishu.url, 'POST', '/__mock/users', { json: { name: 'Ada' } })).json;
    const userToken = (
      await call(feishu.url, 'POST', '/__mock/user-access-tokens', { json: { open_id: user.open_id } })
    ).json.access_token;
    const token = await tenantToken(feishu.url);
    const created = await call(feishu.url, 'POST', '/open-apis/task/v2/tasks', {
      token,
      json: { summary: 'kept', members: [{ id: user.open_id, type: 'user', role: 'assignee' }] },
    });
    const taskGuid = created.json.data.task.guid;
    expect(created.json.data.task.task_id).toBe('t100001');
    const big = randomBytes(3 * 1024 * 1024 + 7);
    const small = Buffer.from('hello, durable world\n');
    const upload = await call(feishu.url, 'POST', '/open-apis/task/v2/attachments/upload', {
      token,
      form: uploadForm(taskGuid, [
        { name: 'big.bin', content: big },
        { name: 'small.txt', content: small },
      ]),
    });
    expect(upload.json.code).toBe(0);
    const list = await call(
      feishu.url,
      'GET',
      `/open-apis/task/v2/attachments?resource_type=task&resource_id=${taskGuid}`,
      { token },
    );
    const [bigUrl, smallUrl] = list.json.data.items.map((item: { url: string }) => item.url);
    expect((await call(feishu.url, 'GET', bigUrl)).bytes.equals(big)).toBe(true);
    const urlsBefore = (await call(feishu.url, 'GET', '/__mock/download-urls')).json.items;

    expect((await feishu.kill('SIGKILL')).signal).toBe('SIGKILL');
    feishu = await start();

    expect((await call(feishu.url, 'GET', '/__mock/clock')).json).toEqual({ now: frozenAt, frozen: true });
    const task = await call(feishu.url, 'GET', `/open-apis/task/v2/tasks/${taskGuid}`, { token });
    expect(task.json.data.task.summary).toBe('kept');
    expect(task.json.data.task.attachments.map((item: { name: string }) => item.name)).toEqual([
      'big.bin',
      'small.txt',
    ]);
    const viaUser = await call(feishu.url, 'GET', `/open-apis/task/v2/tasks/${taskGuid}`, {
      token: userToken,
    });
    expect(viaUser.json.code).toBe(0);
    const listed = await call(
      feishu.url,
      'GET',
      `/open-apis/task/v2/attachments?resource_type=task&resource_id=${taskGuid}`,
      { token },
    );
    expect(listed.json.data.items.map((item: { guid: string }) => item.guid)).toEqual(
      list.json.data.items.map((item: { guid: string }) => item.guid),
    );
    // The URLs issued before the crash, with the uses they had left (the big one was used once).
    // (The port is new, so the URLs are compared by their path and code.)
    const withoutOrigin = (items: { url: string }[]) =>
      items.map((item) => ({ ...item, url: item.url.replace(/^http:\/\/[^/]+/, '') }));
    const urlsAfter = (await call(feishu.url, 'GET', '/__mock/download-urls')).json.items;
    expect(withoutOrigin(urlsAfter.slice(0, urlsBefore.length))).toEqual(withoutOrigin(urlsBefore));
    expect(urlsBefore.find((url: { url: string }) => url.url === bigUrl).uses_left).toBe(2);
    expect(
      (await call(feishu.url, 'GET', bigUrl.replace(/^http:\/\/[^/]+/, feishu.url))).bytes.equals(big),
    ).toBe(true);
    expect(
      (await call(feishu.url, 'GET', smallUrl.replace(/^http:\/\/[^/]+/, feishu.url))).bytes.equals(small),
    ).toBe(true);
    // Counters carry on: the next task is the second one.
    const next = await call(feishu.url, 'POST', '/open-apis/task/v2/tasks', {
      token,
      json: { summary: 'next' },
    });
    expect(next.json.data.task.task_id).toBe('t100002');
  });

  it('after SIGTERM, restarts with the state and releases the lock on the way out', async () => {
    let feishu = await start();
    const token = await tenantToken(feishu.url);
    const created = await call(feishu.url, 'POST', '/open-apis/task/v2/tasks', {
      token,
      json: { summary: 'stopped' },
    });
    expect((await feishu.kill('SIGTERM')).code).toBe(0);
    expect(existsSync(join(dataDir, 'mock-feishu.lock'))).toBe(false);
    feishu = await start();
    const task = await call(feishu.url, 'GET', `/open-apis/task/v2/tasks/${created.json.data.task.guid}`, {
      token,
    });
    expect(task.json.data.task.summary).toBe('stopped');
  });

  it('after a kill mid-upload, lists no partial attachment and leaves no orphan file', async () => {
    let feishu = await start();
    const token = await tenantToken(feishu.url);
    const taskGuid = (
      await call(feishu.url, 'POST', '/open-apis/task/v2/tasks', { token, json: { summary: 't' } })
    ).json.data.task.guid;
    const kept = Buffer.from('acknowledged before the crash');
    await call(feishu.url, 'POST', '/open-apis/task/v2/attachments/upload', {
      token,
      form: uploadForm(taskGuid, [{ name: 'kept.txt', content: kept }]),
    });
    expect(blobFiles()).toHaveLength(1);

    // A multipart body sent by hand: the file part starts, 1 MiB of it arrives, and it never ends.
    const boundary = 'durability-boundary';
    const upload = request(new URL('/open-apis/task/v2/attachments/upload', feishu.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
    });
    upload.on('error', () => undefined);
    upload.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="resource_type"\r\n\r\ntask\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="resource_id"\r\n\r\n${taskGuid}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n`,
    );
    upload.write(randomBytes(1024 * 1024));
    const partial = await until(() => {
      const name = blobFiles().find((file) => file.endsWith('.part'));
      return name && statSync(join(dataDir, 'blobs', name)).size > 0 ? name : undefined;
    }, 'the upload to reach the disk');
    expect(partial).toMatch(/\.part$/);

    await feishu.kill('SIGKILL');
    upload.destroy();
    // What a crash after the bytes but before the rows would leave: a complete, unindexed blob.
    writeFileSync(join(dataDir, 'blobs', randomUUID()), 'never committed');
    writeFileSync(join(dataDir, 'blobs', 'notes.txt'), 'not the emulator’s');
    feishu = await start();
    // The sweep runs once the emulator listens, and says when it is done: the .part file and the
    // uncommitted blob go, notes.txt stays.
    const running = feishu;
    await until(() => (/start-up sweep removed \d+/.test(running.output()) ? true : undefined), 'the sweep');
    expect(feishu.output()).toContain('start-up sweep removed 2 leftover file(s)');

    const listed = await call(
      feishu.url,
      'GET',
      `/open-apis/task/v2/attachments?resource_type=task&resource_id=${taskGuid}`,
      { token },
    );
    expect(listed.json.data.items.map((item: { name: string }) => item.name)).toEqual(['kept.txt']);
    expect((await call(feishu.url, 'GET', listed.json.data.items[0].url)).bytes.equals(kept)).toBe(true);
    const left = blobFiles();
    expect(left).toHaveLength(2);
    expect(left).toContain('notes.txt');
  });

  it('refuses a second emulator on the same data dir, naming the first', async () => {
    const first = await start();
    const second = await runEmulatorToExit(['--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`in use by another mock-feishu (pid ${first.pid}`);
    // The first one is untouched.
    expect((await call(first.url, 'GET', '/__mock/health')).status).toBe(200);
  });

  it('on reset removes only the blobs it indexed, never other files in the data dir', async () => {
    const feishu = await start();
    const token = await tenantToken(feishu.url);
    const taskGuid = (
      await call(feishu.url, 'POST', '/open-apis/task/v2/tasks', { token, json: { summary: 't' } })
    ).json.data.task.guid;
    await call(feishu.url, 'POST', '/open-apis/task/v2/attachments/upload', {
      token,
      form: uploadForm(taskGuid, [{ name: 'a.txt', content: Buffer.from('a') }]),
    });
    const ours = blobFiles();
    const foreign = [
      join(dataDir, 'notes.txt'),
      join(dataDir, 'blobs', randomUUID()),
      join(dataDir, 'blobs', 'x.txt'),
    ];
    for (const file of foreign) writeFileSync(file, 'someone else’s');

    expect((await call(feishu.url, 'POST', '/__mock/reset', { json: {} })).status).toBe(200);

    for (const file of foreign) expect(existsSync(file)).toBe(true);
    for (const blob of ours) expect(existsSync(join(dataDir, 'blobs', blob))).toBe(false);
  });
});
