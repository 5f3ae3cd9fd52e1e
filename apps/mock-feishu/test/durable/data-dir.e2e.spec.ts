import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockFeishu, type MockFeishuFixture } from '../support/mock-feishu.fixture.js';

// A data dir across an in-process close and start (the crash cases run in durability.e2e.spec.ts).
describe('an emulator restarted on its data dir', () => {
  let dataDir: string;
  const running: MockFeishuFixture[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mock-feishu-data-dir-'));
  });

  afterEach(async () => {
    for (const feishu of running.splice(0)) await feishu.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (options: Parameters<typeof createMockFeishu>[0] = {}) => {
    const feishu = await createMockFeishu({ dataDir, rateLimits: false, ...options });
    running.push(feishu);
    return feishu;
  };
  const stop = async (feishu: MockFeishuFixture) => {
    running.splice(running.indexOf(feishu), 1);
    await feishu.close();
  };

  it('continues a list with a page token issued before the restart', async () => {
    let feishu = await start();
    const token = await feishu.tenantToken();
    const taskGuid = await feishu.createTask(token);
    for (const name of ['a', 'b', 'c']) await feishu.upload(token, taskGuid, [{ name, content: name }]);
    const query = { resource_type: 'task', resource_id: taskGuid, page_size: 2 };
    const first = await feishu.call('GET', '/open-apis/task/v2/attachments', { token, query });
    await stop(feishu);

    feishu = await start();
    const second = await feishu.call('GET', '/open-apis/task/v2/attachments', {
      token,
      query: { ...query, page_token: first.body.data.page_token },
    });
    expect(second.body.data.items.map((item: { name: string }) => item.name)).toEqual(['c']);
  });

  it('applies the seed option to an empty store only, not again on every start', async () => {
    const seed = async (seeder: MockFeishuFixture['seeder']) => {
      await seeder.createTask({ summary: 'seeded once' });
    };
    let feishu = await start({ seed });
    expect(feishu.store).toMatchObject({ kind: 'sqlite', fresh: true, dataDir });
    expect(await feishu.seeder.counts()).toEqual({ tasks: 1, attachments: 0 });
    await stop(feishu);

    feishu = await start({ seed });
    expect(feishu.store.fresh).toBe(false);
    expect(await feishu.seeder.counts()).toEqual({ tasks: 1, attachments: 0 });
    // A reset returns to the seeded state, counters included.
    await feishu.createTask(await feishu.tenantToken(), { summary: 'more' });
    await feishu.reset();
    expect(await feishu.seeder.counts()).toEqual({ tasks: 1, attachments: 0 });
    const next = await feishu.call('POST', '/open-apis/task/v2/tasks', {
      token: await feishu.tenantToken(),
      json: { summary: 'after reset' },
    });
    expect(next.body.data.task.task_id).toBe('t100002');
  });

  it('refuses a second emulator in the same process on the same data dir', async () => {
    await start();
    await expect(createMockFeishu({ dataDir })).rejects.toThrow(/is in use by another mock-feishu \(pid \d+/);
  });
});
