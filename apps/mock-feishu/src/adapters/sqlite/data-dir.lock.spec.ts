import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_DATABASE, LOCK_FILE, lockDataDir } from './data-dir.lock.js';

describe('lockDataDir', () => {
  let dir: string;
  const held: { release(): void }[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mock-feishu-lock-unit-'));
  });

  afterEach(() => {
    for (const lock of held.splice(0)) lock.release();
    rmSync(dir, { recursive: true, force: true });
  });

  const lock = () => {
    const taken = lockDataDir(dir);
    held.push(taken);
    return taken;
  };

  it('records its owner while held, refuses a second taker naming it, and is free again once released', () => {
    const first = lock();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`(pid ${process.pid}, started `);

    first.release();
    first.release(); // a second release is harmless
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lock();
  });

  it('words the refusal without a pid when the owner record is gone', () => {
    lock();
    rmSync(join(dir, LOCK_FILE));
    expect(() => lockDataDir(dir)).toThrow('(pid unknown, started at an unknown time)');
  });

  it('takes over a lock database that is not a database, leaving it empty', () => {
    writeFileSync(join(dir, LOCK_DATABASE), '{"pid":1,"host":"h","startedAt":"then"}');
    lock();
    expect(statSync(join(dir, LOCK_DATABASE)).size).toBe(0);
  });
});
