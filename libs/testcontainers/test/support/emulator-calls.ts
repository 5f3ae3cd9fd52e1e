import * as lark from '@larksuiteoapi/node-sdk';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nothing listens on right now, on this machine's loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The official Lark SDK on `baseUrl` with a token cache of its own, its logging kept quiet. */
export function sdkClient(baseUrl: string, app = { appId: 'cli_mock_app', appSecret: 'mock_app_secret' }) {
  const store = new Map<string, unknown>();
  const keyOf = (key: string | symbol, namespace = '') => `${namespace}|${String(key)}`;
  const quiet = () => undefined;
  return new lark.Client({
    ...app,
    domain: baseUrl,
    loggerLevel: lark.LoggerLevel.error,
    logger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
    cache: {
      set: async (key, value, _expire, options) => {
        store.set(keyOf(key as symbol, options?.namespace), value);
        return true;
      },
      get: async (key, options) => store.get(keyOf(key as symbol, options?.namespace)),
    },
  });
}

/**
 * What an integration on the official SDK does: a task, a file uploaded from disk (a stream, as
 * the SDK wants), the task's list, one attachment's get, and the download of the URL get returned.
 */
export async function sdkAttachmentFlow(client: lark.Client, file: { name: string; content: Buffer }) {
  const dir = await mkdtemp(join(tmpdir(), 'feishu-container-sdk-'));
  try {
    const path = join(dir, file.name);
    await writeFile(path, file.content);
    const created = await client.task.v2.task.create({ data: { summary: 'container check' } });
    const taskGuid = created.data?.task?.guid as string;
    const uploaded = await client.task.v2.attachment.upload({
      data: { resource_type: 'task', resource_id: taskGuid, file: createReadStream(path) },
    });
    const listed = await client.task.v2.attachment.list({
      params: { resource_type: 'task', resource_id: taskGuid },
    });
    const guid = uploaded?.items?.[0]?.guid as string;
    const got = await client.task.v2.attachment.get({ path: { attachment_guid: guid } });
    const url = got.data?.attachment?.url as string;
    const download = await fetch(url);
    return {
      created,
      taskGuid,
      uploaded,
      listed,
      got,
      url,
      downloadStatus: download.status,
      downloaded: Buffer.from(await download.arrayBuffer()),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
