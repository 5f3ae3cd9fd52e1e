import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A mock-feishu started as its own process, driven through its control plane. */
export interface LocalEmulator {
  url: string;
  appId: string;
  appSecret: string;
  /** Moves the emulator's clock instead of waiting. */
  advance(ms: number): Promise<void>;
  /** A user and a token for it, as a tenant's user would have. */
  userToken(): Promise<string>;
  /** `POST /__mock/apps`: a second app of the tenant holding only these scopes. */
  createApp(scopes: string[]): Promise<{ appId: string; appSecret: string }>;
  /** `POST /__mock/faults`: the next matching calls fail. */
  addFault(rule: Record<string, unknown>): Promise<void>;
  /** `GET /__mock/requests`: the calls the emulator saw. */
  journal(): Promise<{ method: string; path: string; status: number; operation?: string }[]>;
  close(): Promise<void>;
}

/**
 * The built emulator binary. The parity command runs it as a black box, the way a user does,
 * so the same flags (`--download-refusal-status 404`, …) reproduce what a tenant answered.
 */
export function emulatorMain(): string {
  // By path, not by package: a tool may not import an app, and only the built binary is run.
  // src/ (under Jest) and dist/ (the built command) sit at the same depth below the workspace.
  const main = join(__dirname, '..', '..', '..', 'apps', 'mock-feishu', 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build it with npx nx run mock-feishu:build`);
  return main;
}

const STARTUP_TIMEOUT_MS = 60_000;

export async function startLocalEmulator(args: readonly string[] = []): Promise<LocalEmulator> {
  const child = spawn(process.execPath, [emulatorMain(), '--port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { url, appId, appSecret } = await listening(child);

  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/__mock/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /__mock/${path} answered ${response.status}: ${text}`);
    return JSON.parse(text);
  };

  return {
    url,
    appId,
    appSecret,
    advance: async (ms) => void (await control('POST', 'clock', { advanceMs: ms })),
    userToken: async () => {
      const user = await control('POST', 'users', { name: 'Parity User' });
      return (await control('POST', 'user-access-tokens', { open_id: user.open_id })).access_token;
    },
    createApp: async (scopes) => {
      const app = {
        appId: `cli_parity_${randomBytes(6).toString('hex')}`,
        appSecret: randomBytes(16).toString('hex'),
      };
      await control('POST', 'apps', { app_id: app.appId, app_secret: app.appSecret, scopes });
      return app;
    },
    addFault: async (rule) => void (await control('POST', 'faults', rule)),
    journal: async () => (await control('GET', 'requests?limit=1000')).items,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

function listening(child: ChildProcess): Promise<{ url: string; appId: string; appSecret: string }> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mock-feishu did not start within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      if (output.length < 20_000) output += chunk.toString();
      const url = /mock-feishu listening on (\S+)/.exec(output)?.[1];
      const app = /app_id (\S+)\s+app_secret (\S+)/.exec(output);
      if (url && app) {
        clearTimeout(timer);
        resolve({ url, appId: app[1], appSecret: app[2] });
      }
    };
    // Reading both streams also keeps the child from blocking on a full pipe.
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock-feishu exited with ${code} before it listened:\n${output}`));
    });
  });
}
