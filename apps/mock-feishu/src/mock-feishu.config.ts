import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  ENVIRONMENT_ONLY,
  SWITCH_WORDS,
  declaredOptions,
  envUsage,
  flagName,
  isSwitch,
  optionLabel,
  usageDefault,
  withoutBackticks,
  type OptionDeclaration,
  type OptionName,
} from './config/mock-feishu.options.js';
import type { MockFeishuOptions } from './config/mock-feishu.settings.js';

/** The options the command line and the environment set: those with a flag or a variable. */
const CLI_OPTIONS = declaredOptions().filter(([, declaration]) => declaration.flag || declaration.env);

/** --help's columns: the flag, then the description (wrapped), then the variable and the default. */
const FLAG_WIDTH = 20;
const DESCRIPTION_WIDTH = 41;

/** `text` in lines of at most `width` characters, broken between words. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * One entry of --help: the flag, its description beside it (below it when the flag is wider than
 * its column), and after them on the first line `tail` (the variable and the default), so that
 * grep finds a flag with its variable and default.
 */
function usageEntry(flag: string, description: string, tail = ''): string[] {
  const lines = wrap(withoutBackticks(description), DESCRIPTION_WIDTH - 1);
  const head = flag.length < FLAG_WIDTH ? flag.padEnd(FLAG_WIDTH) + lines.shift() : flag;
  return [
    `  ${head.padEnd(FLAG_WIDTH + DESCRIPTION_WIDTH)}${tail}`.trimEnd(),
    ...lines.map((line) => ' '.repeat(FLAG_WIDTH + 2) + line),
  ];
}

/** What a switch's flag does to its option: `--no-rate-limits` turns rate limits off, and so does `--quiet` logging. */
function switchEffect(declaration: OptionDeclaration): string {
  const word = declaration.flag?.startsWith('--no-') ? 'false' : 'true';
  return declaration.type(z).parse(word) ? 'turns on' : 'turns off';
}

function renderUsage(): string {
  const envWidth = Math.max(...CLI_OPTIONS.map(([, declaration]) => envUsage(declaration).length)) + 2;
  return [
    'Usage: mock-feishu [options]',
    '       mock-feishu verify-pacts <pact file or folder> [more…]   (see verify-pacts --help)',
    '',
    ...CLI_OPTIONS.flatMap(([, declaration]) =>
      usageEntry(
        declaration.flag ?? '',
        isSwitch(declaration)
          ? `${switchEffect(declaration)} ${declaration.description}`
          : declaration.description,
        envUsage(declaration).padEnd(envWidth) + usageDefault(declaration),
      ),
    ),
    ...usageEntry('--version', "the emulator's version"),
    ...usageEntry('--help', 'this text'),
    '',
    "A flag wins over its variable; a blank variable counts as unset; a switch's variable takes",
    `${[...SWITCH_WORDS.on, ...SWITCH_WORDS.off].join(', ')}. Read from the environment only:`,
    ...ENVIRONMENT_ONLY.flatMap((variable) =>
      usageEntry(variable.env, variable.description, `(default: ${variable.defaultText})`),
    ),
    '',
  ].join('\n');
}

/** What the command line understands; each flag has an environment variable twin. */
export const CLI_USAGE = renderUsage();

/** parseArgs's options: a switch is a boolean (its `--no-` form comes with allowNegative). */
const PARSE_ARGS_OPTIONS: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
  ...Object.fromEntries(
    CLI_OPTIONS.flatMap(([, declaration]) => {
      const name = flagName(declaration);
      return name ? [[name, { type: isSwitch(declaration) ? 'boolean' : 'string' } as const]] : [];
    }),
  ),
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

const schema = z.object(
  Object.fromEntries(CLI_OPTIONS.map(([name, declaration]) => [name, declaration.type(z).optional()])),
);

/** Each option's text: its flag's, else its variable's (trimmed; blank is unset; a switch's in lower case). */
function readRaw(
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  env: NodeJS.ProcessEnv,
): Partial<Record<OptionName, string>> {
  const blankIsUnset = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value.trim();
  return Object.fromEntries(
    CLI_OPTIONS.map(([name, declaration]) => {
      const flag = flagName(declaration);
      const given = flag === undefined ? undefined : values[flag];
      const fromEnv = declaration.env === undefined ? undefined : blankIsUnset(env[declaration.env]);
      return [
        name,
        given === undefined ? (isSwitch(declaration) ? fromEnv?.toLowerCase() : fromEnv) : String(given),
      ];
    }),
  );
}

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
    ({ values } = parseArgs({ args: argv, strict: true, allowNegative: true, options: PARSE_ARGS_OPTIONS }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const raw = readRaw(values, env);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]) as OptionName;
      return `${optionLabel(name)}: ${issue.message} (got ${JSON.stringify(raw[name])})`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const options: Record<string, unknown> = parsed.data;
  for (const [name, { cliDefault }] of CLI_OPTIONS) {
    if (cliDefault !== undefined) options[name] ??= cliDefault;
  }
  return { kind: 'run', options: options as MockFeishuOptions };
}
