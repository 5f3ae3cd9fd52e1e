import * as lark from '@larksuiteoapi/node-sdk';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockFeishu, type RunningMockFeishu, type StartMockFeishuOptions } from '../../../src/index.js';
import { recordAnswer } from './answer-ledger.js';

/**
 * The emulator as an outsider meets it: started in this process on a free port, and then talked
 * to only over HTTP on its URL (no Prism referee in between, no seeder): curl, fetch, the official
 * SDK or a bare socket, exactly as a developer's tools do.
 */
export interface Emulator extends RunningMockFeishu {
  /** The data dir made for this emulator (durable store), removed on close. */
  ownDataDir?: string;
}

export async function startEmulator(
  options: StartMockFeishuOptions & { durable?: boolean } = {},
): Promise<Emulator> {
  const { durable, ...rest } = options;
  const ownDataDir = durable ? mkdtempSync(join(tmpdir(), 'mock-feishu-outside-in-')) : undefined;
  const running = await startMockFeishu({ port: 0, ...(ownDataDir ? { dataDir: ownDataDir } : {}), ...rest });
  return {
    ...running,
    ownDataDir,
    close: async () => {
      try {
        await running.close();
      } finally {
        if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      }
    },
  };
}

export interface FetchedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: any;
}

/** fetch, its answer read whole and recorded for the closing leak check. */
export async function fetchAnswer(
  url: string,
  init: RequestInit = {},
  label?: string,
): Promise<FetchedAnswer> {
  const response = await fetch(url, init);
  const body = await response.text();
  const headers = Object.fromEntries(response.headers.entries());
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  recordAnswer(label ?? `${init.method ?? 'GET'} ${new URL(url).pathname}`, {
    status: response.status,
    headers,
    body,
  });
  return { status: response.status, headers, body, json };
}

/** A tenant token from the emulated auth endpoint, with the default app's credentials. */
export async function tenantToken(feishu: RunningMockFeishu): Promise<string> {
  const answer = await fetchAnswer(`${feishu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: 'cli_mock_app', app_secret: 'mock_app_secret' }),
  });
  const token = answer.json?.tenant_access_token;
  if (typeof token !== 'string') throw new Error(`no tenant token: ${answer.status} ${answer.body}`);
  return token;
}

/** A task made through the emulated API, as any caller makes one. */
export async function createTask(
  feishu: RunningMockFeishu,
  token: string,
  summary = 'outside-in',
): Promise<string> {
  const answer = await fetchAnswer(`${feishu.url}/open-apis/task/v2/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ summary }),
  });
  const guid = answer.json?.data?.task?.guid;
  if (typeof guid !== 'string') throw new Error(`task create failed: ${answer.status} ${answer.body}`);
  return guid;
}

/** The files in the emulator's blob folder (a refused upload must leave it as it was). */
export function blobFiles(feishu: RunningMockFeishu): string[] {
  const dir = feishu.store.blobDir;
  if (!dir) throw new Error('this emulator keeps no blob folder');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Leftovers of a refused upload: files in the folder now (`<key>` or `<key>.part`) that were not there before. */
export function newBlobFiles(before: readonly string[], after: readonly string[]): string[] {
  return after.filter((name) => !before.includes(name));
}

/** The official node SDK as a user sets it up for the seeded app, with its logging silenced. */
export function officialSdkClient(feishu: RunningMockFeishu): lark.Client {
  const quiet = () => undefined;
  return new lark.Client({
    appId: 'cli_mock_app',
    appSecret: 'mock_app_secret',
    domain: feishu.url,
    loggerLevel: lark.LoggerLevel.error,
    logger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
  });
}
