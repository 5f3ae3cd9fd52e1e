// 8. Memory soak (issue 11): the built emulator under 16 workers of mixed traffic (small uploads,
// list pages, gets, downloads of fresh URLs, deletes) for a minute, rate limits off through the
// control plane. Its resident memory (VmRSS) is sampled throughout; what matters is how far it
// rises after a warm-up, once every bounded store (journal, download-URL store) is full: a leak
// keeps rising, a bound levels off. The V8 heap after each full GC (from --trace-gc)
// is shown next to RSS, so growth of the heap can be told from growth of malloc's arenas.
import { createRequire } from 'node:module';
import http from 'node:http';
import { join } from 'node:path';
import { attachmentPath, listPath, seedTask, tenantToken } from '../lib/emulator-api.mjs';
import { ensureFiles, multipart } from '../lib/files.mjs';
import { memoryOf } from '../lib/memory.mjs';
import { row, target } from '../lib/rounds.mjs';
import { ROOT, jsonCall, startEmulator } from '../lib/servers.mjs';
import { formatNumber, toMiB } from '../lib/stats.mjs';

const WORKERS = 16;
const SAMPLE_MS = 250;
// Each worker's task holds at most this many attachments: past it, the oldest is deleted.
const MAX_ATTACHMENTS = 20;
const FILE_SIZES = [1024, 8 * 1024, 32 * 1024];
const PAGE_SIZE = 50;
// One cycle of a worker; a download always follows the get that minted its URL.
const CYCLE = ['upload', 'list', 'get+download', 'list', 'get', 'get+download', 'upload', 'list'];
const GROWTH_LIMIT_MIB = 64;
// The download-URL store keeps the newest URLs up to a capacity (the emulator's own constant, read
// from its build). This traffic mints about 2 000 URLs a second, so the store would still be
// filling well after the warm-up, and that bounded growth is expected: the store is filled
// first, with pages of FILL_PAGE URLs, so the soak sees what grows once every bound is reached.
const FILL_PAGE = 100;
// Read when the pair runs, so a moved constant fails this pair alone, not the whole bench.
const urlCapacity = () => {
  const capacity = createRequire(join(ROOT, 'apps/mock-feishu/package.json'))(
    './dist/core/downloads/download-token.js',
  ).DOWNLOAD_TOKEN_CAPACITY;
  if (!Number.isInteger(capacity)) throw new Error('DOWNLOAD_TOKEN_CAPACITY not found in the build');
  return capacity;
};

