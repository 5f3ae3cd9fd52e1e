// 5. Client overhead: `client.attachments.get` vs a bare ky call of the same request, on one
// emulator. The client sends every attempt through ky, so ky's own work (its options, Request,
// timeout and retry) is on both sides, and the difference is what the client adds: the token,
// its hooks (Feishu's verdict on the envelope, the caller's hooks), remembering the download URL.
// Both run in this process with the same concurrency; CPU time per call shows that work even
// when the emulator is what limits the rate.
import { join } from 'node:path';
import ky from 'ky';
import { createFeishuClient } from '@feishu-attachments/api-client';
import { attachmentPath, seedTask, tenantToken } from '../lib/emulator-api.mjs';
import { closedLoop } from '../lib/load.mjs';
import { alternate, pick, row, target } from '../lib/rounds.mjs';
import { EMULATOR_APP, startEmulator } from '../lib/servers.mjs';
import { formatRatio } from '../lib/stats.mjs';

const CONCURRENCY = 10;

export default {
  name: 'client-overhead',
  title: 'Client overhead: client.attachments.get vs a bare ky call',
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
        name: 'bare ky',
        call: async () => {
          // ky's defaults, as a caller who reached for ky directly would have them (timeout, retry).
          const body = await ky.get(url, { headers }).json();
          if (body.code !== 0 || body.data.attachment.guid !== guid) throw new Error('ky: wrong answer');
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
        ['client', 'bare ky'],
      ]),
      row('get attachment: caller CPU per call', 'µs', pick(values, 'cpuMicrosPerCall'), [
        ['client', 'bare ky'],
      ]),
    ];
    return {
      rows,
      // Throughput is reported, not targeted: with the emulator on the same cores it measures the
      // machine more than the client. (The earlier target, ≥ 0.85 × raw fetch, is retired.)
      targets: [
        target('Client CPU per call ≤ 1.2 × a bare ky call', rows[1].ratios[0].value, '<=', 1.2, formatRatio),
      ],
      notes: [
        `${CONCURRENCY} calls in flight, ${seconds} s per side per round; the tenant token is fetched ` +
          "once beforehand on both sides. Caller CPU is this process's user + system time divided by calls.",
      ],
    };
  },
};
