import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalEmulator } from '../src/local-emulator.js';
import type { ParityRecord } from '../src/report.js';
import { drift, readRecordings, replayRecording } from '../src/replay.js';
import { runParity } from '../src/run-parity.js';

const RECORDINGS = join(__dirname, '..', '..', '..', 'docs', 'parity');

describe('recordings of real tenants (docs/parity/*.json)', () => {
  // Each recording is what a real tenant answered; the emulator, started with the recording's
  // flags, must still answer the same, except where the recording accepts a difference.
  const recordings = readRecordings(RECORDINGS);

  it('reads every JSON file there as a parity record', () => {
    const jsonFiles = readdirSync(RECORDINGS).filter((name) => name.endsWith('.json'));

    expect(recordings.map((recording) => recording.file)).toEqual(jsonFiles.sort());
    for (const { file, record } of recordings) {
      expect({ file, format: record.format }).toEqual({ file, format: 'feishu-attachments-parity/1' });
    }
  });

  for (const { file, record } of recordings) {
    it(`replays ${file} without drift`, async () => {
      expect(drift(record, await replayRecording(record))).toEqual([]);
    });
  }
});

describe('--record and the replay', () => {
  it('keeps the real side under the record folder, and the replay fails once the emulator drifts from it', async () => {
    const real = await startLocalEmulator(['--download-refusal-status', '410']);
    const out = mkdtempSync(join(tmpdir(), 'parity-'));
    try {
      const outcome = await runParity(
        {
          baseUrl: real.url,
          appId: real.appId,
          appSecret: real.appSecret,
          slow: false,
          // The emulator side already mimics the tenant's refusal status, so the recording is clean.
          emulatorArgs: ['--download-refusal-status', '410'],
          outDir: out,
          record: true,
          recordDir: join(out, 'recordings'),
          proxy: {},
        },
        {
          fetch: (url, init) => fetch(url, init),
          wait: async () => undefined,
          now: () => new Date('2026-12-01T09:00:00Z'),
          log: () => undefined,
        },
      );
      const [{ file, record }] = readRecordings(join(out, 'recordings'));

      expect(outcome.files.recording).toBe(join(out, 'recordings', file));
      expect(file).toBe(`2026-12-01-${new URL(real.url).host.replace(':', '_')}.json`);
      expect(record.summary.different).toBe(0);
      expect(JSON.parse(readFileSync(outcome.files.json, 'utf8'))).toEqual(record);
      // The same flags: no drift. The default flags: the fourth download, and the one after its
      // task's delete, now answer 403, not 410.
      expect(drift(record, await replayRecording(record))).toEqual([]);
      const drifted = drift(record, await replayRecording(record, { emulatorArgs: [] }));
      expect(drifted).toEqual([
        expect.stringMatching(/^download-4: HTTP status: real 410, emulator 403/),
        expect.stringMatching(/^download-after-task-delete: HTTP status: real 410, emulator 403/),
      ]);
      // A difference the recording accepts, with a reason, no longer fails the replay.
      const accepting: ParityRecord = {
        ...record,
        acceptedDifferences: { 'download-4': 'known', 'download-after-task-delete': 'known' },
      };
      expect(drift(accepting, await replayRecording(accepting, { emulatorArgs: [] }))).toEqual([]);
    } finally {
      await real.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
