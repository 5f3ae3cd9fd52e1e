import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createMockFeishu, type MockFeishuFixture } from '../support/mock-feishu.fixture.js';
import { launchChromium, openPage, type InspectorPage } from './support/browser.js';

describe('the inspector page at /__mock/ui/ in Chromium', () => {
  let browser: Browser;
  let feishu: MockFeishuFixture;
  let inspector: InspectorPage;
  let page: Page;

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
    // Countdowns are read off the emulator's clock; frozen, only the page's buttons move it.
    feishu.clock.freeze(true);
    inspector = await openPage(browser);
    page = inspector.page;
  });

  afterEach(async () => {
    await inspector.context.close();
    expect(inspector.errors).toEqual([]);
  });

  async function seedTask(summary = 'Quarterly review') {
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: {
        summary,
        attachments: [
          { name: 'notes.txt', content: 'hello', content_type: 'text/plain' },
          { name: '季度报告.md', content: '# report\n', content_type: 'text/markdown' },
        ],
      },
    });
    expect(seeded.status).toBe(201);
    return seeded.body as { task_guid: string; attachments: { guid: string; name: string }[] };
  }

  async function listAttachments(taskGuid: string) {
    return feishu.call('GET', '/open-apis/task/v2/attachments', {
      token: await feishu.tenantToken(),
      query: { resource_type: 'task', resource_id: taskGuid },
    });
  }

  const open = () => page.goto(`${feishu.url}/__mock/ui/`);
  const task = (summary: string) => page.getByRole('article', { name: `Task ${summary}` });
  const urlRows = () => page.locator('section.urls tbody tr');

  it('shows seeded tasks with their attachments: name, size, uploader and upload time', async () => {
    const seeded = await seedTask();
    await open();

    const card = task('Quarterly review');
    await card.waitFor();
    expect(await card.locator('code').first().textContent()).toBe(seeded.task_guid);
    const rows = card.locator('tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(/^notes\.txt\s+5 B\s+app cli_mock_app\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/),
      expect.stringMatching(/^季度报告\.md\s+9 B\s+app cli_mock_app\s/),
    ]);
    await page.getByText('cli_mock_app', { exact: true }).first().waitFor();
  });

  it("shows a task's status, times, members and subtasks, set only where they are", async () => {
    const alice = await feishu.createUser('Alice');
    const parent = await feishu.call('POST', '/__mock/tasks', {
      json: {
        summary: 'Parent task',
        members: [{ open_id: alice.open_id, role: 'follower' }],
        due: { timestamp: String(Date.UTC(2026, 0, 31, 17, 0, 0)) },
      },
    });
    await feishu.call('POST', '/__mock/tasks', {
      json: {
        summary: 'Child task',
        parent_task_guid: parent.body.task_guid,
        completed_at: String(Date.UTC(2026, 0, 20, 9, 0, 0)),
      },
    });
    await open();

    const parentCard = task('Parent task');
    const childCard = task('Child task');
    await childCard.waitFor();
    expect(await parentCard.locator('.status').textContent()).toBe('todo');
    expect(await parentCard.locator('.meta').first().textContent()).toContain('(t100001)');
    expect(await parentCard.locator('.meta').first().textContent()).toContain('Alice (follower)');
    expect(await parentCard.locator('.facts').textContent()).toBe('due 2026-01-31 17:00:00 UTC · 1 subtask');
    expect(await childCard.locator('.status').textContent()).toBe('done');
    expect(await childCard.locator('.facts').textContent()).toBe(
      `completed 2026-01-20 09:00:00 UTC · subtask of ${parent.body.task_guid}`,
    );
  });

  it('seeds a task with files chosen in the page', async () => {
    await open();
    await page.getByLabel('Summary').fill('From the page');
    await page
      .getByLabel('Files (or drop them here)')
      .setInputFiles([{ name: 'picked.txt', mimeType: 'text/plain', buffer: Buffer.from('picked!') }]);
    await page.getByRole('button', { name: 'Seed task' }).click();

    await task('From the page').getByText('picked.txt').waitFor();
    const { tasks } = (await feishu.call('GET', '/__mock/state')).body;
    expect(tasks).toEqual([
      expect.objectContaining({
        summary: 'From the page',
        attachments: [expect.objectContaining({ name: 'picked.txt', size: 7, content_type: 'text/plain' })],
      }),
    ]);
  });

  it('downloads through a fresh URL, which spends one of its three uses, and the URL list shows it', async () => {
    await seedTask();
    await open();

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download notes.txt' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('notes.txt');
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hello');

    const row = urlRows().filter({ hasText: 'notes.txt' });
    await row.filter({ hasText: '2 of 3' }).waitFor();
    expect(await row.getAttribute('data-status')).toBe('live');
    expect(await row.locator('.left').textContent()).toBe('3:00');
    const { items } = (await feishu.call('GET', '/__mock/download-urls')).body;
    expect(items).toEqual([expect.objectContaining({ uses_left: 2, expired: false })]);
  });

  it('counts URLs down on the emulator clock and marks them expired after "+3 min"', async () => {
    const seeded = await seedTask();
    expect((await listAttachments(seeded.task_guid)).body.code).toBe(0);
    await open();

    await urlRows().nth(1).waitFor();
    expect(await urlRows().locator('.left').allTextContents()).toEqual(['3:00', '3:00']);

    await page.getByRole('button', { name: '+1 min' }).click();
    await page.locator('section.urls .left', { hasText: '2:00' }).nth(1).waitFor();
    expect(await urlRows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')))).toEqual(
      ['live', 'live'],
    );

    await page.getByRole('button', { name: '+3 min' }).click();
    await page.locator('section.urls tr[data-status="expired"]').nth(1).waitFor();
    expect(await urlRows().locator('.badge').allTextContents()).toEqual(['expired', 'expired']);
    expect(await urlRows().locator('.left').allTextContents()).toEqual(['0:00', '0:00']);
    expect((await feishu.call('GET', '/__mock/download-urls')).body.items).toEqual([
      expect.objectContaining({ expired: true }),
      expect.objectContaining({ expired: true }),
    ]);
  });

  it('arms a fault from the page: the next API call fails with it, and the journal shows that call expanded', async () => {
    const seeded = await seedTask();
    const token = await feishu.tenantToken();
    await open();

    const form = page.getByRole('form', { name: 'Add a fault' });
    await form.getByLabel('Operation').selectOption('attachment.list');
    await form.getByLabel('error').check();
    await form.getByLabel('HTTP status').fill('503');
    await form.getByLabel('Feishu code').fill('1470500');
    await form.getByLabel('Message').fill('injected from the inspector');
    await form.getByRole('button', { name: 'Add fault' }).click();
    await page
      .locator('section.faults li', { hasText: 'attachment.list: answer 503 / code 1470500' })
      .waitFor();

    const failed = await feishu.call('GET', '/open-apis/task/v2/attachments', {
      token,
      query: { resource_type: 'task', resource_id: seeded.task_guid },
    });
    expect({ status: failed.status, code: failed.body.code, msg: failed.body.msg }).toEqual({
      status: 503,
      code: 1470500,
      msg: 'injected from the inspector',
    });
    await page.getByText('No faults armed.').waitFor();

    const journal = page.locator('section.journal');
    await journal.getByLabel('Operation').selectOption('attachment.list');
    await journal.getByLabel('Status').selectOption('5xx');
    const entry = journal.locator('li[data-entry]');
    await entry.filter({ hasText: '503' }).waitFor();
    expect(await entry.count()).toBe(1);
    await entry.locator('summary').click();

    const detail = entry.locator('.entry-detail');
    await detail.waitFor();
    const text = await detail.innerText();
    expect(text).toContain(`/open-apis/task/v2/attachments`);
    expect(text).toContain(`"resource_id":"${seeded.task_guid}"`);
    expect(text).toMatch(/Feishu code\s+1470500/);
    expect(text).toContain(failed.headers.get('x-tt-logid'));
    expect(text).toMatch(/Request headers[\s\S]*authorization\s+Bearer \*\*\*/);
    expect(text).toMatch(/Response headers[\s\S]*content-type\s+application\/json/);
    expect(text).toContain('"msg": "injected from the inspector"');
    expect(text).not.toContain(token);
  });

  it('is usable from the keyboard: Tab reaches the clock buttons and Enter opens a journal entry', async () => {
    const seeded = await seedTask();
    await listAttachments(seeded.task_guid);
    await open();
    await page.locator('section.journal li[data-entry]').first().waitFor();

    let focused = '';
    for (let presses = 0; presses < 10 && focused !== '+1 min'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    expect(focused).toBe('+1 min');
    const before = feishu.clock.now();
    await page.keyboard.press('Enter');
    await page.getByText('Clock +1 min').waitFor();
    expect(feishu.clock.now() - before).toBe(60_000);

    await page.locator('section.journal summary').first().focus();
    await page.keyboard.press('Enter');
    await page.locator('section.journal .entry-detail').first().waitFor();
  });

  it('fits a narrow window without sideways scrolling', async () => {
    await seedTask();
    const narrow = await openPage(browser, { width: 400, height: 800 });
    try {
      await narrow.page.goto(`${feishu.url}/__mock/ui/`);
      await narrow.page.getByRole('article', { name: 'Task Quarterly review' }).waitFor();
      const overflow = await narrow.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
    } finally {
      await narrow.context.close();
      expect(narrow.errors).toEqual([]);
    }
  });
});

