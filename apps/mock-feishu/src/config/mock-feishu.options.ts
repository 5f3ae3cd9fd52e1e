// zod as types only: the settings (and through them the test runners' shared helpers, which run in
// every test file's sandbox) read the defaults here, and must not pay for loading zod. Each option's
// zod type is therefore a function of zod, called by the command line's reader (mock-feishu.config.ts).
import type { ZodType, z } from 'zod';

type Zod = typeof z;

/**
 * One option of the emulator, declared once: the command line, the environment reader, the schema,
 * `--help`, the settings' defaults and docs/options.md all come from here.
 */
export interface OptionDeclaration<T = unknown> {
  /**
   * The flag as `--help` shows it: `--port <n>` takes a value; a switch reads `--no-rate-limits` when
   * it turns a default-on option off, `--quiet` otherwise. None: programmatic only.
   */
  flag?: `--${string}`;
  /** Its environment variable; a flag wins over it, and a blank one counts as unset. */
  env?: `MOCK_FEISHU_${string}`;
  /** What the emulator uses when it is not given (`MockFeishuSettings` applies it). */
  default?: T;
  /** What `mock-feishu` uses when neither the flag nor the variable is given, where that differs. */
  cliDefault?: T;
  /** The default in words, where it is not a value. */
  defaultText?: string;
  /** One line, for `--help` and the docs; `code` in backticks (which `--help` leaves out). */
  description: string;
  /** From the flag's or the variable's text (trimmed, not blank) to the option's value. */
  type: (zod: Zod) => ZodType<T>;
}

/** The value type an option declares. */
export type OptionValue<D extends OptionDeclaration> = z.output<ReturnType<D['type']>>;

/** Infers each option's type from its zod type, and checks its defaults against it. */
function option<D extends OptionDeclaration>(declaration: D & OptionDeclaration<OptionValue<D>>): D {
  return declaration;
}

/** The words a switch's variable takes (in any case); the first half turns it on. */
export const SWITCH_WORDS = { on: ['true', '1', 'on', 'yes'], off: ['false', '0', 'off', 'no'] } as const;

const switchWord = (zod: Zod) =>
  zod
    .enum([...SWITCH_WORDS.on, ...SWITCH_WORDS.off])
    .transform((word) => (SWITCH_WORDS.on as readonly string[]).includes(word));

/** Whole milliseconds, as digits only (so `1e3` or `30s` is refused rather than guessed at). */
const milliseconds = (zod: Zod) =>
  zod
    .string()
    .regex(/^\d+$/, 'must be a whole number of milliseconds')
    .transform(Number)
    .pipe(zod.number().int().max(2_147_483_647));

/** One of a few numbers, given as digits. */
const oneOf = <const V extends readonly [number, ...number[]]>(zod: Zod, values: V) =>
  zod
    .string()
    .transform(Number)
    .pipe(zod.literal(values, { error: `must be one of ${values.join(', ')}` }));

import {
  DOWNLOAD_REFUSAL_STATUSES,
  EXPIRED_USER_TOKEN_CODES,
  MAX_JOURNAL_SIZE,
  MAX_SANDBOXES,
} from './option-values.js';

const outOfShellHistory = 'the variable keeps it out of shell history and `ps`';

