import { earlyAnswer } from '@feishu-attachments/test-support/early-answer';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeishuPath, UploadField } from '@feishu-attachments/api-client/wire';
import { startMockFeishu, type RunningMockFeishu, type StartMockFeishuOptions } from '../../src/index.js';
import { testStore } from './mock-feishu.fixture.js';

export const MiB = 1024 * 1024;

/**
 * An emulator reached directly, not through the Prism referee, since these tests watch the
 * socket itself. It runs on the store of the Jest project (memory, or SQLite in a data dir).
 */
export async function startDirect(options: StartMockFeishuOptions = {}): Promise<RunningMockFeishu> {
  const dataDir = testStore === 'sqlite' ? mkdtempSync(join(tmpdir(), 'mock-feishu-ingress-')) : undefined;
  const feishu = await startMockFeishu({ port: 0, ...(dataDir ? { dataDir } : {}), ...options });
  return {
    ...feishu,
    close: async () => {
      await feishu.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Files in the emulator's blob folder: every refused upload must leave it as it was. */
export const blobFiles = (feishu: RunningMockFeishu): string[] => readdirSync(feishu.store.blobDir as string);

/** Polls until the blob folder is empty or `boundMs` has passed; returns what is left. */
export async function blobFilesAfterCleanUp(feishu: RunningMockFeishu, boundMs = 10_000): Promise<string[]> {
  const until = Date.now() + boundMs;
  while (blobFiles(feishu).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return blobFiles(feishu);
}

/** A multipart form written by hand, part by part, so a test can stop sending midway. */
export function handForm() {
  const boundary = `mock-feishu-ingress-${Math.random().toString(16).slice(2)}`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    field: (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    fieldHead: (name: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`,
    fileHead: (filename: string, field: string = UploadField.File) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
    partEnd: '\r\n',
    end: `--${boundary}--\r\n`,
  };
}

export interface OpenUpload {
  req: ClientRequest;
  answer: Promise<IncomingMessage>;
  /** The answer, once it has come. */
  answered(): IncomingMessage | undefined;
}

/**
 * An upload the test writes by hand and never finishes: a server that waited for the end of the
 * body before refusing would never answer, and the test would time out. So each test proves the
 * answer comes while the caller is still sending, on a machine of any speed.
 */
export function openUpload(feishuUrl: string, token: string, contentType: string): OpenUpload {
  const req = request(new URL(FeishuPath.AttachmentUpload, feishuUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
  });
  return { req, ...earlyAnswer(req) };
}

/**
 * Writes `chunk` until `limit` bytes are out or the answer has come, whichever is first, and
 * returns how many bytes it had handed to the connection by then. The bytes are made as they
 * are sent, so a 200 MiB body never sits in memory.
 */
export async function writeUntilAnswered(upload: OpenUpload, chunk: Buffer, limit: number): Promise<number> {
  let written = 0;
  while (!upload.answered() && written < limit && !upload.req.destroyed) {
    const flushed = upload.req.write(chunk);
    written += chunk.length;
    // Not events.once: it rejects on the write error that the closed connection causes.
    if (!flushed)
      await new Promise<void>((resolve) => {
        const go = () => {
          upload.req.off('drain', go);
          upload.req.off('close', go);
          resolve();
        };
        upload.req.once('drain', go);
        upload.req.once('close', go);
        void upload.answer.then(go);
      });
  }
  return written;
}

/** Resolves once the connection is closed; only the emulator can close it, since the test never ends the body. */
export const connectionClosed = (req: ClientRequest): Promise<void> =>
  new Promise((resolve) => {
    const socket = req.socket;
    if (!socket || socket.destroyed) return resolve();
    socket.once('close', () => resolve());
  });

export async function jsonOf(response: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function tenantToken(feishu: RunningMockFeishu): Promise<string> {
  const response = await fetch(new URL(FeishuPath.TenantAccessToken, feishu.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: feishu.app.appId, app_secret: feishu.app.appSecret }),
  });
  return ((await response.json()) as { tenant_access_token: string }).tenant_access_token;
}
