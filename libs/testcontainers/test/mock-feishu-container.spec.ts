import { createFeishuClient } from '@feishu-attachments/api-client';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { MockFeishuContainer, MockFeishuControlError, type StartedMockFeishuContainer } from '../src/index';
import { RUN_LABEL_KEY, containerTarget, skipNote } from './support/container-engine';
import { sdkAttachmentFlow, sdkClient } from './support/emulator-calls';

const ROOT = resolve(__dirname, '../../..');
const THIS_SPEC = relative(ROOT, __filename);
/** The documents whose Node examples this spec runs as written (those marked `run-by` it). */
const EXAMPLE_DOCUMENTS = ['README.md', 'docs/container.md', 'libs/testcontainers/README.md'];
/** The image name the examples use, swapped for the image under test. */
const EXAMPLE_IMAGE = 'localhost/mock-feishu:latest';

const target = containerTarget();
const describeWithEngine = target ? describe : describe.skip;

/** The fenced blocks marked `<!-- run-by: <this spec> -->` in `document`, each with the file name its first line gives. */
function examplesIn(document: string): { name: string; code: string }[] {
  const text = readFileSync(join(ROOT, document), 'utf8');
  const marked = new RegExp(
    `<!-- run-by: ${THIS_SPEC.replace(/[.]/g, '\\.')} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``,
    'g',
  );
  return [...text.matchAll(marked)].map(([, code]) => {
    const name = /^\/\/ (\S+)/.exec(code)?.[1];
    if (!name)
      throw new Error(`${document}: an example marked run-by ${THIS_SPEC} names no file on its first line`);
    return { name, code };
  });
}

/** The module as a user's test file starts it (the Node snippet of docs/container.md), through Testcontainers. */
describeWithEngine(`MockFeishuContainer${skipNote()}`, () => {
  let feishu: StartedMockFeishuContainer;

  beforeAll(async () => {
    feishu = await new MockFeishuContainer(target!.image)
      .withLabels({ [RUN_LABEL_KEY]: target!.runLabel })
      .start();
  });

  afterAll(async () => {
    await feishu?.stop();
  });

  beforeEach(async () => {
    await feishu.reset();
  });

  it('waits until it answers, and gives its base URL, public URL, app and control token', async () => {
    expect(feishu.getBaseUrl()).toMatch(/^http:\/\/[^/]+:\d+$/);
    expect(feishu.getPublicUrl()).toBe(feishu.getBaseUrl());
    expect(feishu.getAppCredentials()).toEqual({ appId: 'cli_mock_app', appSecret: 'mock_app_secret' });
    expect(feishu.getControlToken()).toMatch(/^[\w-]{40,}$/);
    const health = await fetch(`${feishu.getBaseUrl()}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${feishu.getBaseUrl()}/__mock/state`)).status).toBe(401);
  });

  it("works with the workspace's client: upload, list and download", async () => {
    const client = createFeishuClient({ baseUrl: feishu.getBaseUrl(), auth: feishu.getAppCredentials() });

    const task = await client.tasks.create({ summary: 'through Testcontainers' });
    const [uploaded] = await client.attachments.upload(task.guid, [
      { name: 'notes.txt', data: 'hello from a container', contentType: 'text/plain' },
    ]);
    const page = await client.attachments.listPage({ taskGuid: task.guid });
    const { body } = await client.attachments.download(uploaded.guid);

    expect(page.items.map((item) => item.name)).toEqual(['notes.txt']);
    expect(await new Response(body).text()).toBe('hello from a container');
  });

  it('works with the official SDK, download URLs on the public URL', async () => {
    const content = Buffer.from('sdk bytes');

    const flow = await sdkAttachmentFlow(sdkClient(feishu.getBaseUrl(), feishu.getAppCredentials()), {
      name: 'sdk.bin',
      content,
    });

    expect(flow.url.startsWith(`${feishu.getPublicUrl()}/`)).toBe(true);
    expect(flow.downloaded.equals(content)).toBe(true);
  });

  it('seeds tasks and users, and moves the clock: a download URL expires after 3 minutes', async () => {
    const user = await feishu.seed.user({ name: 'Ada' });
    const seeded = await feishu.seed.task({
      summary: 'Seeded',
      members: [{ open_id: user.open_id, role: 'assignee' }],
      attachments: [{ name: 'seeded.txt', content: 'seeded bytes' }],
    });
    const client = sdkClient(feishu.getBaseUrl());
    const got = await client.task.v2.attachment.get({
      path: { attachment_guid: seeded.attachments[0].guid },
    });
    const url = got.data?.attachment?.url as string;

    await feishu.clock.freeze();
    const before = await feishu.clock.now();
    const moved = await feishu.clock.advance(3 * 60 * 1000 + 1);

    expect(user.open_id).toMatch(/^ou_/);
    expect(moved).toEqual({ now: before + 3 * 60 * 1000 + 1, frozen: true });
    expect((await fetch(url)).status).toBe(403);
  });

  it('injects faults, lists and clears them, and reads the journal', async () => {
    const rule = await feishu.faults.add({
      operation: 'task.create',
      times: 1,
      error: { status: 500, code: 1470500, msg: 'injected' },
    });
    expect(await feishu.faults.list()).toEqual([expect.objectContaining({ id: rule.id, remaining: 1 })]);
    const client = sdkClient(feishu.getBaseUrl());

    const failed = await client.task.v2.task.create({ data: { summary: 'fails' } }).then(
      () => undefined,
      (error: { response?: { status: number; data: { code: number } } }) => error.response,
    );
    const succeeded = await client.task.v2.task.create({ data: { summary: 'works' } });
    await feishu.faults.add({
      operation: 'attachment.list',
      times: 5,
      error: { status: 503, code: 1470500 },
    });
    await feishu.faults.clear();

    expect(failed).toMatchObject({ status: 500, data: { code: 1470500 } });
    expect(succeeded.code).toBe(0);
    expect(await feishu.faults.list()).toEqual([]);
    const calls = await feishu.control.requests({ operation: 'task.create' });
    expect(calls.map((call) => call.status)).toEqual([500, 200]);
  });

  it.each(EXAMPLE_DOCUMENTS)(
    'runs the Node example of %s as written, under node --test',
    async (document) => {
      const examples = examplesIn(document);
      expect(examples).toHaveLength(1);
      // In the workspace's tmp/, so that the example finds the packages as an installed project would.
      const dir = join(
        ROOT,
        'tmp',
        `testcontainers-readme-${target!.runLabel}-${EXAMPLE_DOCUMENTS.indexOf(document)}`,
      );
      mkdirSync(dir, { recursive: true });
      try {
        for (const { name, code } of examples) {
          expect(code).toContain(EXAMPLE_IMAGE);
          writeFileSync(join(dir, name), code.replaceAll(EXAMPLE_IMAGE, target!.image));
          const { stdout } = await promisify(execFile)(process.execPath, ['--test', join(dir, name)], {
            cwd: dir,
            env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' },
          }).catch((error: { message: string; stdout?: string; stderr?: string }) => {
            throw new Error(`${error.message}\n--- stdout\n${error.stdout}\n--- stderr\n${error.stderr}`);
          });
          expect(stdout).toMatch(/# pass [1-9]/);
          expect(stdout).toMatch(/# fail 0/);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('resets to the seeded state, and reports a refused control call with its status', async () => {
    await feishu.seed.task({ summary: 'gone after reset' });
    await feishu.reset();
    const state = (await feishu.control.state()) as { tasks: unknown[] };
    const refused = await feishu.seed.user({ name: '' }).catch((error: unknown) => error);

    expect(state.tasks).toEqual([]);
    expect(refused).toBeInstanceOf(MockFeishuControlError);
    expect(refused).toMatchObject({ status: 400, body: { code: 1470400 } });
  });

  it('gives parallel tests sandboxes of their own in one container: own app, clock, faults and state', async () => {
    const [mine, other] = await Promise.all([
      feishu.control.createSandbox({ name: 'mine' }),
      feishu.control.createSandbox({ name: 'other' }),
    ]);
    try {
      await other.control.clock.freeze(true);
      await other.control.faults.add({
        operation: 'task.create',
        times: 5,
        error: { status: 500, code: 1470500 },
      });
      const client = createFeishuClient({ baseUrl: feishu.getBaseUrl(), auth: mine.app });
      const task = await client.tasks.create({ summary: 'in my sandbox' });

      expect(
        ((await mine.control.state()) as { tasks: { guid: string }[] }).tasks.map((t) => t.guid),
      ).toEqual([task.guid]);
      expect(((await other.control.state()) as { tasks: unknown[] }).tasks).toEqual([]);
      expect(((await feishu.control.state()) as { tasks: unknown[] }).tasks).toEqual([]);
      expect((await other.control.faults.list()).map((rule) => rule.remaining)).toEqual([5]);
      expect((await other.control.clock.get()).frozen).toBe(true);
      expect((await feishu.clock.get()).frozen).toBe(false);
    } finally {
      await Promise.all([mine.delete(), other.delete()]);
    }
    await expect(mine.control.state()).rejects.toMatchObject({ status: 404 });
  });
});