describe('the README screenshot', () => {
  // Written into docs/ only on request, so a test run leaves the work tree as it was.
  const target = process.env.UPDATE_SCREENSHOTS
    ? join(__dirname, '..', '..', '..', '..', 'docs', 'images', 'inspector.png')
    : join(tmpdir(), `mock-feishu-inspector-${process.pid}.png`);
  let browser: Browser;
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    browser = await launchChromium();
    feishu = await createMockFeishu();
  });

  afterAll(async () => {
    await feishu?.close();
    await browser?.close();
  });

  it('shows the demo task, its files, their URLs counting down, an armed fault and an expanded journal entry', async () => {
    feishu.clock.freeze(true);
    feishu.clock.set(Date.UTC(2026, 0, 15, 9, 30, 0));
    const alice = await feishu.createUser('Alice');
    const demo = await feishu.call('POST', '/__mock/tasks', {
      json: {
        summary: 'Demo task',
        members: [{ open_id: alice.open_id, role: 'assignee' }],
        attachments: [
          { name: 'hello.txt', content: 'Hello from the Feishu emulator!\n', content_type: 'text/plain' },
          // A Latin name: Debian's Chromium draws CJK only with fonts-noto-cjk installed.
          { name: 'quarterly-report.md', content: '# Quarterly report\n', content_type: 'text/markdown' },
        ],
      },
    });
    const token = await feishu.tenantToken();
    const query = { resource_type: 'task', resource_id: demo.body.task_guid };
    await feishu.call('GET', '/open-apis/task/v2/attachments', { token, query });

    const { context, page, errors } = await openPage(browser, { width: 1280, height: 900 });
    try {
      await page.goto(`${feishu.url}/__mock/ui/`);
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download hello.txt' }).click();
      await downloading;
      await page.getByRole('button', { name: '+1 min' }).click();
      await page.locator('section.urls tr', { hasText: '2 of 3' }).waitFor();

      const form = page.getByRole('form', { name: 'Add a fault' });
      await form.getByLabel('Operation').selectOption('attachment.get');
      await form.getByLabel('HTTP status').fill('500');
      await form.getByRole('button', { name: 'Add fault' }).click();
      await page.locator('section.faults li', { hasText: 'attachment.get' }).waitFor();
      const guid = demo.body.attachments[0].guid;
      await feishu.call('GET', `/open-apis/task/v2/attachments/${guid}`, { token });
      await feishu.call('POST', '/__mock/faults', {
        json: { operation: 'attachment.upload', times: 2, error: { status: 429, code: 99991400 } },
      });

      const failed = page.locator('section.journal li[data-entry]', { hasText: 'attachment.get' });
      await failed.locator('summary').click();
      await failed.locator('.entry-detail').waitFor();
      await page.locator('section.faults li', { hasText: 'attachment.upload' }).waitFor();

      await mkdir(dirname(target), { recursive: true });
      const png = await page.screenshot({ fullPage: true });
      await writeFile(target, png);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(1280);
    } finally {
      await context.close();
    }
    expect(errors).toEqual([]);
  });
});

describe('the inspector page with a control token', () => {
  let browser: Browser;
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    browser = await launchChromium();
    feishu = await createMockFeishu({ controlToken: 'ct-browser-7d2c' });
  });

  afterAll(async () => {
    await feishu?.close();
    await browser?.close();
  });

  it('is refused without the token, and opens with ?token= (then without it in the address)', async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      const refused = await page.goto(`${feishu.url}/__mock/ui/`);
      expect(refused?.status()).toBe(401);
      await page.getByRole('heading', { name: 'Control token needed' }).waitFor();
      expect(await page.locator('body').innerText()).not.toContain('Emulator time');

      const opened = await page.goto(`${feishu.url}/__mock/ui/?token=ct-browser-7d2c`);
      expect(opened?.status()).toBe(200);
      expect(page.url()).toBe(`${feishu.url}/__mock/ui/`);
      await page.getByText('Emulator time').waitFor();
      await page.getByText('cli_mock_app', { exact: true }).first().waitFor();
    } finally {
      await context.close();
    }
    // Chromium reports the refused document itself on the console; nothing else may appear.
    expect(errors).toEqual([
      `console: Failed to load resource: the server responded with a status of 401 (Unauthorized) (${feishu.url}/__mock/ui/)`,
    ]);
  });
});