/** Every option of `startMockFeishu` and of the `mock-feishu` command, in `--help`'s order. */
export const OPTION_DECLARATIONS = {
  port: option({
    flag: '--port <n>',
    env: 'MOCK_FEISHU_PORT',
    default: 3100,
    description: 'port to listen on; `0` picks a free one',
    type: (zod) => zod.coerce.number().int().min(0).max(65535),
  }),
  host: option({
    flag: '--host <addr>',
    env: 'MOCK_FEISHU_HOST',
    default: '127.0.0.1',
    description:
      'interface to listen on; beyond loopback, `/__mock` needs a control token (one is generated and printed if none is given)',
    type: (zod) => zod.string().min(1),
  }),
  publicUrl: option({
    flag: '--public-url <url>',
    env: 'MOCK_FEISHU_PUBLIC_URL',
    defaultText: 'where it listens',
    description: 'base URL that download URLs point at, for containers and proxies',
    type: (zod) => zod.url({ protocol: /^https?$/ }),
  }),
  dataDir: option({
    flag: '--data-dir <path>',
    env: 'MOCK_FEISHU_DATA_DIR',
    defaultText: 'in memory',
    description:
      'keep state there (SQLite and files): it survives restarts and crashes; one emulator per folder',
    type: (zod) => zod.string().min(1),
  }),
  importFile: option({
    flag: '--import <file>',
    env: 'MOCK_FEISHU_IMPORT',
    description: 'start from a snapshot (`GET /__mock/snapshot`); the data dir must be empty',
    type: (zod) => zod.string().min(1),
  }),
  rateLimits: option({
    flag: '--no-rate-limits',
    env: 'MOCK_FEISHU_RATE_LIMITS',
    default: true,
    description: "Feishu's per-API rate limits",
    type: switchWord,
  }),
  controlPlane: option({
    flag: '--no-control-plane',
    env: 'MOCK_FEISHU_CONTROL_PLANE',
    default: true,
    description: 'the `/__mock` control plane',
    type: switchWord,
  }),
  controlToken: option({
    flag: '--control-token <t>',
    env: 'MOCK_FEISHU_CONTROL_TOKEN',
    defaultText: 'none on loopback (open), generated beyond',
    description: `require \`Authorization: Bearer <t>\` on every \`/__mock\` route (the inspector page takes it once as \`?token=\`); ${outOfShellHistory}`,
    type: (zod) => zod.string().min(1),
  }),
  appId: option({
    flag: '--app-id <id>',
    env: 'MOCK_FEISHU_APP_ID',
    default: 'cli_mock_app',
    description: "the seeded app's id",
    type: (zod) => zod.string().min(1),
  }),
  appSecret: option({
    flag: '--app-secret <s>',
    env: 'MOCK_FEISHU_APP_SECRET',
    default: 'mock_app_secret',
    description: `the seeded app's secret; ${outOfShellHistory}`,
    type: (zod) => zod.string().min(1),
  }),
  downloadRefusalStatus: option({
    flag: '--download-refusal-status <status>',
    env: 'MOCK_FEISHU_DOWNLOAD_REFUSAL_STATUS',
    default: 403,
    description: `status of a download URL that expired or was used up: ${DOWNLOAD_REFUSAL_STATUSES.join(', ')} (Feishu does not document which)`,
    type: (zod) => oneOf(zod, DOWNLOAD_REFUSAL_STATUSES),
  }),
  expiredUserTokenCode: option({
    flag: '--expired-user-token-code <code>',
    env: 'MOCK_FEISHU_EXPIRED_USER_TOKEN_CODE',
    default: 99991677,
    description: `code of the 400 an expired user token gets: ${EXPIRED_USER_TOKEN_CODES[0]} (documented) or ${EXPIRED_USER_TOKEN_CODES[1]} (what live probes saw)`,
    type: (zod) => oneOf(zod, EXPIRED_USER_TOKEN_CODES),
  }),
  headersTimeoutMs: option({
    flag: '--headers-timeout-ms <n>',
    env: 'MOCK_FEISHU_HEADERS_TIMEOUT_MS',
    default: 60_000,
    description: "ms for a request's headers to arrive (Node's `server.headersTimeout`); `0`: no limit",
    type: milliseconds,
  }),
  requestTimeoutMs: option({
    flag: '--request-timeout-ms <n>',
    env: 'MOCK_FEISHU_REQUEST_TIMEOUT_MS',
    default: 10 * 60_000,
    description: "ms for a whole request to arrive (Node's `server.requestTimeout`); `0`: no limit",
    type: milliseconds,
  }),
  idleBodyTimeoutMs: option({
    flag: '--idle-body-timeout-ms <n>',
    env: 'MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS',
    default: 30_000,
    description: 'ms a request body (an upload, a JSON body) may pause before it gets a 408; `0`: no limit',
    type: milliseconds,
  }),
  logRequests: option({
    flag: '--quiet',
    env: 'MOCK_FEISHU_QUIET',
    default: false,
    cliDefault: true,
    defaultText: 'on in the CLI, off in `startMockFeishu`',
    description: 'the log line of each request',
    type: (zod) => switchWord(zod).transform((quiet) => !quiet),
  }),
  journalSize: option({
    default: 1000,
    description: `how many recent calls the journal keeps, 1 to ${MAX_JOURNAL_SIZE}`,
    type: (zod) => zod.number().int().min(1).max(MAX_JOURNAL_SIZE),
  }),
  maxSandboxes: option({
    flag: '--max-sandboxes <n>',
    env: 'MOCK_FEISHU_MAX_SANDBOXES',
    default: 64,
    description: `how many sandboxes (besides the default one) may live at once, 1 to ${MAX_SANDBOXES}`,
    type: (zod) => zod.coerce.number().int().min(1).max(MAX_SANDBOXES),
  }),
  pageTokenSecret: option({
    defaultText: 'random per process',
    description: 'secret that signs page tokens',
    type: (zod) => zod.string().min(1),
  }),
};

type Declarations = typeof OPTION_DECLARATIONS;
export type OptionName = keyof Declarations;

/** Each option's value type, as declared; each is optional. */
export type OptionValues = { [K in OptionName]?: OptionValue<Declarations[K]> };

/** The declared defaults, by option; undefined where the default is not a value. */
export const OPTION_DEFAULTS = Object.fromEntries(
  Object.entries(OPTION_DECLARATIONS).map(([name, declaration]) => [
    name,
    (declaration as OptionDeclaration).default,
  ]),
) as {
  [K in OptionName]: Declarations[K] extends { default: unknown } ? OptionValue<Declarations[K]> : undefined;
};

