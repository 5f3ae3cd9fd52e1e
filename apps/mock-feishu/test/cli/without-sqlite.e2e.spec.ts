import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEmulatorToExit, spawnEmulator } from '../support/emulator-process.js';

// better-sqlite3 is an optional peer dependency and node:sqlite needs Node 22.13+: on a machine with
// neither, the in-memory emulator runs as ever and a data dir is refused at start, saying what to do.
describe('the emulator on a machine without SQLite', () => {
  const HIDE = join(__dirname, '..', 'support', 'without-sqlite.cjs');
  const { MOCK_FEISHU_SQLITE_DRIVER: _forced, ...inherited } = process.env;
  const env = { ...inherited, NODE_OPTIONS: `${inherited.NODE_OPTIONS ?? ''} --require=${HIDE}`.trim() };
  let work: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'mock-feishu-no-sqlite-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('starts in memory and answers', async () => {
    const emulator = await spawnEmulator([], env);
    try {
      expect((await fetch(new URL('/__mock/health', emulator.url))).status).toBe(200);
    } finally {
      await emulator.kill('SIGKILL');
    }
  });

  it('refuses --data-dir at start (exit 1), naming the package, the command and the Node to run on', async () => {
    const dataDir = join(work, 'state');
    const { code, output } = await runEmulatorToExit(['--data-dir', dataDir], env);
    expect(code).toBe(1);
    expect(output).toContain(
      `mock-feishu: could not start: no SQLite for --data-dir (or --import) on Node ${process.version}`,
    );
    expect(output).toContain(
      'install the optional peer dependency better-sqlite3 (npm install better-sqlite3@12)',
    );
    expect(output).toContain('or run on Node 22.13+');
    // Refused before anything is made.
    expect(existsSync(dataDir)).toBe(false);
  });
});
