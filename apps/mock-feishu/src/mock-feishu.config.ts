import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_IDLE_BODY_TIMEOUT_MS,
  DEFAULT_PORT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DOWNLOAD_REFUSAL_STATUSES,
  EXPIRED_USER_TOKEN_CODES,
  type MockFeishuOptions,
} from './mock-feishu.settings.js';

/** What the command line understands; each flag has an environment variable twin. */
export const CLI_USAGE = `Usage: mock-feishu [options]
       mock-feishu verify-pacts <pact file or folder> [more…]   (see verify-pacts --help)

  --port <n>          port to listen on; 0 picks a free one   MOCK_FEISHU_PORT        (default ${DEFAULT_PORT})
  --host <addr>       interface to listen on; beyond loopback  MOCK_FEISHU_HOST        (default ${DEFAULT_HOST})
                      /__mock needs a control token (one is
                      generated and printed if none is given)
  --public-url <url>  base URL for download URLs               MOCK_FEISHU_PUBLIC_URL  (default: where it listens)
  --data-dir <path>   keep state there (SQLite + files); it    MOCK_FEISHU_DATA_DIR    (default: in memory)
                      survives restarts and crashes; one
                      emulator per folder
  --import <file>     start from a snapshot (GET /__mock/snapshot) MOCK_FEISHU_IMPORT  (data dir must be empty)
  --no-rate-limits    turn Feishu's rate limits off            MOCK_FEISHU_RATE_LIMITS=false
  --no-control-plane  do not serve /__mock                     MOCK_FEISHU_CONTROL_PLANE=false
  --control-token <t> require Bearer <t> on every /__mock route MOCK_FEISHU_CONTROL_TOKEN
  --app-id <id>       the seeded app's id                      MOCK_FEISHU_APP_ID      (default cli_mock_app)
  --app-secret <s>    the seeded app's secret                  MOCK_FEISHU_APP_SECRET  (default mock_app_secret)
  --download-refusal-status <403|404|410>                      MOCK_FEISHU_DOWNLOAD_REFUSAL_STATUS (default 403)
  --expired-user-token-code <99991677|99991668>                MOCK_FEISHU_EXPIRED_USER_TOKEN_CODE (default 99991677)
  --headers-timeout-ms <n>    ms for a request's headers      MOCK_FEISHU_HEADERS_TIMEOUT_MS   (default ${DEFAULT_HEADERS_TIMEOUT_MS})
  --request-timeout-ms <n>    ms for a whole request          MOCK_FEISHU_REQUEST_TIMEOUT_MS   (default ${DEFAULT_REQUEST_TIMEOUT_MS})
  --idle-body-timeout-ms <n>  ms a request body may pause,    MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS (default ${DEFAULT_IDLE_BODY_TIMEOUT_MS})
                              then it gets a 408; 0: no limit
  --quiet             no per-request log lines                 MOCK_FEISHU_QUIET=true
  --version           the emulator's version
  --help              this text
`;

const booleanText = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((value) => ['true', '1', 'on', 'yes'].includes(value));

/** Whole milliseconds, as digits only (so `1e3` or `30s` is refused rather than guessed at). */
const milliseconds = z
  .string()
  .regex(/^\d+$/, 'must be a whole number of milliseconds')
  .transform(Number)
  .pipe(z.number().int().max(2_147_483_647));