/** One exchange over `agent`; resolves with the status, the body's length and (unless dropped) its text. */
function exchange(agent, url, { method = 'GET', headers = {}, body, keepText = true } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks = [];
      let bytes = 0;
      response.on('data', (chunk) => {
        bytes += chunk.length;
        if (keepText) chunks.push(chunk);
      });
      response.on('end', () =>
        resolve({ status: response.statusCode, bytes, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${url}: no answer in 30 s`)));
    request.on('error', reject);
    if (body && typeof body.pipe === 'function') body.pipe(request);
    else request.end(body);
  });
}

/** The V8 heap in use after the latest mark-compact, from --trace-gc lines on the emulator's stdout. */
function heapWatcher(child) {
  let latest = NaN;
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) {
      // e.g. "Mark-Compact 41.2 (60.3) -> 35.9 (58.8) MB, ..."
      const match = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(line);
      if (match) latest = Number(match[1]);
    }
  });
  return () => latest;
}

export default {
  name: 'soak',
  title: 'Memory soak: emulator RSS under a minute of mixed traffic',
  async run({ work, filesDir, soakSeconds, soakWarmSeconds, smoke, log }) {
    const paths = FILE_SIZES.map((bytes) => ensureFiles(filesDir, 1, bytes)[0]);
    const capacity = urlCapacity();
    const emulator = await startEmulator({
      dataDir: join(work, 'blobs'),
      rateLimits: true,
      nodeArgs: ['--trace-gc'],
    });
    const heapMiB = heapWatcher(emulator.entry.child);
    // Keep-alive connections, as a client would hold them; one per worker.
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    const call = (url, options) => exchange(agent, url, options);
    try {
      // Off through the control plane, as a test would: 16 workers are far above Feishu's 50/s.
      const limits = await jsonCall(`${emulator.url}/__mock/rate-limits`, {
        method: 'PUT',
        json: { enabled: false },
      });
      if (limits.enabled !== false) throw new Error(`rate limits still on: ${JSON.stringify(limits)}`);
      const token = await tenantToken(emulator.url);
      const auth = { authorization: `Bearer ${token}` };

      // Fill the download-URL store (a few pages only in the smoke pass).
      const fillStarted = performance.now();
      const beforeFill = memoryOf(emulator.pid).rss;
      const { task_guid: fillTask } = await seedTask(emulator.url, {
        summary: 'soak: URL store fill',
        attachments: Array.from({ length: FILL_PAGE }, (_, index) => ({
          name: `f-${index}.txt`,
          content: 'x',
        })),
      });
      const fillPages = smoke ? 4 : Math.ceil(capacity / FILL_PAGE);
      let filled = 0;
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (filled < fillPages) {
            filled++;
            const response = await call(`${emulator.url}${listPath(fillTask, FILL_PAGE)}`, {
              headers: auth,
              keepText: false,
            });
            if (response.status !== 200) throw new Error(`fill: list → ${response.status}`);
          }
        }),
      );
      const afterFill = memoryOf(emulator.pid).rss;
      log(
        `filled the download-URL store with ${formatNumber(fillPages * FILL_PAGE)} URLs (capacity ` +
          `${formatNumber(capacity)}) in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s: ` +
          `RSS ${toMiB(beforeFill).toFixed(0)} → ${toMiB(afterFill).toFixed(0)} MiB`,
      );

      const counts = { upload: 0, list: 0, get: 0, download: 0, delete: 0, failed: 0 };
      const failures = [];
      const fail = (what, detail) => {
        counts.failed++;
        if (failures.length < 5) failures.push(`${what}: ${detail}`);
      };
      const expectOk = (what, response) => {
        if (response.status !== 200) {
          fail(what, `${response.status} ${response.text.slice(0, 200)}`);
          return undefined;
        }
        const body = JSON.parse(response.text);
        if (body.code !== 0) fail(what, response.text.slice(0, 200));
        return body.code === 0 ? body.data : undefined;
      };

      const started = performance.now();
      const deadline = started + soakSeconds * 1000;
      const samples = [];
      const sample = () => {
        try {
          samples.push({ at: (performance.now() - started) / 1000, rss: memoryOf(emulator.pid).rss });
        } catch {
          // The emulator ended; the workers' failures say why.
        }
      };
      let warm;
      const warmTimer = setTimeout(() => {
        sample();
        warm = { rss: samples.at(-1)?.rss ?? NaN, heapMiB: heapMiB() };
      }, soakWarmSeconds * 1000);
      const sampler = setInterval(sample, SAMPLE_MS);
      sample();

      const worker = async (index) => {
        const { task_guid: taskGuid } = await seedTask(emulator.url, { summary: `soak worker ${index}` });
        const held = [];
        for (let step = index; performance.now() < deadline; step++) {
          const kind = CYCLE[step % CYCLE.length];
          try {
            if (kind === 'upload') {
              const form = multipart([paths[step % paths.length]], { resource_id: taskGuid });
              const data = expectOk(
                'upload',
                await call(`${emulator.url}/open-apis/task/v2/attachments/upload`, {
                  method: 'POST',
                  headers: { ...auth, ...form.headers },
                  body: form.body(),
                }),
              );
              counts.upload++;
              if (data) held.push(...data.items.map((item) => item.guid));
              while (held.length > MAX_ATTACHMENTS) {
                expectOk(
                  'delete',
                  await call(`${emulator.url}${attachmentPath(held.shift())}`, {
                    method: 'DELETE',
                    headers: auth,
                  }),
                );
                counts.delete++;
              }
            } else if (kind === 'list') {
              expectOk(
                'list',
                await call(`${emulator.url}${listPath(taskGuid, PAGE_SIZE)}`, { headers: auth }),
              );
              counts.list++;
            } else if (held.length > 0) {
              const guid = held[step % held.length];
              const data = expectOk(
                'get',
                await call(`${emulator.url}${attachmentPath(guid)}`, { headers: auth }),
              );
              counts.get++;
              if (kind === 'get+download' && data) {
                const response = await call(data.attachment.url, { keepText: false });
                if (response.status !== 200) fail('download', String(response.status));
                counts.download++;
              }
            }
          } catch (error) {
            fail(kind, error.message);
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
      clearTimeout(warmTimer);
      clearInterval(sampler);
      sample();
      const elapsed = (performance.now() - started) / 1000;
      const end = { rss: samples.at(-1)?.rss ?? NaN, heapMiB: heapMiB() };
      const peak = Math.max(...samples.map((entry) => entry.rss));
      warm ??= { rss: NaN, heapMiB: NaN };
      const growthMiB = toMiB(end.rss - warm.rss);
      for (const failure of failures) log(`failed: ${failure}`);
      const calls = counts.upload + counts.list + counts.get + counts.download + counts.delete;
      log(
        `${formatNumber(calls)} calls in ${elapsed.toFixed(1)} s (${Object.entries(counts)
          .map(([kind, count]) => `${kind} ${count}`)
          .join(', ')})`,
      );
      // RSS every ~10 % of the run, for the log: a leak rises steadily, a bound flattens.
      const step = Math.max(1, Math.floor(samples.length / 10));
      log(
        `RSS over time: ${samples
          .filter((_, index) => index % step === 0 || index === samples.length - 1)
          .map((entry) => `${entry.at.toFixed(1)} s ${toMiB(entry.rss).toFixed(0)}`)
          .join(', ')} MiB`,
      );

      const single = (value) => ({ emulator: [value] });
      const mib = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} MiB` : 'n/a');
      return {
        rows: [
          row('RSS before filling the download-URL store', 'MiB', single(toMiB(beforeFill))),
          row(
            `RSS with ${formatNumber(fillPages * FILL_PAGE)} URLs in the store`,
            'MiB',
            single(toMiB(afterFill)),
          ),
          row(`RSS after the ${soakWarmSeconds} s warm-up`, 'MiB', single(toMiB(warm.rss))),
          row(`RSS at the end (${soakSeconds} s)`, 'MiB', single(toMiB(end.rss))),
          row('RSS growth, end − after warm-up', 'MiB', single(growthMiB)),
          row('RSS peak', 'MiB', single(toMiB(peak))),
          row(`V8 heap after the last full GC, at the warm-up`, 'MiB', single(warm.heapMiB)),
          row(`V8 heap after the last full GC, at the end`, 'MiB', single(end.heapMiB)),
          row('calls answered', 'calls/s', single(calls / elapsed)),
          row('failed calls', 'calls', single(counts.failed)),
        ],
        targets: [
          target(
            `Soak: RSS at the end within ${GROWTH_LIMIT_MIB} MiB of RSS after the ${soakWarmSeconds} s warm-up`,
            growthMiB,
            '<=',
            GROWTH_LIMIT_MIB,
            mib,
          ),
          target('Soak: no failed calls', counts.failed, '<=', 0, (count) =>
            Number.isFinite(count) ? `${count} failed` : 'n/a',
          ),
        ],
        notes: [
          `${WORKERS} workers, each on its own task with at most ${MAX_ATTACHMENTS} attachments (the oldest ` +
            `deleted past that), cycling through ${CYCLE.join(', ')}; uploads are one file of ` +
            `${FILE_SIZES.map((bytes) => `${bytes / 1024}`).join(' / ')} KiB, list pages ${PAGE_SIZE} items, ` +
            'each download uses the URL the get before it minted. Before the clock starts, the ' +
            `download-URL store is filled to its capacity (${formatNumber(capacity)} URLs, ` +
            `${FILL_PAGE}-item list pages), so growth measured after the warm-up is what no bound ` +
            'holds. Rate limits switched off with ' +
            '`PUT /__mock/rate-limits`. RSS is VmRSS sampled every ' +
            `${SAMPLE_MS} ms; the V8 heap is the emulator's own --trace-gc figure after its latest ` +
            'mark-compact (n/a when none ran). One run, not alternated rounds: the soak is about ' +
            'drift over time.',
        ],
      };
    } finally {
      agent.destroy();
      await emulator.stop();
    }
  },
};
