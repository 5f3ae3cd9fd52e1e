import type { Browser, Page } from 'playwright-core';
import { createMockFeishu, type MockFeishuFixture } from '../support/mock-feishu.fixture.js';
import { launchChromium, openPage, type InspectorPage } from './support/browser.js';

interface CreatedSandbox {
  id: string;
  control_url: string;
}

describe("the inspector page's sandbox picker in Chromium", () => {
  let browser: Browser;
  let feishu: MockFeishuFixture;
  let inspector: InspectorPage;
  let page: Page;
  const made: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    feishu = await createMockFeishu({ rateLimits: false });
  });

  afterAll(async () => {
    await feishu?.close();
    await browser?.close();
  });

  beforeEach(async () => {
    await feishu.reset();
    inspector = await openPage(browser);
    page = inspector.page;
  });

  afterEach(async () => {
    await inspector.context.close();
    for (const id of made.splice(0)) await feishu.call('DELETE', `/__mock/sandboxes/${id}`);
    expect(inspector.errors).toEqual([]);
  });

  async function createSandbox(name: string): Promise<CreatedSandbox> {
    const created = await feishu.call('POST', '/__mock/sandboxes', { json: { name } });
    expect(created.status).toBe(201);
    made.push(created.body.id);
    return created.body as CreatedSandbox;
  }

  /** Seeds through a control base: `/__mock` for the default sandbox, `/__mock/sandboxes/<id>` for another. */
  async function seedTask(base: string, summary: string) {
    const seeded = await feishu.call('POST', `${base}/tasks`, {
      json: {
        summary,
        attachments: [{ name: `${summary}.txt`, content: summary, content_type: 'text/plain' }],
      },
    });
    expect(seeded.status).toBe(201);
  }

  const task = (summary: string) => page.getByRole('article', { name: `Task ${summary}` });
  const picker = () => page.getByLabel('Sandbox', { exact: true });

  it("lists the sandboxes, default first, and shows the picked one's tasks only, across a reload", async () => {
    const sandbox = await createSandbox('checkout tests');
    await seedTask(`/__mock/sandboxes/${sandbox.id}`, 'Sandboxed task');
    await seedTask('/__mock', 'Default task');

    await page.goto(`${feishu.url}/__mock/ui/`);
    await task('Default task').waitFor();
    expect(await picker().inputValue()).toBe('default');
    expect(await picker().locator('option').allTextContents()).toEqual([
      'default',
      `${sandbox.id} · checkout tests`,
    ]);
    expect(await task('Sandboxed task').count()).toBe(0);

    await picker().selectOption(sandbox.id);
    await task('Sandboxed task').getByText('Sandboxed task.txt').waitFor();
    expect(await task('Default task').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe(`#sandbox=${sandbox.id}`);

    // The page's actions go to the picked sandbox too: its clock moves, the default one's does not.
    const sandboxClock = async () =>
      (await feishu.call('GET', `/__mock/sandboxes/${sandbox.id}/clock`)).body.now as number;
    await feishu.call('POST', `/__mock/sandboxes/${sandbox.id}/clock`, { json: { freeze: true } });
    feishu.clock.freeze(true);
    const [before, defaultBefore] = [await sandboxClock(), feishu.clock.now()];
    await page.getByRole('button', { name: '+1 min' }).click();
    await page.getByText('Clock +1 min').waitFor();
    expect(await sandboxClock()).toBe(before + 60_000);
    expect(feishu.clock.now()).toBe(defaultBefore);

    await page.reload();
    await task('Sandboxed task').waitFor();
    expect(await picker().inputValue()).toBe(sandbox.id);
    expect(await task('Default task').count()).toBe(0);

    await picker().selectOption('default');
    await task('Default task').waitFor();
    expect(await task('Sandboxed task').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('');
  });

  it('falls back to the default sandbox, saying so, when the picked one is deleted', async () => {
    const sandbox = await createSandbox('short-lived');
    await seedTask(`/__mock/sandboxes/${sandbox.id}`, 'Doomed task');
    await seedTask('/__mock', 'Default task');

    await page.goto(`${feishu.url}/__mock/ui/#sandbox=${sandbox.id}`);
    await task('Doomed task').waitFor();
    expect(await picker().inputValue()).toBe(sandbox.id);

    expect((await feishu.call('DELETE', `/__mock/sandboxes/${sandbox.id}`)).status).toBe(200);
    await page
      .getByText(`Sandbox ${sandbox.id} does not exist (any more): showing the default sandbox.`)
      .waitFor();
    await task('Default task').waitFor();
    expect(await picker().inputValue()).toBe('default');
    expect(await picker().locator('option').allTextContents()).toEqual(['default']);
    expect(await task('Doomed task').count()).toBe(0);
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

describe('the sandbox picker with a control token', () => {
  const token = 'ct-sandbox-picker-4e1a';
  let browser: Browser;
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    browser = await launchChromium();
    feishu = await createMockFeishu({ controlToken: token });
  });

  afterAll(async () => {
    await feishu?.close();
    await browser?.close();
  });

  it('opens on the sandbox in the address through ?token=, whose cookie reaches the control base', async () => {
    const authorization = { headers: { authorization: `Bearer ${token}` } };
    const created = await feishu.call('POST', '/__mock/sandboxes', { ...authorization, json: {} });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const seeded = await feishu.call('POST', `/__mock/sandboxes/${id}/tasks`, {
      ...authorization,
      json: { summary: 'Behind the token' },
    });
    expect(seeded.status).toBe(201);

    const { context, page, errors } = await openPage(browser);
    try {
      const opened = await page.goto(`${feishu.url}/__mock/ui/?token=${token}#sandbox=${id}`);
      expect(opened?.status()).toBe(200);
      expect(page.url()).toBe(`${feishu.url}/__mock/ui/#sandbox=${id}`);
      await page.getByRole('article', { name: 'Task Behind the token' }).waitFor();
      expect(await page.getByLabel('Sandbox', { exact: true }).inputValue()).toBe(id);
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  });
});
