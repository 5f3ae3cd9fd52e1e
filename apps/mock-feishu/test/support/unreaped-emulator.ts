import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

const ROOT = join(__dirname, '..', '..', '..', '..');
const MAIN = join(ROOT, 'apps', 'mock-feishu', 'src', 'main.ts');
const HOOK = join(__dirname, 'ts-child.cjs');

// The emulator's parent: a Node that inherits it from `sh -c '(…) & exec node'`, so libuv, which
// waits only for children it spawned itself, never reaps it. SIGCHLD reaches it once the kernel
// has closed the dead child's files (and dropped its locks), and it says so.
const PARENT = `process.on('SIGCHLD', () => console.log('parent: child exited'));
console.log('parent: ready');
setInterval(() => undefined, 1 << 30);`;

export interface UnreapedEmulator {
  url: string;
  /** The emulator's pid (not its parent's). */
  pid: number;
  output(): string;
  /** SIGKILL; resolves once it is dead but, its parent never waiting for it, still a zombie. */
  killAndAwaitDeath(): Promise<void>;
  /** Ends the emulator (if alive) and its parent, which hands the zombie to init to reap. */
  stop(): Promise<void>;
}

/**
 * The emulator CLI (`main.ts`, from its sources as in emulator-process.ts) whose death nobody
 * reaps: killed, its pid stays in the process table and `kill(pid, 0)` still succeeds on it,
 * as with a killed process lingering on a loaded machine before its parent waits for it.
 */
export async function spawnUnreapedEmulator(args: string[]): Promise<UnreapedEmulator> {
  const emulatorArgs = [
    '--conditions=@feishu-attachments/source',
    '-r',
    HOOK,
    MAIN,
    '--port',
    '0',
    '--quiet',
  ];
  // The emulator waits for a line on fd 3 before it runs, so that it cannot die unnoticed before
  // its parent listens for SIGCHLD.
  const script = [
    'node="$0"',
    '( read go; exec "$node" "$@" ) <&3 &',
    'echo "emulator pid $!"',
    'exec "$node" -e "$PARENT" 3<&-',
  ].join('\n');
  const parent = spawn('/bin/sh', ['-c', script, process.execPath, ...emulatorArgs, ...args], {
    cwd: ROOT,
    env: { ...process.env, PARENT },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let text = '';
  let parentGone = false;
  const waiters: {
    pattern: RegExp;
    resolve: (match: RegExpExecArray) => void;
    reject: (error: Error) => void;
  }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(text);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  parent.stdout?.on('data', onData);
  parent.stderr?.on('data', onData);
  const parentExited = new Promise<void>((resolve) =>
    parent.once('exit', () => {
      parentGone = true;
      for (const waiter of waiters.splice(0))
        waiter.reject(new Error(`the emulator's parent exited:\n${text}`));
      resolve();
    }),
  );
  const seen = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const match = pattern.exec(text);
      if (match) resolve(match);
      else if (parentGone) reject(new Error(`the emulator's parent exited:\n${text}`));
      else waiters.push({ pattern, resolve, reject });
    });

  const pid = Number((await seen(/emulator pid (\d+)/))[1]);
  const stop = async () => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already dead
    }
    if (!parentGone) parent.kill('SIGKILL');
    await parentExited;
  };
  let listening: string | undefined;
  try {
    await seen(/parent: ready/);
    (parent.stdio[3] as Writable).end('go\n');
    listening = await Promise.race([
      seen(/listening on (http:\/\/\S+)/).then((match) => match[1]),
      seen(/parent: child exited/).then(() => undefined),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  if (listening === undefined) {
    await stop();
    throw new Error(`the emulator exited before listening:\n${text}`);
  }
  return {
    url: listening,
    pid,
    output: () => text,
    killAndAwaitDeath: async () => {
      const died = seen(/parent: child exited/);
      process.kill(pid, 'SIGKILL');
      await died;
    },
    stop,
  };
}
