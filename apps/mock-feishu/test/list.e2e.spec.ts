import {
  FeishuErrorCode,
  FeishuPath,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  PAGE_SIZE_MIN,
} from '@feishu-attachments/api-client/wire';
import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

interface ListedAttachment {
  guid: string;
  name: string;
  url: string;
}

function expectInvalidParam(result: HttpResult, field: string): void {
  expect(result.status).toBe(400);
  expect(result.body.code).toBe(FeishuErrorCode.InvalidParam);
  expect(result.body.msg).toContain(`'${field}'`);
}

describe('GET /open-apis/task/v2/attachments', () => {
  let feishu: MockFeishuFixture;
  let token: string;
  let taskGuid: string;

  const list = (query: Record<string, string | number | undefined>) =>
    feishu.call('GET', FeishuPath.Attachments, { token, query });

  /** Seeds `count` attachments straight into the emulator and returns their guids in upload order. */
  const seedAttachments = async (resourceId: string, count: number, prefix = 'seeded'): Promise<string[]> => {
    const guids: string[] = [];
    for (let index = 0; index < count; index++) {
      const record = await feishu.seeder.addAttachment(resourceId, {
        name: `${prefix}-${index}.txt`,
        content: `#${index}`,
      });
      guids.push(record.guid);
    }
    return guids;
  };

  /** Follows page_token to the end, returning every page as it came. */
  const listAllPages = async (resourceId: string, pageSize: number) => {
    const pages: { items: ListedAttachment[]; has_more: boolean; page_token?: string }[] = [];
    let pageToken: string | undefined;
    do {
      const result = await list({ resource_id: resourceId, page_size: pageSize, page_token: pageToken });
      expect(result.status).toBe(200);
      pages.push(result.body.data);
      pageToken = result.body.data.page_token;
    } while (pages[pages.length - 1].has_more && pages.length < 100);
    return pages;
  };

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });

  afterAll(async () => {
    await feishu?.close();
  });

  beforeEach(async () => {
    await feishu.reset();
    token = await feishu.tenantToken();
    taskGuid = await feishu.createTask(token);
  });

  it('refuses a request without resource_id with 400/1470400 naming resource_id', async () => {
    const result = await list({});

    expectInvalidParam(result, 'resource_id');
  });

  it.each([['0'], [String(PAGE_SIZE_MAX + 1)], ['-1'], ['abc']])(
    'refuses page_size %p with 400/1470400 naming page_size',
    async (pageSize) => {
      const result = await list({ resource_id: taskGuid, page_size: pageSize });

      expectInvalidParam(result, 'page_size');
    },
  );

  it('accepts the smallest and largest page_size and returns that many items', async () => {
    await seedAttachments(taskGuid, PAGE_SIZE_MAX + 1);

    const smallest = await list({ resource_id: taskGuid, page_size: PAGE_SIZE_MIN });
    const largest = await list({ resource_id: taskGuid, page_size: PAGE_SIZE_MAX });

    expect(smallest.status).toBe(200);
    expect(smallest.body.data.items).toHaveLength(PAGE_SIZE_MIN);
    expect(smallest.body.data.has_more).toBe(true);
    expect(largest.status).toBe(200);
    expect(largest.body.data.items).toHaveLength(PAGE_SIZE_MAX);
    expect(largest.body.data.has_more).toBe(true);
  });

  it('pages by 50 when page_size is not given', async () => {
    await seedAttachments(taskGuid, PAGE_SIZE_DEFAULT + 10);

    const result = await list({ resource_id: taskGuid });

    expect(result.status).toBe(200);
    expect(result.body.data.items).toHaveLength(PAGE_SIZE_DEFAULT);
    expect(result.body.data.has_more).toBe(true);
    expect(typeof result.body.data.page_token).toBe('string');
  });

  it('answers an empty first page for a task without attachments', async () => {
    const result = await list({ resource_id: taskGuid });

    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ code: 0, data: { items: [], has_more: false } });
    expect(result.body.data).not.toHaveProperty('page_token');
  });

  it('walks 120 attachments in pages of 50, 50 and 20 in upload order, each exactly once', async () => {
    const seeded = await seedAttachments(taskGuid, 120);

    const pages = await listAllPages(taskGuid, 50);

    expect(pages.map((page) => page.items.length)).toEqual([50, 50, 20]);
    expect(pages.map((page) => page.has_more)).toEqual([true, true, false]);
    expect(typeof pages[0].page_token).toBe('string');
    expect(typeof pages[1].page_token).toBe('string');
    expect(pages[2]).not.toHaveProperty('page_token');
    expect(pages.flatMap((page) => page.items.map((item) => item.guid))).toEqual(seeded);
  });

  it('continues after uploads made between pages without skipping or repeating, new ones last', async () => {
    const seeded = await seedAttachments(taskGuid, 60);

    const first = await list({ resource_id: taskGuid, page_size: 50 });
    const form = new FormData();
    form.append('resource_id', taskGuid);
    for (const name of ['late-1.txt', 'late-2.txt', 'late-3.txt'])
      form.append('file', new Blob([name]), name);
    const uploaded = await feishu.call('POST', FeishuPath.AttachmentUpload, { token, form });
    const second = await list({
      resource_id: taskGuid,
      page_size: 50,
      page_token: first.body.data.page_token,
    });

    expect(uploaded.status).toBe(200);
    const late = uploaded.body.data.items.map((item: { guid: string }) => item.guid);
    expect(second.status).toBe(200);
    expect(second.body.data.has_more).toBe(false);
    const seen = [...first.body.data.items, ...second.body.data.items].map(
      (item: ListedAttachment) => item.guid,
    );
    expect(seen).toEqual([...seeded, ...late]);
  });

  describe('refuses a page_token the emulator did not issue for this task with 400/1470400 naming page_token', () => {
    let issuedToken: string;

    beforeEach(async () => {
      await seedAttachments(taskGuid, 3);
      issuedToken = (await list({ resource_id: taskGuid, page_size: 1 })).body.data.page_token;
    });

    it('a random string', async () => {
      expectInvalidParam(
        await list({ resource_id: taskGuid, page_token: 'aWQ9NzEwMjMzMjMxMDE=' }),
        'page_token',
      );
    });

    it('an issued token whose cursor was rewritten', async () => {
      const [payload, signature] = issuedToken.split('.');
      const cursor = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const rewritten = Buffer.from(JSON.stringify({ ...cursor, s: 0 })).toString('base64url');
      expect(rewritten).not.toBe(payload);

      expectInvalidParam(
        await list({ resource_id: taskGuid, page_token: `${rewritten}.${signature}` }),
        'page_token',
      );
    });

    it('an issued token with one character of its signature changed', async () => {
      const last = issuedToken.at(-1);
      const tampered = `${issuedToken.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;

      expectInvalidParam(await list({ resource_id: taskGuid, page_token: tampered }), 'page_token');
    });

    it("another task's token", async () => {
      const otherTask = await feishu.createTask(token);
      await seedAttachments(otherTask, 2, 'other');
      const otherToken = (await list({ resource_id: otherTask, page_size: 1 })).body.data.page_token;
      expect(typeof otherToken).toBe('string');

      expectInvalidParam(await list({ resource_id: taskGuid, page_token: otherToken }), 'page_token');
    });
  });

  it('treats an empty page_token as the first page', async () => {
    await seedAttachments(taskGuid, 5);

    const withoutToken = await list({ resource_id: taskGuid, page_size: 2 });
    const withEmptyToken = await list({ resource_id: taskGuid, page_size: 2, page_token: '' });

    expect(withEmptyToken.status).toBe(200);
    expect(withEmptyToken.body.data.items.map((item: ListedAttachment) => item.guid)).toEqual(
      withoutToken.body.data.items.map((item: ListedAttachment) => item.guid),
    );
    expect(withEmptyToken.body.data.has_more).toBe(true);
  });

  it('gives every item a download url, minted afresh on every call', async () => {
    await seedAttachments(taskGuid, 3);

    const first = await list({ resource_id: taskGuid });
    const second = await list({ resource_id: taskGuid });

    const firstUrls = first.body.data.items.map((item: ListedAttachment) => item.url);
    const secondUrls = second.body.data.items.map((item: ListedAttachment) => item.url);
    for (const url of [...firstUrls, ...secondUrls]) {
      expect(url.startsWith(`${feishu.publicUrl}/download/authcode/?code=`)).toBe(true);
    }
    expect(new Set([...firstUrls, ...secondUrls]).size).toBe(6);
  });

  it('leaves out attachments that were deleted', async () => {
    const [keepFirst, removed, keepLast] = await seedAttachments(taskGuid, 3);

    const deleted = await feishu.call('DELETE', FeishuPath.Attachment.replace(':attachment_guid', removed), {
      token,
    });
    const result = await list({ resource_id: taskGuid });

    expect(deleted.status).toBe(200);
    expect(result.body.data.items.map((item: ListedAttachment) => item.guid)).toEqual([keepFirst, keepLast]);
  });

  it('lists only the attachments of the task it names', async () => {
    const otherTask = await feishu.createTask(token);
    const own = await seedAttachments(taskGuid, 2);
    await seedAttachments(otherTask, 2, 'other');

    const result = await list({ resource_id: taskGuid });

    expect(result.body.data.items.map((item: ListedAttachment) => item.guid)).toEqual(own);
  });

  it('answers 404/1470404 for a task that does not exist', async () => {
    const result = await list({ resource_id: '00000000-0000-4000-8000-000000000000' });

    expect(result.status).toBe(404);
    expect(result.body.code).toBe(FeishuErrorCode.NotFound);
  });
});
