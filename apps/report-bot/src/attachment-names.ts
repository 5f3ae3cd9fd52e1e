import type { FeishuClient } from '@feishu-attachments/api-client';

/** The names of a task's attachments, every page of them, in Feishu's order. */
export async function attachmentNames(feishu: FeishuClient, taskGuid: string): Promise<string[]> {
  const names: string[] = [];
  for await (const attachment of feishu.attachments.listAll({ taskGuid, pageSize: 100 })) {
    names.push(attachment.name);
  }
  return names;
}
