import { parseArgs } from 'node:util';

export const PARITY_USAGE = `Usage: PARITY_APP_SECRET=… npm run parity -- --base-url <url> --app-id <id> [options]

Runs a fixed scenario suite against a Feishu or Lark open platform (a test tenant) and against
an emulator it starts itself, and writes a report of where the two answer differently.

  --base-url <url>                 https://open.feishu.cn or https://open.larksuite.com   PARITY_BASE_URL
  --app-id <id>                    a self-built app of the test tenant                      PARITY_APP_ID
  --slow                           adds a download after 3 minutes (the run then waits)
  --read-app-id <id>               a second app holding only task:task:read                 PARITY_READ_APP_ID
                                   (its secret in PARITY_READ_APP_SECRET): adds the read-app steps
  --fine-app-id <id>               an app holding only task:attachment:upload and           PARITY_FINE_APP_ID
                                   task:attachment:delete (its secret in PARITY_FINE_APP_SECRET):
                                   adds the fine-app steps
  --tasklist-guid <guid>           a tasklist the app may add tasks to                      PARITY_TASKLIST_GUID
                                   adds the task-create-in-tasklist step
  --emulator-args "<flags>"        flags for the emulator side, e.g. "--download-refusal-status 404"
  --out <dir>                      where the report goes (default tmp/parity)
  --record                         also keep the observations under docs/parity/ for the replay test
  --help                           this text

The secret and the tokens come from the environment only (on the command line npm would echo them,
and the shell history and ps would keep them); read -rs PARITY_APP_SECRET; export PARITY_APP_SECRET
sets one without either:

  PARITY_APP_SECRET                the app's secret (required)
  PARITY_USER_ACCESS_TOKEN         a user access token: adds the user-token steps
  PARITY_EXPIRED_USER_ACCESS_TOKEN an expired user access token: adds the expired-user-token step
  PARITY_READ_APP_SECRET           the secret of the --read-app-id app
  PARITY_FINE_APP_SECRET           the secret of the --fine-app-id app

HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured for the real side.
`;

/**
 * The secrets and their variables. Given as flags they are refused: npm echoes the command line
 * (into the output docs/parity.md asks to attach to an issue), and the shell history and ps keep it.
 */
const SECRET_FLAGS = {
  'app-secret': 'PARITY_APP_SECRET',
  'user-access-token': 'PARITY_USER_ACCESS_TOKEN',
  'expired-user-access-token': 'PARITY_EXPIRED_USER_ACCESS_TOKEN',
  'read-app-secret': 'PARITY_READ_APP_SECRET',
  'fine-app-secret': 'PARITY_FINE_APP_SECRET',
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const OPTIONS = {
  'base-url': { type: 'string' },
  'app-id': { type: 'string' },
  slow: { type: 'boolean' },
  'read-app-id': { type: 'string' },
  'fine-app-id': { type: 'string' },
  'tasklist-guid': { type: 'string' },
  'emulator-args': { type: 'string' },
  out: { type: 'string' },
  record: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface ParityOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  userAccessToken?: string;
  expiredUserAccessToken?: string;
  /** A second app holding only `task:task:read`: adds the read-app steps. */
  readApp?: { appId: string; appSecret: string };
  /** An app holding only the fine-grained attachment scopes: adds the fine-app steps. */
  fineApp?: { appId: string; appSecret: string };
  /** A tasklist of the tenant: adds the task-create-in-tasklist step. */
  tasklistGuid?: string;
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
  refuseSecretFlags(argv);
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: OPTIONS }));
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
  const appSecret = pick(undefined, SECRET_FLAGS['app-secret']);
  const missing = [
    baseUrl ? undefined : '--base-url (or PARITY_BASE_URL)',
    appId ? undefined : '--app-id (or PARITY_APP_ID)',
    appSecret
      ? undefined
      : 'PARITY_APP_SECRET in the environment (read -rs PARITY_APP_SECRET; export PARITY_APP_SECRET)',
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
  const secondApp = (flag: 'read-app' | 'fine-app') => {
    const idVariable = `PARITY_${flag.replace('-', '_').toUpperCase()}_ID`;
    const secretVariable = SECRET_FLAGS[`${flag}-secret`];
    const appId = pick(values[`${flag}-id`], idVariable);
    const appSecret = pick(undefined, secretVariable);
    if (appId && !appSecret) {
      throw new ParityConfigError(
        `missing ${secretVariable} in the environment for --${flag}-id (read -rs ${secretVariable}; export ${secretVariable})`,
      );
    }
    if (appSecret && !appId) {
      throw new ParityConfigError(`${secretVariable} is set without --${flag}-id (or ${idVariable})`);
    }
    return appId && appSecret ? { appId, appSecret } : undefined;
  };
  const readApp = secondApp('read-app');
  const fineApp = secondApp('fine-app');
  const tasklistGuid = pick(values['tasklist-guid'], 'PARITY_TASKLIST_GUID');
  if (tasklistGuid !== undefined && !GUID.test(tasklistGuid)) {
    throw new ParityConfigError(`--tasklist-guid: not a GUID (got ${JSON.stringify(tasklistGuid)})`);
  }
  const proxyVar = (name: string) => pick(undefined, name) ?? pick(undefined, name.toLowerCase());
  return {
    kind: 'run',
    options: {
      baseUrl: url.toString().replace(/\/+$/, ''),
      appId: appId as string,
      appSecret: appSecret as string,
      userAccessToken: pick(undefined, SECRET_FLAGS['user-access-token']),
      expiredUserAccessToken: pick(undefined, SECRET_FLAGS['expired-user-access-token']),
      readApp,
      fineApp,
      tasklistGuid,
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

/**
 * Refuses a secret given as a flag (`--app-secret x` or `--app-secret=x`), naming its variable and
 * never its value. A lenient first pass finds the flags as options, so a value of another option
 * (`--emulator-args "--app-secret x"`) is not mistaken for one.
 */
function refuseSecretFlags(argv: string[]): void {
  const secretOptions = Object.fromEntries(
    Object.keys(SECRET_FLAGS).map((flag) => [flag, { type: 'string' as const }]),
  );
  const { tokens } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: { ...OPTIONS, ...secretOptions },
  });
  const given = new Set(
    tokens.flatMap((token) => (token.kind === 'option' && token.name in SECRET_FLAGS ? [token.name] : [])),
  );
  const refusals = Object.entries(SECRET_FLAGS)
    .filter(([flag]) => given.has(flag))
    .map(
      ([flag, variable]) =>
        `--${flag} is not accepted on the command line: it would be echoed by npm and kept in shell history and ps; set ${variable} instead`,
    );
  if (refusals.length > 0) throw new ParityConfigError(refusals.join('\n'));
}
