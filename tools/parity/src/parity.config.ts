import { parseArgs } from 'node:util';

export const PARITY_USAGE = `Usage: npm run parity -- --base-url <url> --app-id <id> --app-secret <secret> [options]

Runs a fixed scenario suite against a Feishu or Lark open platform (a test tenant) and against
an emulator it starts itself, and writes a report of where the two answer differently.

  --base-url <url>                 https://open.feishu.cn or https://open.larksuite.com   PARITY_BASE_URL
  --app-id <id>                    a self-built app of the test tenant                      PARITY_APP_ID
  --app-secret <secret>            its secret                                               PARITY_APP_SECRET
  --user-access-token <token>      adds the user-token steps                                PARITY_USER_ACCESS_TOKEN
  --expired-user-access-token <t>  adds the expired-user-token step                         PARITY_EXPIRED_USER_ACCESS_TOKEN
  --slow                           adds a download after 3 minutes (the run then waits)
  --emulator-args "<flags>"        flags for the emulator side, e.g. "--download-refusal-status 404"
  --out <dir>                      where the report goes (default tmp/parity)
  --record                         also keep the observations under docs/parity/ for the replay test
  --help                           this text

HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured for the real side.
`;

export interface ParityOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  userAccessToken?: string;
  expiredUserAccessToken?: string;
  slow: boolean;
  emulatorArgs: string[];
  outDir: string;
  record: boolean;
  recordDir: string;
  proxy: { httpsProxy?: string; httpProxy?: string; noProxy?: string };
}

export class ParityConfigError extends Error {
  override name = 'ParityConfigError';
}

export type ParityCommand = { kind: 'help' } | { kind: 'run'; options: ParityOptions };

/** The only place the parity command reads its command line and environment. */
export function loadParityConfig(argv: string[], env: NodeJS.ProcessEnv): ParityCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'base-url': { type: 'string' },
        'app-id': { type: 'string' },
        'app-secret': { type: 'string' },
        'user-access-token': { type: 'string' },
        'expired-user-access-token': { type: 'string' },
        slow: { type: 'boolean' },
        'emulator-args': { type: 'string' },
        out: { type: 'string' },
        record: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ParityConfigError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const pick = (flag: string | undefined, name: string) => {
    const value = (flag ?? env[name])?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const baseUrl = pick(values['base-url'], 'PARITY_BASE_URL');
  const appId = pick(values['app-id'], 'PARITY_APP_ID');
  const appSecret = pick(values['app-secret'], 'PARITY_APP_SECRET');
  const missing = [
    baseUrl ? undefined : '--base-url',
    appId ? undefined : '--app-id',
    appSecret ? undefined : '--app-secret',
  ].filter(Boolean);
  if (missing.length > 0) throw new ParityConfigError(`missing ${missing.join(', ')}`);
  let url: URL;
  try {
    url = new URL(baseUrl as string);
  } catch {
    throw new ParityConfigError(`--base-url: not a URL (got ${JSON.stringify(baseUrl)})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ParityConfigError(`--base-url: must be http(s) (got ${JSON.stringify(baseUrl)})`);
  }
  const proxyVar = (name: string) => pick(undefined, name) ?? pick(undefined, name.toLowerCase());
  return {
    kind: 'run',
    options: {
      baseUrl: url.toString().replace(/\/+$/, ''),
      appId: appId as string,
      appSecret: appSecret as string,
      userAccessToken: pick(values['user-access-token'], 'PARITY_USER_ACCESS_TOKEN'),
      expiredUserAccessToken: pick(values['expired-user-access-token'], 'PARITY_EXPIRED_USER_ACCESS_TOKEN'),
      slow: values.slow ?? false,
      emulatorArgs: (values['emulator-args'] ?? '').split(/\s+/).filter((arg) => arg !== ''),
      outDir: values.out ?? 'tmp/parity',
      record: values.record ?? false,
      recordDir: 'docs/parity',
      proxy: {
        httpsProxy: proxyVar('HTTPS_PROXY'),
        httpProxy: proxyVar('HTTP_PROXY'),
        noProxy: proxyVar('NO_PROXY'),
      },
    },
  };
}
