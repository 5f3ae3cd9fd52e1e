// 2. Cold start: from spawning the process to its first 200, the emulator's built CLI vs Prism
// on our OpenAPI document. "First 200" is the tenant token call, which both answer without a
// token or seeded state; it is polled every 5 ms from the moment of the spawn. Also the CLI's
// `--help`, spawn to exit: it must answer without loading the emulator (Nest, Express, SQLite).
import { once } from 'node:events';
import { join } from 'node:path';
import { alternate, row, target } from '../lib/rounds.mjs';
import {
  EMULATOR_MAIN,
  freePort,
  spawnNode,
  startEmulator,
  startPrism,
  tokenProbe,
} from '../lib/servers.mjs';
import { formatRatio } from '../lib/stats.mjs';

export default {
  name: 'cold-start',
  title: 'Cold start: emulator vs Prism',
  async run({ work, coldRounds, log }) {
    const helpValues = await alternate({
      sides: [{ name: 'emulator' }],
      rounds: coldRounds,
      log,
      label: '--help ',
      measure: async () => {
        const started = performance.now();
        const entry = spawnNode('mock-feishu --help', [EMULATOR_MAIN, '--help']);
        // All it printed: the help has outgrown the tail spawnNode keeps for error messages.
        let printed = '';
        entry.child.stdout.on('data', (chunk) => (printed += chunk));
        const [code] = await once(entry.child, 'exit');
        const ms = performance.now() - started;
        if (!entry.child.stdout.readableEnded) await once(entry.child.stdout, 'end');
        if (code !== 0 || !printed.includes('Usage: mock-feishu')) {
          throw new Error(`mock-feishu --help exited ${code}:\n${entry.output()}`);
        }
        return ms;
      },
    });
    const helpRow = row('spawn → `--help` answered (exit)', 'ms', helpValues);
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
      rows: [startRow, helpRow],
      targets: [
        target('Cold start ≤ 1 s', emulatorMs / 1000, '<=', 1, (s) =>
          Number.isFinite(s) ? `${s.toFixed(2)} s` : 'n/a',
        ),
        target("Cold start ≤ 0.5 × Prism's", startRow.ratios[0].value, '<=', 0.5, formatRatio),
        target('`mock-feishu --help` ≤ 0.3 s', helpRow.sides[0].median / 1000, '<=', 0.3, (s) =>
          Number.isFinite(s) ? `${s.toFixed(2)} s` : 'n/a',
        ),
      ],
      notes: [
        `Starts per side: ${coldRounds}, alternated; each server is stopped before the next starts.`,
        `\`--help\`: ${coldRounds} runs of \`node apps/mock-feishu/dist/main.js --help\`, spawn to exit, before the starts.`,
      ],
    };
  },
};
