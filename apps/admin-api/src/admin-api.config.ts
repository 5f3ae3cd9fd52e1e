import { z } from 'zod';

/** Where the service listens by default, and the local emulator it talks to unless told otherwise. */
export const DEFAULT_FEISHU_BASE_URL = 'http://127.0.0.1:3100';
export const DEFAULT_PORT = 3200;
export const DEFAULT_HOST = '127.0.0.1';
/** Shorter admin tokens are too easy to guess; 16 characters is the floor, not a recommendation. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** Everything the service needs to run; `loadAdminApiConfig` builds it from the environment. */
export interface AdminApiConfig {
  feishu: {
    /** Open Platform base URL: the emulator, https://open.feishu.cn or https://open.larksuite.com. */
    baseUrl: string;
    appId: string;
    appSecret: string;
    /** Per-attempt timeout of Feishu metadata calls; the client's default (10 s) when absent. */
    timeoutMs?: number;
  };
  /** Bearer tokens that admit a caller; any one of them works. */
  adminTokens: readonly string[];
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Folder for uploads in transit (each request gets its own subfolder, removed when it ends). */
  uploadDir?: string;
  /** How much to log: `debug` adds a line per Feishu call. @default 'log' */
  logLevel?: LogLevelSetting;
  /** Time limits of incoming requests; each has a default (see `DEFAULT_TIMEOUTS`). */
  timeouts?: Partial<ServerTimeouts>;
}

/** How long a caller may take; a stalled or endless request is cut instead of held open. */
export interface ServerTimeouts {
  /** Until the request's headers are complete. */
  headersMs: number;
  /** Until the whole request, body included, is in (sized for 5 × 50 MiB on a slow link). */
  requestMs: number;
  /** Longest pause between two pieces of an upload's body. */
  idleBodyMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 20_000, requestMs: 600_000, idleBodyMs: 30_000 };

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The settings, in the order problems are reported. */
const SETTINGS = [
  'FEISHU_BASE_URL',
  'FEISHU_APP_ID',
  'FEISHU_APP_SECRET',
  'FEISHU_TIMEOUT_MS',
  'ADMIN_API_TOKENS',
  'ADMIN_API_PORT',
  'ADMIN_API_HOST',
  'ADMIN_API_UPLOAD_DIR',
  'ADMIN_API_LOG_LEVEL',
  'ADMIN_API_HEADERS_TIMEOUT_MS',
  'ADMIN_API_REQUEST_TIMEOUT_MS',
  'ADMIN_API_IDLE_BODY_TIMEOUT_MS',
] as const;
type Setting = (typeof SETTINGS)[number];

const required = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `is required (${what})` : undefined) });

const milliseconds = (max: number) =>
  z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100 ms')
    .max(max, `must be at most ${max} ms`)
    .optional();

const schema = z.object({
  FEISHU_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://open.feishu.cn' })
    .default(DEFAULT_FEISHU_BASE_URL),
  FEISHU_APP_ID: required('the app id of your Feishu self-built app, e.g. cli_a1b2c3'),
  FEISHU_APP_SECRET: required('the app secret of your Feishu self-built app'),
  FEISHU_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100 ms')
    .max(600_000, 'must be at most 600000 ms (10 minutes)')
    .optional(),
  ADMIN_API_TOKENS: required('comma-separated bearer tokens that admit callers')
    .transform((value) =>
      value
        .split(',')
        .map((token) => token.trim())
        .filter((token) => token !== ''),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .min(
              MIN_ADMIN_TOKEN_LENGTH,
              `each token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long`,
            ),
        )
        .min(1, 'must list at least one token (comma-separated)'),
    ),
  ADMIN_API_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0–65535 (0 picks a free port)')
    .max(65535, 'must be 0–65535 (0 picks a free port)')
    .default(DEFAULT_PORT),
  ADMIN_API_HOST: z.string().default(DEFAULT_HOST),
  ADMIN_API_UPLOAD_DIR: z.string().optional(),
  ADMIN_API_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ADMIN_API_HEADERS_TIMEOUT_MS: milliseconds(600_000),
  ADMIN_API_REQUEST_TIMEOUT_MS: milliseconds(3_600_000),
  ADMIN_API_IDLE_BODY_TIMEOUT_MS: milliseconds(600_000),
});

