import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../src/adapters/sqlite/data-dir.lock.js';
import { DamagedDatabaseError, openSqlite } from '../../src/adapters/sqlite/sqlite-database.js';
import { DATABASE_FILE } from '../../src/adapters/sqlite/sqlite.store.js';
import { runEmulatorToExit, spawnEmulator } from '../support/emulator-process.js';
import { createMockFeishu, type MockFeishuFixture } from '../support/mock-feishu.fixture.js';
import { spawnUnreapedEmulator } from '../support/unreaped-emulator.js';

// One emulator per data dir, held by a lock the kernel drops when its holder dies; and a damaged
// database refused at start. The crash cases kill real processes.
describe('the data-dir lock and the start-up integrity check', () => {
  let dataDir: string;
  const runningHere: MockFeishuFixture[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mock-feishu-lock-'));
  });

  afterEach(async () => {
    for (const feishu of runningHere.splice(0)) await feishu.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const startHere = async () => {
    const feishu = await createMockFeishu({ dataDir, rateLimits: false });
    runningHere.push(feishu);
    return feishu;
  };
  const closeHere = async (feishu: MockFeishuFixture) => {
    runningHere.splice(runningHere.indexOf(feishu), 1);
    await feishu.close();
  };
  /** The error a start here fails with; a start that succeeds instead is closed after the test. */
  const refusedHere = async () => {
    try {
      runningHere.push(await createMockFeishu({ dataDir }));
      return new Error('it started');
    } catch (error) {
      return error as Error;
    }
  };
  const startChild = async () => {
    const child = await spawnEmulator(['--data-dir', dataDir]);
    cleanups.push(() => child.kill('SIGKILL'));
    return child;
  };
  /** What a pid check sees: EPERM (someone else's process, as init is to a non-root run) is alive. */
  const answers = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const owner = () => JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
  const refusal = (pid: number) =>
    new RegExp(
      `the data dir .+ is in use by another mock-feishu \\(pid ${pid}, started \\d{4}-[^)]+\\); ` +
        'stop it, or give this one another --data-dir',
    );

  it('lets a new emulator start at once on the dir of one killed with SIGKILL and not reaped yet', async () => {
    const killed = await spawnUnreapedEmulator(['--data-dir', dataDir]);
    cleanups.push(() => killed.stop());
    expect(owner().pid).toBe(killed.pid);

    await killed.killAndAwaitDeath();
    // Dead but unreaped, its pid still answers kill(pid, 0): a pid check takes it for a live owner.
    expect(answers(killed.pid)).toBe(true);

    const next = await startChild();
    expect((await fetch(new URL('/__mock/health', next.url))).status).toBe(200);
    expect(owner().pid).toBe(next.pid);
  });

  it.each([
    ['the test runner', process.ppid],
    ['init', 1],
  ])('is not blocked by a lock file left naming a live unrelated process (%s)', async (_, pid) => {
    // The format an older emulator (or a kill -9) leaves behind.
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    expect(answers(pid)).toBe(true);

    await startHere();
    expect(owner().pid).toBe(process.pid);
  });

  it('refuses a second emulator in this process or another while one runs here, and frees the dir on close', async () => {
    const first = await startHere();

    const here = await refusedHere();
    expect(here).toBeInstanceOf(DataDirLockedError);
    expect(here.message).toMatch(refusal(process.pid));
    // The refused start closed its own connection to the lock without letting go of the first's.
    const elsewhere = await runEmulatorToExit(['--data-dir', dataDir]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.output).toMatch(refusal(process.pid));
    expect((await first.call('GET', '/__mock/health')).status).toBe(200);

    await closeHere(first);
    await closeHere(await startHere());
  });

  it('refuses an emulator here while another process holds the dir, naming its pid', async () => {
    const child = await startChild();
    const here = await refusedHere();
    expect(here).toBeInstanceOf(DataDirLockedError);
    expect(here.message).toMatch(refusal(child.pid));
    expect((await fetch(new URL('/__mock/health', child.url))).status).toBe(200);
  });

  it('refuses a damaged database at start, here and through the CLI (exit 1), leaving it as it was', async () => {
    const feishu = await startHere();
    for (let index = 0; index < 60; index++)
      await feishu.seeder.createTask({ summary: `task ${index} ${'x'.repeat(1000)}` });
    await closeHere(feishu);
    const file = join(dataDir, DATABASE_FILE);
    // The tasks table's root page, which nothing reads at start: only a check of the whole file sees it.
    const db = openSqlite(file, { readOnly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const root = db
      .prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'tasks'`)
      .pluck()
      .get() as number;
    db.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (root - 1) * pageSize);
    closeSync(fd);
    const damaged = readFileSync(file);
    expect(damaged.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');

    const here = await refusedHere();
    expect(here).toBeInstanceOf(DamagedDatabaseError);
    const message = here.message;
    expect(message).toContain(`${file} is damaged (`);
    expect(message).toContain('--import <snapshot> --data-dir <new dir>');
    expect(message).toContain(`or move ${file} (with its -wal and -shm files) away`);

    const cli = await spawnEmulator(['--data-dir', dataDir]).then(
      async (running) => {
        await running.kill('SIGKILL');
        return 'it started';
      },
      (error: Error) => error.message,
    );
    expect(cli).toContain('the emulator exited (1) before listening');
    expect(cli).toContain(`mock-feishu: could not start: ${message}`);
    expect(readFileSync(file).equals(damaged)).toBe(true);
    // The refusals let go of the lock: the dir is free for whoever repairs it.
    lockDataDir(dataDir).release();
  });
});
