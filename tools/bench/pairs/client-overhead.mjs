// 5. Client overhead: `client.attachments.get` vs a raw fetch of the same call, on one emulator.
// Both run in this process with the same concurrency, so the difference is the client's own
// work (the token, the attempt's timer, the envelope, remembering the download URL; ky only
// when a call is retried); its CPU time per call here shows that work even when the emulator is
// what limits the rate.
import { join } from 'node:path';
import { createFeishuClient } from '@feishu-attachments/api-client';
import { attachmentPath, seedTask, tenantToken } from '../lib/emulator-api.mjs';
import { closedLoop } from '../lib/load.mjs';
import { alternate, pick, row, target } from '../lib/rounds.mjs';
import { EMULATOR_APP, startEmulator } from '../lib/servers.mjs';
import { formatRatio } from '../lib/stats.mjs';

const CONCURRENCY = 10;

export default {
  name: 'client-overhead',
  title: 'Client overhead: client.attachments.get vs raw fetch',
  async run({ work, rounds, seconds, warmSeconds, log }) {
    const emulator = await startEmulator({ dataDir: join(work, 'blobs') });
    const token = await tenantToken(emulator.url);
    const seeded = await seedTask(emulator.url, { attachments: [{ name: 'report.pdf', content: 'x' }] });
    const guid = seeded.attachments[0].guid;
    const client = createFeishuClient({ baseUrl: emulator.url, auth: EMULATOR_APP });
    const url = `${emulator.url}${attachmentPath(guid)}`;
    const headers = { authorization: `Bearer ${token}` };
    const sides = [
      {
        name: 'client',
        call: async () => {
          const attachment = await client.attachments.get(guid);
          if (attachment.guid !== guid) throw new Error('client: wrong attachment');
        },
      },
      {
        name: 'raw fetch',
        call: async () => {
          const response = await fetch(url, { headers });
          const body = await response.json();
          if (body.code !== 0 || body.data.attachment.guid !== guid) throw new Error('fetch: wrong answer');
        },
      },
    ];
    const values = await alternate({
      sides,
      rounds,
      log,
      label: 'get ',
      warmUp: (side) => closedLoop({ call: side.call, seconds: warmSeconds, concurrency: CONCURRENCY }),
      measure: (side) => closedLoop({ call: side.call, seconds, concurrency: CONCURRENCY }),
    });
    const rows = [
      row(`get attachment: throughput, ${CONCURRENCY} in flight`, 'calls/s', pick(values, 'rps'), [
        ['client', 'raw fetch'],
      ]),
      row('get attachment: caller CPU per call', 'µs', pick(values, 'cpuMicrosPerCall'), [
        ['client', 'raw fetch'],
      ]),
    ];
    return {
      rows,
      targets: [
        target('Client throughput ≥ 0.85 × raw fetch', rows[0].ratios[0].value, '>=', 0.85, formatRatio),
        target('Client CPU per call ≤ 1.3 × raw fetch', rows[1].ratios[0].value, '<=', 1.3, formatRatio),
      ],
      notes: [
        `${CONCURRENCY} calls in flight, ${seconds} s per side per round; the tenant token is fetched ` +
          "once beforehand on both sides. Caller CPU is this process's user + system time divided by calls.",
      ],
    };
  },
};