// Values that could be secrets are never echoed back in an error message.
const SECRET_SETTINGS: ReadonlySet<Setting> = new Set(['FEISHU_APP_SECRET', 'ADMIN_API_TOKENS']);

/**
 * The only place the service reads its environment. Blank values count as unset, so a
 * `.env` line like `FEISHU_TIMEOUT_MS=` falls back to the default. Every problem is reported
 * at once, each naming its setting.
 */
export function loadAdminApiConfig(env: NodeJS.ProcessEnv): AdminApiConfig {
  const raw: Partial<Record<Setting, string>> = {};
  for (const name of SETTINGS) {
    const value = env[name]?.trim();
    if (value) raw[name] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]) as Setting;
      const got =
        raw[name] === undefined || SECRET_SETTINGS.has(name) ? '' : ` (got ${JSON.stringify(raw[name])})`;
      return `${name}: ${issue.message}${got}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const settings = parsed.data;
  return {
    feishu: {
      baseUrl: settings.FEISHU_BASE_URL.replace(/\/+$/, ''),
      appId: settings.FEISHU_APP_ID,
      appSecret: settings.FEISHU_APP_SECRET,
      ...(settings.FEISHU_TIMEOUT_MS === undefined ? {} : { timeoutMs: settings.FEISHU_TIMEOUT_MS }),
    },
    adminTokens: settings.ADMIN_API_TOKENS,
    port: settings.ADMIN_API_PORT,
    host: settings.ADMIN_API_HOST,
    ...(settings.ADMIN_API_UPLOAD_DIR === undefined ? {} : { uploadDir: settings.ADMIN_API_UPLOAD_DIR }),
    ...(settings.ADMIN_API_LOG_LEVEL === undefined ? {} : { logLevel: settings.ADMIN_API_LOG_LEVEL }),
    ...timeoutsOf(settings),
  };
}

function timeoutsOf(settings: z.infer<typeof schema>): Pick<AdminApiConfig, 'timeouts'> {
  const timeouts: Partial<ServerTimeouts> = {
    ...(settings.ADMIN_API_HEADERS_TIMEOUT_MS === undefined
      ? {}
      : { headersMs: settings.ADMIN_API_HEADERS_TIMEOUT_MS }),
    ...(settings.ADMIN_API_REQUEST_TIMEOUT_MS === undefined
      ? {}
      : { requestMs: settings.ADMIN_API_REQUEST_TIMEOUT_MS }),
    ...(settings.ADMIN_API_IDLE_BODY_TIMEOUT_MS === undefined
      ? {}
      : { idleBodyMs: settings.ADMIN_API_IDLE_BODY_TIMEOUT_MS }),
  };
  return Object.keys(timeouts).length ? { timeouts } : {};
}

/** What `--help`-style output and the startup error show: every setting and its default. */
export const CONFIG_USAGE = `Settings (environment variables):

  FEISHU_BASE_URL       Open Platform base URL            (default ${DEFAULT_FEISHU_BASE_URL}, the local emulator;
                                                            https://open.feishu.cn or https://open.larksuite.com for real)
  FEISHU_APP_ID         your self-built app's app id      (required)
  FEISHU_APP_SECRET     your self-built app's app secret  (required)
  FEISHU_TIMEOUT_MS     per-attempt timeout of Feishu metadata calls (default 10000)
  ADMIN_API_TOKENS      comma-separated bearer tokens, each at least ${MIN_ADMIN_TOKEN_LENGTH} characters (required)
  ADMIN_API_PORT        port to listen on, 0 for any free one (default ${DEFAULT_PORT})
  ADMIN_API_HOST        interface to listen on            (default ${DEFAULT_HOST})
  ADMIN_API_UPLOAD_DIR  folder for uploads in transit      (default: the system temporary folder)
  ADMIN_API_LOG_LEVEL   error, warn, log or debug (a line per Feishu call)  (default log)
  ADMIN_API_HEADERS_TIMEOUT_MS    until a request's headers are in  (default ${DEFAULT_TIMEOUTS.headersMs})
  ADMIN_API_REQUEST_TIMEOUT_MS    until a whole request is in       (default ${DEFAULT_TIMEOUTS.requestMs})
  ADMIN_API_IDLE_BODY_TIMEOUT_MS  longest pause in an upload's body (default ${DEFAULT_TIMEOUTS.idleBodyMs})
`;
