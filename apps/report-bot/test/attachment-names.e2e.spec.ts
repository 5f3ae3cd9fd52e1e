import { createFeishuClient } from '@feishu-attachments/api-client';
import { attachmentNames } from '../src/attachment-names.js';

/** The run's emulator, started by test/global-setup.ts. */
function emulatorUrl(): string {
  const url = process.env.MOCK_FEISHU_URL;
  if (!url) throw new Error('MOCK_FEISHU_URL is not set: run through jest.config.ts (its globalSetup)');
  return url;
}

describe('attachmentNames against the emulator', () => {
  it("lists every attachment name of a seeded task, in Feishu's order", async () => {
    const url = emulatorUrl();
    const seeded = await fetch(`${url}/__mock/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        summary: 'Quarterly report',
        attachments: [
          { name: 'report.pdf', content: '%PDF-1.7' },
          { name: 'notes.txt', content: 'hello' },
        ],
      }),
    });
    const { task_guid } = (await seeded.json()) as { task_guid: string };
    const feishu = createFeishuClient({
      baseUrl: url,
      auth: { appId: 'cli_mock_app', appSecret: 'mock_app_secret' },
    });

    expect(await attachmentNames(feishu, task_guid)).toEqual(['report.pdf', 'notes.txt']);
  });
});
