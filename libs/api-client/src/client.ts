import { resolveClientOptions, type FeishuClientOptions } from './client-options.js';
import { DownloadUrlCache } from './core/download-url.cache.js';
import { Transport } from './core/transport.js';
import { Attachments } from './resources/attachments.js';
import { Tasks } from './resources/tasks.js';

export interface FeishuClient {
  attachments: Attachments;
  tasks: Tasks;
}

/**
 * A client for Feishu Task v2 attachments.
 *
 * @example
 * const feishu = createFeishuClient({ auth: { appId: 'cli_…', appSecret: '…' } });
 * const [attachment] = await feishu.attachments.upload(taskGuid, [{ path: './report.pdf' }]);
 */
export function createFeishuClient(options: FeishuClientOptions): FeishuClient {
  const resolved = resolveClientOptions(options);
  const transport = new Transport(resolved);
  // The client's state is here and in the transport's token cache; the resources hold none.
  const downloadUrls = new DownloadUrlCache(resolved.now);
  return {
    attachments: new Attachments(transport, downloadUrls),
    tasks: new Tasks(transport),
  };
}
