import { stripVTControlCharacters } from 'node:util';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WORKSPACE = resolve(__dirname, '../../..');
const SKIPPED = new Set(['.git', '.nx', 'dist', 'tmp', 'coverage']);
const APP = 'demo-app';

/** The environment of a fresh shell: nothing of the Nx task or Jest worker this spec runs in. */
function freshEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('NX_') && !key.startsWith('JEST_')),
  );
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', PACT_DO_NOT_TRACK: 'true', PRISM_REFEREE: '' };
}

describe('nx g @feishu-attachments/workspace:consumer, in a copy of the workspace', () => {
  let copy: string;
  const inCopy = (command: string, args: string[]) =>
    run(command, args, { cwd: copy, env: freshEnv(), maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string; message: string }) =>
        Promise.reject(new Error(`${command} ${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`)),
    );

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'feishu-generator-'));
    // Source files are copied; every node_modules folder is linked, so nothing is installed.
    cpSync(WORKSPACE, copy, {
      recursive: true,
      filter: (source) => {
        const name = source.split('/').pop()!;
        if (name === 'node_modules') {
          symlinkSync(source, join(copy, relative(WORKSPACE, source)));
          return false;
        }
        return !SKIPPED.has(name) && !source.startsWith(join(WORKSPACE, 'apps', APP));
      },
    });
  });

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('creates an app that passes prettier, its own targets, and whose pact the emulator verifies', async () => {
    await inCopy('npx', ['nx', 'g', '@feishu-attachments/workspace:consumer', APP, '--no-interactive']);
    await inCopy('npx', ['prettier', '--check', `apps/${APP}`]);

    await inCopy('npx', [
      'nx',
      'run-many',
      '-t',
      'lint',
      'typecheck',
      'build',
      'test',
      'pact',
      '-p',
      APP,
      '--output-style=static',
    ]);
    const pactFile = join(copy, 'pacts', `${APP}-mock-feishu.json`);
    expect(existsSync(pactFile)).toBe(true);
    expect(JSON.parse(readFileSync(pactFile, 'utf8')).consumer.name).toBe(APP);

    // Verification replays every consumer's pact; it fails for a tagged project without one.
    const { stdout } = await inCopy('npx', ['nx', 'run', 'mock-feishu:pact-verify', '--output-style=static']);
    // Nx colours its summary under CI=true; the words are what count.
    expect(stripVTControlCharacters(stdout)).toMatch(/Successfully ran target pact-verify/);
  });
});
