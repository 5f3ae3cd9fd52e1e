import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

/** `GET /__mock/download-urls` is paged like Feishu's lists: 50 by default, at most 500. */
describe('the download-URL ledger, a page at a time', () => {
  let feishu: MockFeishuFixture;
  let issued: string[];

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
    const { taskGuid } = await feishu.seeder.createTaskWithAttachments({
      summary: 'ledger',
      attachments: Array.from({ length: 60 }, (_, index) => ({ name: `f${index}.txt`, content: 'x' })),
    });
    const token = await feishu.tenantToken();
    issued = [];
    // Two list calls of 60 attachments mint 120 URLs, in this order.
    for (let round = 0; round < 2; round++) {
      const listed = await feishu.call('GET', '/open-apis/task/v2/attachments', {
        token,
        query: { resource_type: 'task', resource_id: taskGuid, page_size: 100 },
      });
      issued.push(...listed.body.data.items.map((item: { url: string }) => item.url));
    }
  });
  afterAll(() => feishu?.close());

  const page = (query: Record<string, string | number>) =>
    feishu.call('GET', '/__mock/download-urls', { query });

  it('answers 50 URLs by default, oldest first, then the rest page by page until has_more is false', async () => {
    const first = await page({});
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(50);
    expect(first.body.has_more).toBe(true);
    expect(first.body.page_token).toEqual(expect.any(String));

    const second = await page({ page_token: first.body.page_token });
    const third = await page({ page_token: second.body.page_token });
    expect([second.body.items.length, third.body.items.length]).toEqual([50, 20]);
    expect(third.body.has_more).toBe(false);
    expect(third.body).not.toHaveProperty('page_token');

    const all = [...first.body.items, ...second.body.items, ...third.body.items];
    expect(all.map((entry: { url: string }) => entry.url)).toEqual(issued);
  });

  it('reads newest first with order=desc, and up to 500 at once', async () => {
    const newest = await page({ order: 'desc', page_size: 3 });
    expect(newest.body.items.map((entry: { url: string }) => entry.url)).toEqual(issued.slice(-3).reverse());
    const everything = await page({ page_size: 500 });
    expect(everything.body.items).toHaveLength(120);
    expect(everything.body.has_more).toBe(false);
  });

  it.each([
    [{ page_size: 0 }, /page_size/],
    [{ page_size: 501 }, /page_size/],
    [{ page_size: 'ten' }, /page_size/],
    [{ page_token: 'forged' }, /page_token/],
    [{ order: 'random' }, /order/],
  ])('refuses %j with 400 naming the parameter', async (query, mentions) => {
    const refused = await page(query as Record<string, string | number>);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 1470400 });
    expect(refused.body.msg).toMatch(mentions);
  });

  it('refuses a page token of one order in the other', async () => {
    const ascending = await page({ page_size: 10 });
    const refused = await page({ order: 'desc', page_token: ascending.body.page_token });
    expect(refused.status).toBe(400);
    expect(refused.body.msg).toMatch(/page_token/);
  });
});
