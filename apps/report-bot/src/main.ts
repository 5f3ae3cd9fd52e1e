#!/usr/bin/env node
import { createFeishuClient } from '@feishu-attachments/api-client';
import { attachmentNames } from './attachment-names.js';

const USAGE =
  'Usage: FEISHU_APP_ID=… FEISHU_APP_SECRET=… [FEISHU_BASE_URL=http://127.0.0.1:3100] report-bot <task-guid>';

/** The one place this app reads its environment and command line. */
function config(argv: string[], env: NodeJS.ProcessEnv) {
  const [taskGuid] = argv;
  const appId = env.FEISHU_APP_ID?.trim();
  const appSecret = env.FEISHU_APP_SECRET?.trim();
  if (!taskGuid || !appId || !appSecret) return undefined;
  const baseUrl = env.FEISHU_BASE_URL?.trim() || undefined;
  return { taskGuid, appId, appSecret, baseUrl };
}

async function main(): Promise<void> {
  const options = config(process.argv.slice(2), process.env);
  if (!options) {
    console.error(USAGE);
    process.exit(2);
  }
  const feishu = createFeishuClient({
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    auth: { appId: options.appId, appSecret: options.appSecret },
  });
  for (const name of await attachmentNames(feishu, options.taskGuid)) console.log(name);
}

main().catch((error: Error) => {
  console.error(`report-bot: ${error.message}`);
  process.exit(1);
});
