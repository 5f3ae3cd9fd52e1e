import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareRuns, type StepComparison } from './compare.js';
import { FINE_GRAINED_SCOPES } from './fine-app.steps.js';
import { HttpSide, type FetchLike } from './http-side.js';
import { startLocalEmulator, type LocalEmulator } from './local-emulator.js';
import type { ParityOptions } from './parity.config.js';
import { redact } from './redact.js';
import { renderMarkdown, toRecord, type ParityRecord } from './report.js';
import type { SideDriver } from './side-driver.js';
import { runSuite, type SuiteRun } from './suite.js';

export interface ParityDeps {
  /** The fetch that reaches the real side (a proxy dispatcher goes in here). */
  fetch: FetchLike;
  /** How the real side lets time pass; a real sleep unless a test says otherwise. */
  wait(ms: number): Promise<void>;
  now(): Date;
  log(line: string): void;
}

export interface ParityOutcome {
  rows: StepComparison[];
  record: ParityRecord;
  markdown: string;
  files: { report: string; json: string; recording?: string };
}

/** The one scope of the read-app steps' second app (docs/parity.md). */
export const READ_ONLY_SCOPE = 'task:task:read';

/** Runs the suite on the emulator side; also used to replay a recording. */
export async function runOnEmulator(
  emulator: LocalEmulator,
  options: {
    slow: boolean;
    userSlice: boolean;
    expiredUserToken: boolean;
    /** Adds the read-app steps, with an app of the emulator holding only `task:task:read`. */
    readApp?: boolean;
    /** Adds the fine-app steps, with an app of the emulator holding only the fine-grained scopes. */
    fineApp?: boolean;
    /** Adds the tasklist step; the emulator has no tasklists, so any GUID does. */
    tasklistGuid?: string;
  },
): Promise<SuiteRun> {
  const side: SideDriver = {
    label: 'emulator',
    http: new HttpSide(emulator.url, (url, init) => fetch(url, init)),
    appId: emulator.appId,
    appSecret: emulator.appSecret,
    userToken: options.userSlice ? await emulator.userToken() : undefined,
    readApp: options.readApp ? await emulator.createApp([READ_ONLY_SCOPE]) : undefined,
    fineApp: options.fineApp ? await emulator.createApp([...FINE_GRAINED_SCOPES]) : undefined,
    tasklistGuid: options.tasklistGuid,
    expiredUserToken: options.expiredUserToken
      ? async () => {
          const token = await emulator.userToken();
          // Past the user token's 2 hours; this step runs last, and clean-up asks for a fresh token.
          await emulator.advance(7201 * 1000);
          return token;
        }
      : undefined,
    wait: (ms) => emulator.advance(ms),
  };
  return runSuite(side, { slow: options.slow });
}

/** The whole command: both runs, the comparison, and the redacted report files. */
export async function runParity(options: ParityOptions, deps: ParityDeps): Promise<ParityOutcome> {
  const real: SideDriver = {
    label: 'real',
    http: new HttpSide(options.baseUrl, deps.fetch),
    appId: options.appId,
    appSecret: options.appSecret,
    userToken: options.userAccessToken,
    readApp: options.readApp,
    fineApp: options.fineApp,
    tasklistGuid: options.tasklistGuid,
    expiredUserToken: options.expiredUserAccessToken
      ? async () => options.expiredUserAccessToken as string
      : undefined,
    wait: deps.wait,
  };
  deps.log(
    `parity: running the suite against ${new URL(options.baseUrl).host}${options.slow ? ' (--slow: about 3 minutes)' : ''}`,
  );
  const realRun = await runSuite(real, { slow: options.slow });

  const emulator = await startLocalEmulator(options.emulatorArgs);
  let emulatorRun: SuiteRun;
  try {
    deps.log(`parity: running the suite against mock-feishu ${options.emulatorArgs.join(' ')}`.trimEnd());
    emulatorRun = await runOnEmulator(emulator, {
      slow: options.slow,
      userSlice: options.userAccessToken !== undefined,
      expiredUserToken: options.expiredUserAccessToken !== undefined,
      readApp: options.readApp !== undefined,
      fineApp: options.fineApp !== undefined,
      tasklistGuid: options.tasklistGuid,
    });
  } finally {
    await emulator.close();
  }

  const rows = compareRuns(realRun.steps, emulatorRun.steps);
  const createdAt = deps.now().toISOString();
  const record = toRecord(
    rows,
    {
      createdAt,
      realHost: new URL(options.baseUrl).host,
      emulatorArgs: options.emulatorArgs,
      slow: options.slow,
    },
    { real: realRun.cleanup, emulator: emulatorRun.cleanup },
  );
  const secrets = [
    ...realRun.secrets,
    ...emulatorRun.secrets,
    options.appSecret,
    ...(options.readApp ? [options.readApp.appSecret] : []),
    ...(options.fineApp ? [options.fineApp.appSecret] : []),
  ];
  const json = redact(`${JSON.stringify(record, null, 2)}\n`, secrets);
  const markdown = redact(renderMarkdown(record), secrets);

  await mkdir(options.outDir, { recursive: true });
  const files: ParityOutcome['files'] = {
    report: join(options.outDir, 'parity-report.md'),
    json: join(options.outDir, 'parity-observations.json'),
  };
  await writeFile(files.report, markdown);
  await writeFile(files.json, json);
  if (options.record) {
    await mkdir(options.recordDir, { recursive: true });
    const name = `${createdAt.slice(0, 10)}-${record.realHost.replace(/[^A-Za-z0-9.-]/g, '_')}.json`;
    files.recording = join(options.recordDir, name);
    await writeFile(files.recording, json);
  }
  return { rows, record: JSON.parse(json) as ParityRecord, markdown, files };
}
