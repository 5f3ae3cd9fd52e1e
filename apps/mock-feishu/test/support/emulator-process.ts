import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'mock-feishu', 'src', 'main.ts');
const HOOK = join(__dirname, 'ts-child.cjs');

export interface EmulatorProcess {
  url: string;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Sends `signal` and resolves with how it ended. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ['--conditions=@feishu-attachments/source', '-r', HOOK, MAIN, '--port', '0', '--quiet', ...args],
    { cwd: ROOT, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
    } else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

/**
 * The emulator CLI (`main.ts`) as a child process; resolves once it prints where it listens.
 * `env` replaces the environment it inherits.
 */
export async function spawnEmulator(args: string[], env?: NodeJS.ProcessEnv): Promise<EmulatorProcess> {
  const { child, output } = run(args, env);
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output());
      if (match) {
        child.stdout?.off('data', check);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) =>
      reject(new Error(`the emulator exited (${code}) before listening:\n${output()}`)),
    );
  });
  return {
    url,
    pid: child.pid as number,
    output,
    kill: (signal) => {
      const done = exited(child);
      child.kill(signal);
      return done;
    },
  };
}

/**
 * Runs the CLI expecting it to stop by itself (e.g. refusing to start); resolves with how it ended.
 * `env` replaces the environment it inherits.
 */
export async function runEmulatorToExit(
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const { child, output } = run(args, env);
  const { code } = await exited(child);
  return { code, output: output() };
}