/** Read from the environment only, where the store opens (by `startMockFeishu` as by the CLI). */
export const ENVIRONMENT_ONLY = [
  {
    env: 'MOCK_FEISHU_SQLITE_DRIVER',
    defaultText: 'better-sqlite3 if it loads, else node:sqlite',
    description:
      'the SQLite a data dir (or `--import`) runs on: `better-sqlite3` or `node:sqlite`; the one named must load (no fallback)',
  },
] as const;

/** Every declared option, in order. */
export const declaredOptions = () =>
  Object.entries(OPTION_DECLARATIONS) as [OptionName, OptionDeclaration<unknown>][];

/** A switch's flag is its name alone; a flag with a value names it as `<…>`. */
export const isSwitch = (declaration: OptionDeclaration) => !declaration.flag?.includes(' ');

/** The name parseArgs knows a flag by: `port`, `rate-limits` (whose `--no-` form it derives). */
export function flagName(declaration: OptionDeclaration): string | undefined {
  return declaration.flag?.split(' ')[0].replace(/^--(no-)?/, '');
}

/** The variable as `--help` shows it: a switch's with the word that does what its flag does. */
export function envUsage(declaration: OptionDeclaration): string {
  if (!declaration.env) return '';
  if (!isSwitch(declaration)) return declaration.env;
  return `${declaration.env}=${declaration.flag?.startsWith('--no-') ? 'false' : 'true'}`;
}

/** How errors name an option: `--port / MOCK_FEISHU_PORT`, `--[no-]rate-limits / MOCK_FEISHU_RATE_LIMITS`. */
export function optionLabel(name: OptionName): string {
  const declaration: OptionDeclaration = OPTION_DECLARATIONS[name];
  const flag = declaration.flag?.startsWith('--no-')
    ? `--[no-]${flagName(declaration)}`
    : declaration.flag && `--${flagName(declaration)}`;
  return [flag, declaration.env].filter(Boolean).join(' / ') || name;
}

const shown = (value: unknown) => (typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value));

/** The default as `--help` shows it, beside the variable (none for a switch: its flag is the way from it). */
export function usageDefault(declaration: OptionDeclaration): string {
  if (isSwitch(declaration)) return '';
  if (declaration.default !== undefined) return `(default ${shown(declaration.default)})`;
  return declaration.defaultText ? `(default: ${withoutBackticks(declaration.defaultText)})` : '';
}

export const withoutBackticks = (text: string) => text.replaceAll('`', '');

const code = (text: string) => (text ? `\`${text}\`` : '');
const docDefault = (value: unknown) =>
  value === undefined ? '' : typeof value === 'boolean' ? shown(value) : code(shown(value));

/** A markdown table, its columns padded as Prettier pads them, so the file passes `prettier --check`. */
function markdownTable(header: string[], body: string[][]): string[] {
  const rows = [header, ...body].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = header.map((_, column) => Math.max(3, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const [head, ...rest] = rows.map(line);
  return [head, line(widths.map((width) => '-'.repeat(width))), ...rest];
}

/** docs/options.md, as the declaration gives it (`node apps/mock-feishu/scripts/write-options-doc.mjs`). */
export function renderOptionsDoc(): string {
  const options = declaredOptions().map(([name, declaration]) => [
    code(name),
    declaration.flag ? code(declaration.flag) : 'programmatic only',
    code(envUsage(declaration)),
    declaration.defaultText ?? docDefault(declaration.default),
    declaration.description,
  ]);
  const environment = ENVIRONMENT_ONLY.map((variable) => [
    code(variable.env),
    variable.defaultText,
    variable.description,
  ]);
  return [
    '<!-- Generated from apps/mock-feishu/src/config/mock-feishu.options.ts by `node apps/mock-feishu/scripts/write-options-doc.mjs`; do not edit. -->',
    '',
    '# Emulator options',
    '',
    'Each option of `startMockFeishu(options)` and of the `mock-feishu` command, which lists the same in `--help`. On the',
    'command line a flag wins over its environment variable, a blank variable counts as unset, a switch variable takes',
    `${[...SWITCH_WORDS.on, ...SWITCH_WORDS.off].map(code).join(', ')} (in any case), and an invalid value stops the start`,
    'with a message naming the flag and the variable. Programmatic-only options have neither.',
    '',
    ...markdownTable(['Option', 'Flag', 'Environment', 'Default', 'What it does'], options),
    '',
    '`startMockFeishu` also takes `seed` and `log`, functions: see `StartMockFeishuOptions` in',
    '`apps/mock-feishu/src/start-mock-feishu.ts`.',
    '',
    'Read from the environment only, by `startMockFeishu` as by the command:',
    '',
    ...markdownTable(['Environment', 'Default', 'What it does'], environment),
    '',
  ].join('\n');
}
