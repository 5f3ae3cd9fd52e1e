#!/usr/bin/env node
// Measures how much the emulator's resident memory grows while it takes one 5 × 50 MiB upload.
// The emulator runs as a child process (the built dist), so only its own memory is counted:
// the peak RSS (VmHWM) during the upload minus the RSS before it. Loopback only.
//   npm run build && node tools/bench/upload-memory.mjs [--files 5] [--mib 50]
import { spawn } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { files: { type: 'string', default: '5' }, mib: { type: 'string', default: '50' } },
});
const fileCount = Number(values.files);
const fileBytes = Number(values.mib) * 1024 * 1024;
const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'upload-memory-'));

const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
};
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

const child = spawn(
  process.execPath,
  [join(root, 'apps/mock-feishu/dist/main.js'), '--port', '0', '--quiet', '--data-dir', join(work, 'blobs')],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
try {
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      const match = /listening on (\S+)/.exec(String(chunk));
      if (match) resolve(match[1]);
    });
  });
  const token = (
    await (
      await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: 'cli_mock_app', app_secret: 'mock_app_secret' }),
      })
    ).json()
  ).tenant_access_token;
  const task = (
    await (
      await fetch(`${url}/open-apis/task/v2/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ summary: 'upload memory' }),
      })
    ).json()
  ).data.task.guid;

  const form = new FormData();
  form.append('resource_id', task);
  for (let index = 0; index < fileCount; index++) {
    const path = join(work, `file-${index}.bin`);
    writeFileSync(path, Buffer.alloc(fileBytes, index));
    form.append('file', await openAsBlob(path), `file-${index}.bin`);
  }
  // Let start-up garbage settle so the baseline is the idle server.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = memory(child.pid);
  const started = performance.now();
  const response = await fetch(`${url}/open-apis/task/v2/attachments/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = await response.json();
  const seconds = (performance.now() - started) / 1000;
  const after = memory(child.pid);
  if (body.code !== 0 || body.data.items.length !== fileCount)
    throw new Error(`upload failed: ${JSON.stringify(body)}`);
  const total = fileCount * fileBytes;
  console.log(`upload ${fileCount} × ${values.mib} MiB: ${(total / 1e6 / seconds).toFixed(0)} MB/s`);
  console.log(
    `emulator RSS before ${mib(before.rss)} MiB, peak during ${mib(after.peak)} MiB, growth ${mib(after.peak - before.rss)} MiB`,
  );
} finally {
  child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
