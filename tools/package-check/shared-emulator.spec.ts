import { createFeishuClient } from '@feishu-attachments/api-client';
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET, sharedMockFeishuUrl } from '@feishu-attachments/mock-feishu';

describe("the run's emulator from the Jest global setup", () => {
  it('publishes its URL to the test files, where a client uploads, lists and downloads', async () => {
    const url = sharedMockFeishuUrl();
    expect(process.env.MOCK_FEISHU_URL).toBe(url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const feishu = createFeishuClient({
      baseUrl: url,
      auth: { appId: DEFAULT_APP_ID, appSecret: DEFAULT_APP_SECRET },
    });
    const task = await feishu.tasks.create({ summary: 'shared' });
    const [item] = await feishu.attachments.upload(task.guid, [{ name: 'a.txt', data: 'shared emulator' }]);
    const page = await feishu.attachments.listPage({ taskGuid: task.guid });
    expect(page.items.map((attachment) => attachment.name)).toEqual(['a.txt']);
    const { body } = await feishu.attachments.download(item.guid);
    expect(await new Response(body).text()).toBe('shared emulator');
  });
});
