// 4. Cost of size: list-page latency on a task with 100 attachments vs one with 100 000, both
// seeded in one emulator (started programmatically in a child and seeded through its seeder), so
// the only difference between the sides is the task. Latency at a steady rate well below
// saturation, so it measures the work per page and not a queue.
import { join } from 'node:path';
import { listPath, tenantToken } from '../lib/emulator-api.mjs';
import { fixedRate } from '../lib/load.mjs';
import { alternate, pick, row, target } from '../lib/rounds.mjs';
import { jsonCall, startSeededEmulator } from '../lib/servers.mjs';
import { formatNumber, formatRatio } from '../lib/stats.mjs';

const PAGE_SIZE = 50;
const RATE = 200;

/** The page token of page `page` (1-based; page 1 has none), found by walking the pages. */
async function tokenOfPage(url, headers, taskGuid, page) {
  let token;
  for (let current = 1; current < page; current++) {
    const body = await jsonCall(`${url}${listPath(taskGuid, PAGE_SIZE, token)}`, { headers });
    if (!body.data.has_more) throw new Error(`task has fewer than ${page} pages`);
    token = body.data.page_token;
  }
  return token;
}

export default {
  name: 'list-size',
  title: 'Cost of size: list page on a small vs a large task',
  async run({ fastDir, rounds, seconds, warmSeconds, listSizes, log }) {
    const [small, large] = listSizes;
    const started = performance.now();
    const emulator = await startSeededEmulator({
      dataDir: join(fastDir, 'list-size-blobs'),
      tasks: { small, large },
    });
    log(
      `seeded ${formatNumber(small)} + ${formatNumber(large)} attachments in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const token = await tenantToken(emulator.url);
    const headers = { authorization: `Bearer ${token}` };
    const names = {
      small: `${formatNumber(small)} attachments`,
      large: `${formatNumber(large)} attachments`,
    };
    // A later page: the last of the small task, the middle of the large one.
    const deepPage = { small: Math.ceil(small / PAGE_SIZE), large: Math.ceil(large / PAGE_SIZE / 2) };
    const sides = [];
    for (const key of ['small', 'large']) {
      const taskGuid = emulator.seeded[key];
      const first = await jsonCall(`${emulator.url}${listPath(taskGuid, PAGE_SIZE)}`, { headers });
      if (first.data.items.length !== Math.min(PAGE_SIZE, key === 'small' ? small : large)) {
        throw new Error(`the ${key} task lists ${first.data.items.length} items on its first page`);
      }
      const deepToken = await tokenOfPage(emulator.url, headers, taskGuid, deepPage[key]);
      sides.push({
        name: names[key],
        first: `${emulator.url}${listPath(taskGuid, PAGE_SIZE)}`,
        deep: `${emulator.url}${listPath(taskGuid, PAGE_SIZE, deepToken)}`,
      });
    }
    const rows = [];
    for (const page of ['first', 'deep']) {
      const values = await alternate({
        sides,
        rounds,
        log,
        label: `${page} page `,
        warmUp: (side) => fixedRate({ url: side[page], headers, rate: RATE, seconds: warmSeconds }),
        measure: (side) => fixedRate({ url: side[page], headers, rate: RATE, seconds }),
      });
      const pages = (count) => Math.ceil(count / PAGE_SIZE).toLocaleString('en-US');
      const label =
        page === 'first'
          ? 'first page'
          : `a later page (small task: page ${deepPage.small} of ${pages(small)}; ` +
            `large task: page ${deepPage.large.toLocaleString('en-US')} of ${pages(large)})`;
      rows.push(
        row(`${label}: p50 at ${RATE} req/s`, 'ms', pick(values, 'p50')),
        row(`${label}: p99 at ${RATE} req/s`, 'ms', pick(values, 'p99'), [[names.large, names.small]]),
      );
    }
    return {
      rows,
      targets: [
        target(
          `List p99 at ${formatNumber(large)} attachments ≤ 2 × at ${formatNumber(small)} (first page)`,
          rows[1].ratios[0].value,
          '<=',
          2,
          formatRatio,
        ),
      ],
      notes: [
        `Pages of ${PAGE_SIZE}; open-loop load at ${RATE} req/s, ${seconds} s per side per round. ` +
          'Both tasks live in one emulator, started programmatically in a child process and seeded ' +
          'through its seeder before it listens.',
      ],
    };
  },
};
