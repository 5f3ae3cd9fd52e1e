#!/usr/bin/env node
// Measures how much admin-api's resident memory grows while it takes one 5 × 50 MiB upload and
// passes it on to Feishu. admin-api runs as a child process (its built dist), so only its own
// memory is counted: the peak RSS (VmHWM) during the upload minus the RSS before it. The
// emulator runs in this process. Loopback only; Linux (/proc) only.
//   npx nx run-many -t build -p mock-feishu admin-api && node tools/bench/admin-api-upload-memory.mjs [--files 5] [--mib 50]
import { spawn } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMockFeishu } from '@feishu-attachments/mock-feishu';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '5' },
    mib: { type: 'string', default: '50' },
    'max-growth-mib': { type: 'string', default: '64' },
  },
});
const fileCount = Number(values.files);
const fileBytes = Number(values.mib) * 1024 * 1024;
const maxGrowth = Number(values['max-growth-mib']) * 1024 * 1024;
const root = new URL('../../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'admin-api-upload-memory-'));
const token = 'bench-admin-token-0123456789';

const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
};
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

const feishu = await startMockFeishu({ port: 0, rateLimits: false, dataDir: join(work, 'blobs') });
const uploadDir = join(work, 'uploads');
const child = spawn(process.execPath, [join(root, 'apps/admin-api/dist/main.js')], {
  cwd: work,
  env: {
    ...process.env,
    FEISHU_BASE_URL: feishu.url,
    FEISHU_APP_ID: feishu.app.appId,
    FEISHU_APP_SECRET: feishu.app.appSecret,
    ADMIN_API_TOKENS: token,
    ADMIN_API_PORT: '0',
    ADMIN_API_UPLOAD_DIR: uploadDir,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let failed = false;
try {
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`admin-api exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      const match = /listening on (\S+)/.exec(String(chunk));
      if (match) resolve(match[1]);
    });
  });
  const call = async (method, path, body, headers = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...headers },
      body,
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const task = await call('POST', '/tasks', JSON.stringify({ summary: 'upload memory' }), {
    'content-type': 'application/json',
  });
  // A small upload first, so the baseline includes the code paths an upload loads.
  const warmUp = new FormData();
  warmUp.append('file', new Blob(['warm-up']), 'warm-up.txt');
  await call('POST', `/tasks/${task.guid}/attachments`, warmUp);

  const form = new FormData();
  for (let index = 0; index < fileCount; index++) {
    const path = join(work, `file-${index}.bin`);
    writeFileSync(path, Buffer.alloc(fileBytes, index + 1));
    form.append('file', await openAsBlob(path), `file-${index}.bin`);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = memory(child.pid);
  const started = performance.now();
  const { items } = await call('POST', `/tasks/${task.guid}/attachments`, form);
  const seconds = (performance.now() - started) / 1000;
  const after = memory(child.pid);
  if (items.length !== fileCount || items.some((item) => item.size !== fileBytes)) {
    throw new Error(`upload failed: ${JSON.stringify(items)}`);
  }
  const growth = after.peak - before.rss;
  const leftovers = readdirSync(uploadDir);
  console.log(`upload ${fileCount} × ${values.mib} MiB through admin-api: ${seconds.toFixed(1)} s`);
  console.log(
    `admin-api RSS before ${mib(before.rss)} MiB, peak during ${mib(after.peak)} MiB, growth ${mib(growth)} MiB (limit ${mib(maxGrowth)} MiB)`,
  );
  console.log(`upload folder after: ${leftovers.length === 0 ? 'empty' : leftovers.join(', ')}`);
  failed = growth > maxGrowth || leftovers.length > 0;
} finally {
  child.kill('SIGTERM');
  await feishu.close();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
