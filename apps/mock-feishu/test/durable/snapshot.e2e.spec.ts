import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createMockFeishu, type MockFeishuFixture } from '../support/mock-feishu.fixture.js';

// Export → import: a state with users, tasks, attachments and URLs comes back whole, so a team
// can check a fixture state into its repository and start emulators from it.
describe('snapshots', () => {
  let work: string;
  const running: MockFeishuFixture[] = [];

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'mock-feishu-snapshot-'));
  });

  afterEach(async () => {
    for (const feishu of running.splice(0)) await feishu.close();
    rmSync(work, { recursive: true, force: true });
  });

  const start = async (options: Parameters<typeof createMockFeishu>[0]) => {
    const feishu = await createMockFeishu({ rateLimits: false, ...options });
    running.push(feishu);
    return feishu;
  };

  it('round-trips users, tokens, tasks, attachments with their bytes, URLs with uses left, and the clock', async () => {
    const source = await start({ dataDir: join(work, 'source') });
    source.clock.freeze(true);
    const user = await source.createUser('Ada');
    const userToken = await source.userToken(user.open_id);
    const token = await source.tenantToken();
    const taskGuid = await source.createTask(token, {
      summary: 'fixture',
      members: [{ id: user.open_id, type: 'user', role: 'follower' }],
    });
    const bytes = randomBytes(256 * 1024);
    expect((await source.upload(token, taskGuid, [{ name: 'data.bin', content: bytes }])).body.code).toBe(0);
    const listed = await source.call('GET', '/open-apis/task/v2/attachments', {
      token,
      query: { resource_type: 'task', resource_id: taskGuid },
    });
    const url = listed.body.data.items[0].url as string;
    expect((await fetch(url)).status).toBe(200);

    const snapshot = await source.call('GET', '/__mock/snapshot');
    expect(snapshot.status).toBe(200);
    expect(snapshot.headers.get('content-type')).toBe('application/vnd.sqlite3');
    expect(snapshot.headers.get('x-mock-feishu-attachments')).toBe('1');
    const file = join(work, 'fixture.sqlite');
    writeFileSync(file, Buffer.from(await (await fetch(`${source.url}/__mock/snapshot`)).arrayBuffer()));
    const now = source.clock.now();
    await source.close();
    running.splice(0);

    // No data dir: the snapshot goes into a temporary one.
    const copy = await start({ importFile: file });
    expect(copy.store).toMatchObject({ kind: 'sqlite', fresh: false });
    expect(copy.clock.now()).toBe(now);
    const task = await copy.call('GET', `/open-apis/task/v2/tasks/${taskGuid}`, { token: userToken });
    expect(task.body.data.task.summary).toBe('fixture');
    const code = new URL(url).searchParams.get('code');
    const urls = (await copy.call('GET', '/__mock/download-urls')).body.items;
    expect(urls).toEqual([
      expect.objectContaining({ url: `${copy.publicUrl}/download/authcode/?code=${code}`, uses_left: 2 }),
    ]);
    const download = await fetch(`${copy.publicUrl}/download/authcode/?code=${code}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    // The same tenant token, and the task numbering carries on.
    const next = await copy.call('POST', '/open-apis/task/v2/tasks', { token, json: { summary: 'next' } });
    expect(next.body.data.task.task_id).toBe('t100002');
  });

  it('refuses to import into a data dir that already holds state', async () => {
    const source = await start({ dataDir: join(work, 'source') });
    await source.createTask(await source.tenantToken());
    const file = join(work, 'fixture.sqlite');
    await source.exportSnapshot(file);
    await source.close();
    running.splice(0);

    await expect(createMockFeishu({ dataDir: join(work, 'source'), importFile: file })).rejects.toThrow(
      /already holds state; import a snapshot into an empty \(or new\) data dir/,
    );
  });

  it('refuses a file that is not a snapshot, saying so', async () => {
    const file = join(work, 'not-a-snapshot.sqlite');
    writeFileSync(file, 'plain text');
    await expect(createMockFeishu({ importFile: file })).rejects.toThrow(/snapshot/);
  });

  it('answers 400 for an export from an emulator without a data dir', async () => {
    const feishu = await start({});
    const result = await feishu.call('GET', '/__mock/snapshot');
    expect(result.status).toBe(400);
    expect(result.body.msg).toContain('--data-dir');
  });
});
