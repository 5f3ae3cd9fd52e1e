// 2. Cold start: from spawning the process to its first 200, the emulator's built CLI vs Prism
// on our OpenAPI document. "First 200" is the tenant token call, which both answer without a
// token or seeded state; it is polled every 5 ms from the moment of the spawn.
import { join } from 'node:path';
import { alternate, row, target } from '../lib/rounds.mjs';
import { freePort, startEmulator, startPrism, tokenProbe } from '../lib/servers.mjs';
import { formatRatio } from '../lib/stats.mjs';

export default {
  name: 'cold-start',
  title: 'Cold start: emulator vs Prism',
  async run({ work, coldRounds, log }) {
    const sides = [
      {
        name: 'emulator',
        start: (port, round) =>
          startEmulator({
            port,
            dataDir: join(work, `blobs-${round}`),
            probe: tokenProbe(`http://127.0.0.1:${port}`),
          }),
      },
      { name: 'Prism', start: (port) => startPrism({ port, probe: tokenProbe(`http://127.0.0.1:${port}`) }) },
    ];
    const values = await alternate({
      sides,
      rounds: coldRounds,
      log,
      label: 'cold start ',
      measure: async (side, round) => {
        const port = await freePort();
        const started = performance.now();
        const server = await side.start(port, round);
        const ms = performance.now() - started;
        await server.stop();
        return ms;
      },
    });
    const startRow = row('spawn → first 200', 'ms', values, [['emulator', 'Prism']]);
    const emulatorMs = startRow.sides[0].median;
    return {
      rows: [startRow],
      targets: [
        target('Cold start ≤ 1 s', emulatorMs / 1000, '<=', 1, (s) =>
          Number.isFinite(s) ? `${s.toFixed(2)} s` : 'n/a',
        ),
        target("Cold start ≤ 0.5 × Prism's", startRow.ratios[0].value, '<=', 0.5, formatRatio),
      ],
      notes: [`Starts per side: ${coldRounds}, alternated; each server is stopped before the next starts.`],
    };
  },
};
