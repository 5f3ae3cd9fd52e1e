import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, type StepComparison } from './compare.js';
import { startLocalEmulator } from './local-emulator.js';
import type { ParityRecord } from './report.js';
import { runOnEmulator } from './run-parity.js';

/** The recordings kept under a folder (docs/parity/), by file name. */
export function readRecordings(dir: string): { file: string; record: ParityRecord }[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((file) => ({
    file,
    record: JSON.parse(readFileSync(join(dir, file), 'utf8')) as ParityRecord,
  }));
}

/**
 * Runs the suite on a fresh emulator (started with the recording's flags unless told otherwise)
 * and compares it with what the real tenant answered when the recording was made.
 */
export async function replayRecording(
  record: ParityRecord,
  options: { emulatorArgs?: string[] } = {},
): Promise<StepComparison[]> {
  const ran = (id: string) => record.steps.find((step) => step.id === id)?.real.observation !== undefined;
  const emulator = await startLocalEmulator(options.emulatorArgs ?? record.emulatorArgs);
  try {
    const run = await runOnEmulator(emulator, {
      slow: record.slow,
      userSlice: ran('user-task-create'),
      expiredUserToken: ran('expired-user-token'),
      readApp: ran('read-app-add-follower'),
      fineApp: ran('fine-app-add-assignee'),
      // The emulator has no tasklists: any GUID stands for the tenant's.
      tasklistGuid: ran('task-create-in-tasklist') ? randomUUID() : undefined,
    });
    return compareRuns(
      record.steps.map((step) => step.real),
      run.steps,
    );
  } finally {
    await emulator.close();
  }
}

/** Steps where the emulator now answers unlike the tenant did, minus those the recording accepts. */
export function drift(record: ParityRecord, rows: StepComparison[]): string[] {
  return rows
    .filter((row) => row.verdict === 'different' && !(row.id in record.acceptedDifferences))
    .filter((row) => record.steps.find((step) => step.id === row.id)?.real.skipped === undefined)
    .map((row) => `${row.id}: ${row.differences.join('; ')}`);
}
