import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'mock-feishu', 'src', 'main.ts');
const TS_HOOK = join(__dirname, '..', 'support', 'ts-child.cjs');
const RECORD_HOOK = join(__dirname, '..', 'support', 'record-loads.cjs');

/** What a CLI that answers from its arguments alone must not load: the server and what it stands on. */
const SERVER = /[\\/]node_modules[\\/](@nestjs|express|better-sqlite3)[\\/]|[\\/]start-mock-feishu\.[jt]s$/;

interface Run {
  code: number | null;
  output: string;
  /** Every file the process resolved or loaded through require. */
  loaded: string[];
}

/**
 * The CLI from its sources (as the other CLI specs run it), with a hook that records what it
 * loads; `until` (a pattern of its output) makes it stop with SIGKILL once that is printed (the
 * record is written as it goes).
 */
function runCli(args: string[], until?: RegExp): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'mock-feishu-cli-loads-'));
  const record = join(dir, 'loaded.txt');
  const child = spawn(
    process.execPath,
    ['--conditions=@feishu-attachments/source', '-r', TS_HOOK, '-r', RECORD_HOOK, MAIN, ...args],
    { cwd: ROOT, env: { ...process.env, RECORD_LOADS_TO: record }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (until?.test(output)) child.kill('SIGKILL');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        const loaded = readFileSync(record, 'utf8').split('\n').filter(Boolean);
        resolve({ code, output, loaded });
      } catch (error) {
        reject(new Error(`no record of loaded files (${(error as Error).message}); output:\n${output}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

// `mock-feishu --help` took about 3 s when main.ts imported the emulator (Nest, Express, SQLite)
// before reading its arguments; what answers from the arguments alone must not load it.
describe('the CLI answers from its arguments alone without loading the emulator', () => {
  it('--help prints the usage and loads no Nest, Express or SQLite', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.output).toContain('Usage: mock-feishu');
    expect(run.loaded.filter((file) => SERVER.test(file))).toEqual([]);
  });

  it('--version likewise', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.output.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.loaded.filter((file) => SERVER.test(file))).toEqual([]);
  });

  it('a refused setting likewise', async () => {
    const run = await runCli(['--port', 'nope']);
    expect(run.code).toBe(2);
    expect(run.output).toContain('--port / MOCK_FEISHU_PORT');
    expect(run.loaded.filter((file) => SERVER.test(file))).toEqual([]);
  });

  // The control: the same record shows Nest once the CLI starts the emulator, so an empty list
  // above means "not loaded" and not "not seen".
  it('starting the emulator does load Nest, and the record shows it', async () => {
    const run = await runCli(['--port', '0', '--quiet'], /listening on http:/);
    expect(run.output).toContain('listening on http:');
    expect(run.loaded.some((file) => /[\\/]node_modules[\\/]@nestjs[\\/]core[\\/]/.test(file))).toBe(true);
    expect(run.loaded.some((file) => /[\\/]start-mock-feishu\.ts$/.test(file))).toBe(true);
  });
});