const schema = z.object({
  port: z.coerce.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  dataDir: z.string().min(1).optional(),
  importFile: z.string().min(1).optional(),
  rateLimits: booleanText.optional(),
  controlPlane: booleanText.optional(),
  controlToken: z.string().min(1).optional(),
  appId: z.string().min(1).optional(),
  appSecret: z.string().min(1).optional(),
  downloadRefusalStatus: z.coerce
    .number()
    .refine((value) => (DOWNLOAD_REFUSAL_STATUSES as readonly number[]).includes(value), {
      message: `must be one of ${DOWNLOAD_REFUSAL_STATUSES.join(', ')}`,
    })
    .optional(),
  expiredUserTokenCode: z.coerce
    .number()
    .refine((value) => (EXPIRED_USER_TOKEN_CODES as readonly number[]).includes(value), {
      message: `must be one of ${EXPIRED_USER_TOKEN_CODES.join(', ')}`,
    })
    .optional(),
  headersTimeoutMs: milliseconds.optional(),
  requestTimeoutMs: milliseconds.optional(),
  idleBodyTimeoutMs: milliseconds.optional(),
  quiet: booleanText.optional(),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: MockFeishuOptions };

/**
 * The only place the emulator reads its environment and command line. Flags win over
 * environment variables; anything invalid stops the start with a message naming it.
 */
export function loadMockFeishuConfig(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowNegative: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'public-url': { type: 'string' },
        'data-dir': { type: 'string' },
        import: { type: 'string' },
        'rate-limits': { type: 'boolean' },
        'control-plane': { type: 'boolean' },
        'control-token': { type: 'string' },
        'app-id': { type: 'string' },
        'app-secret': { type: 'string' },
        'download-refusal-status': { type: 'string' },
        'expired-user-token-code': { type: 'string' },
        'headers-timeout-ms': { type: 'string' },
        'request-timeout-ms': { type: 'string' },
        'idle-body-timeout-ms': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const blankIsUnset = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value.trim();
  const flag = (value: boolean | undefined) => (value === undefined ? undefined : String(value));
  const raw = {
    port: values.port ?? blankIsUnset(env.MOCK_FEISHU_PORT),
    host: values.host ?? blankIsUnset(env.MOCK_FEISHU_HOST),
    publicUrl: values['public-url'] ?? blankIsUnset(env.MOCK_FEISHU_PUBLIC_URL),
    dataDir: values['data-dir'] ?? blankIsUnset(env.MOCK_FEISHU_DATA_DIR),
    importFile: values.import ?? blankIsUnset(env.MOCK_FEISHU_IMPORT),
    rateLimits: flag(values['rate-limits']) ?? blankIsUnset(env.MOCK_FEISHU_RATE_LIMITS)?.toLowerCase(),
    controlPlane: flag(values['control-plane']) ?? blankIsUnset(env.MOCK_FEISHU_CONTROL_PLANE)?.toLowerCase(),
    controlToken: values['control-token'] ?? blankIsUnset(env.MOCK_FEISHU_CONTROL_TOKEN),
    appId: values['app-id'] ?? blankIsUnset(env.MOCK_FEISHU_APP_ID),
    appSecret: values['app-secret'] ?? blankIsUnset(env.MOCK_FEISHU_APP_SECRET),
    downloadRefusalStatus:
      values['download-refusal-status'] ?? blankIsUnset(env.MOCK_FEISHU_DOWNLOAD_REFUSAL_STATUS),
    expiredUserTokenCode:
      values['expired-user-token-code'] ?? blankIsUnset(env.MOCK_FEISHU_EXPIRED_USER_TOKEN_CODE),
    headersTimeoutMs: values['headers-timeout-ms'] ?? blankIsUnset(env.MOCK_FEISHU_HEADERS_TIMEOUT_MS),
    requestTimeoutMs: values['request-timeout-ms'] ?? blankIsUnset(env.MOCK_FEISHU_REQUEST_TIMEOUT_MS),
    idleBodyTimeoutMs: values['idle-body-timeout-ms'] ?? blankIsUnset(env.MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS),
    quiet: flag(values.quiet) ?? blankIsUnset(env.MOCK_FEISHU_QUIET)?.toLowerCase(),
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const names: Record<string, string> = {
      port: '--port / MOCK_FEISHU_PORT',
      host: '--host / MOCK_FEISHU_HOST',
      publicUrl: '--public-url / MOCK_FEISHU_PUBLIC_URL',
      rateLimits: '--[no-]rate-limits / MOCK_FEISHU_RATE_LIMITS',
      controlPlane: '--[no-]control-plane / MOCK_FEISHU_CONTROL_PLANE',
      controlToken: '--control-token / MOCK_FEISHU_CONTROL_TOKEN',
      downloadRefusalStatus: '--download-refusal-status / MOCK_FEISHU_DOWNLOAD_REFUSAL_STATUS',
      expiredUserTokenCode: '--expired-user-token-code / MOCK_FEISHU_EXPIRED_USER_TOKEN_CODE',
      headersTimeoutMs: '--headers-timeout-ms / MOCK_FEISHU_HEADERS_TIMEOUT_MS',
      requestTimeoutMs: '--request-timeout-ms / MOCK_FEISHU_REQUEST_TIMEOUT_MS',
      idleBodyTimeoutMs: '--idle-body-timeout-ms / MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS',
      quiet: '--quiet / MOCK_FEISHU_QUIET',
    };
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      return `${names[key] ?? key}: ${issue.message} (got ${JSON.stringify(raw[key as keyof typeof raw])})`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const { quiet, downloadRefusalStatus, expiredUserTokenCode, ...options } = parsed.data;
  return {
    kind: 'run',
    options: {
      ...options,
      downloadRefusalStatus: downloadRefusalStatus as MockFeishuOptions['downloadRefusalStatus'],
      expiredUserTokenCode: expiredUserTokenCode as MockFeishuOptions['expiredUserTokenCode'],
      logRequests: !(quiet ?? false),
    },
  };
}
