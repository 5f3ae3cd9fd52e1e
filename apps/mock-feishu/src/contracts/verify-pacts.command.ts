import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunningMockFeishu } from '../start-mock-feishu.js';
import { MOCK_FEISHU_VERSION } from '../mock-feishu.version.js';
import { injectTaskGuidIntoUploads } from './multipart-state-injection.js';
import { PROVIDER_STATES, feishuProviderStates } from './provider-states.js';
import { strictStates, type StateSetup, type StateValues } from './strict-states.js';
import { mismatchesOf } from './pact-mismatches.js';

/** Pact is an optional peer dependency: it is loaded only here, and only once the arguments are good. */
export const PACT_PACKAGE = '@pact-foundation/pact';
const PACT_INSTALL = `npm install --save-dev ${PACT_PACKAGE}@16`;

export const VERIFY_PACTS_USAGE = `Usage: mock-feishu verify-pacts <pact file or folder> [more…] [options]

Starts the emulator in this process (in memory, on a free port), sets up the provider states the
pacts name, verifies the pacts with Pact's own Verifier and prints Pact's result. A folder means
the *.json files directly in it. Needs ${PACT_PACKAGE} next to mock-feishu (${PACT_INSTALL}).

  --provider <name>          verify only the pacts for this provider
                             (default: the one provider the pacts name)
  --state-handlers <module>  more provider states: a module whose default export is
                             (feishu) => ({ '<state>': async (params) => ({ taskGuid, … }) })
  --help                     this text

Exit status: 0 verified; 1 a mismatch, or a state the emulator does not know or could not set up;
2 bad usage (no pacts, a path that does not exist, a file that is not a pact, Pact not installed).

Provider states the emulator knows:
${Object.keys(PROVIDER_STATES)
  .map((state) => `  ${state}`)
  .join('\n')}
`;

const SHORT_USAGE =
  'Usage: mock-feishu verify-pacts <pact file or folder> [more…] [--provider <name>] [--state-handlers <module>]\n' +
  'More: mock-feishu verify-pacts --help';

export interface VerifyPactsIo {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

const consoleIo: VerifyPactsIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  cwd: process.cwd(),
};

class UsageError extends Error {
  override name = 'UsageError';
}

interface PactFile {
  file: string;
  consumer: string;
  provider: string;
  interactions: number;
  states: string[];
}

/** `mock-feishu verify-pacts …`: resolves with the exit status. */
export async function verifyPactsCommand(argv: string[], io: VerifyPactsIo = consoleIo): Promise<number> {
  let plan: ReturnType<typeof planVerification>;
  try {
    plan = planVerification(argv, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`mock-feishu verify-pacts: ${error.message}\n${SHORT_USAGE}`);
    return 2;
  }
  if (plan === 'help') {
    io.out(VERIFY_PACTS_USAGE);
    return 0;
  }

  // Pact's native core reports usage over the network unless told not to; the emulator is offline.
  process.env.PACT_DO_NOT_TRACK ??= 'true';
  const pact = await loadPact();
  if (!pact) {
    io.err(
      `mock-feishu verify-pacts: needs ${PACT_PACKAGE} (Pact's Verifier), an optional peer dependency ` +
        `of @feishu-attachments/mock-feishu that is not installed here. Install it next to mock-feishu:\n\n` +
        `  ${PACT_INSTALL}\n`,
    );
    return 2;
  }
  let userStates: UserStates | undefined;
  if (plan.stateModule) {
    try {
      userStates = await loadUserStates(resolve(io.cwd, plan.stateModule));
    } catch (error) {
      io.err(`mock-feishu verify-pacts: --state-handlers ${plan.stateModule}: ${(error as Error).message}`);
      return 2;
    }
  }

  const { startMockFeishu } = await import('../start-mock-feishu.js');
  // Rate limits off: the verifier replays interactions back to back; the 429 contract comes from a state.
  const feishu = await startMockFeishu({ port: 0, rateLimits: false, logRequests: false });
  try {
    const handlers: Record<string, StateSetup> = {
      ...feishuProviderStates(feishu),
      ...(userStates ? await userStates(feishu) : {}),
    };
    const unknown = [...new Set(plan.pacts.flatMap((each) => each.states))].filter(
      (state) => !Object.hasOwn(handlers, state),
    );
    const states = strictStates(handlers);
    const interactions = plan.pacts.reduce((sum, each) => sum + each.interactions, 0);
    io.out(
      `mock-feishu verify-pacts: ${count(interactions, 'interaction')} of ${count(plan.pacts.length, 'pact')} ` +
        `for provider "${plan.provider}" against mock-feishu ${MOCK_FEISHU_VERSION} at ${feishu.url}`,
    );

    const { Verifier } = pact;
    const mismatches = await new Verifier({
      provider: plan.provider,
      providerBaseUrl: feishu.url,
      pactUrls: plan.pacts.map((each) => each.file),
      stateHandlers: states.stateHandlers,
      requestFilter: injectTaskGuidIntoUploads(states.current),
      logLevel: 'warn',
    })
      .verifyProvider()
      .then(() => [], mismatchesOf);

    const problems = [
      ...mismatches,
      // Pact-js lets an interaction run on when its state failed; a failed state fails the run here too.
      ...states.failures.map((failure) =>
        unknown.some((state) => failure.startsWith(`"${state}": `))
          ? `provider state ${failure.slice(0, failure.indexOf('": ') + 1)} is not one the emulator knows (listed above)`
          : `provider state ${failure}`,
      ),
    ];
    if (unknown.length > 0) {
      io.err(
        [
          `mock-feishu verify-pacts: the emulator does not know the provider state(s) ${unknown.map((state) => `"${state}"`).join(', ')}.`,
          'Known states (the PROVIDER_STATES export of @feishu-attachments/mock-feishu, or --state-handlers for your own):',
          ...Object.keys(handlers).map((state) => `  ${state}`),
        ].join('\n'),
      );
    }
    if (problems.length > 0) {
      io.err(['mock-feishu verify-pacts: FAILED', ...problems.map((problem) => `  ✗ ${problem}`)].join('\n'));
      return 1;
    }
    io.out(`mock-feishu verify-pacts: OK, ${count(interactions, 'interaction')} verified`);
    return 0;
  } finally {
    await feishu.close();
  }
}

/** The pact files to verify, and for which provider; throws a UsageError for anything wrong. */
function planVerification(
  argv: string[],
  io: VerifyPactsIo,
): 'help' | { pacts: PactFile[]; provider: string; stateModule?: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        provider: { type: 'string' },
        'state-handlers': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('no pact files given');

  const files = positionals.flatMap((path) => pactFilesAt(resolve(io.cwd, path), path));
  const pacts = files.map((file) => readPact(file, relative(io.cwd, file) || file));
  const providers = [...new Set(pacts.map((each) => each.provider))];
  const provider = values.provider ?? providers[0];
  if (values.provider === undefined && providers.length > 1) {
    throw new UsageError(
      `the pacts name ${providers.length} providers (${providers.join(', ')}); choose one with --provider`,
    );
  }
  const chosen = pacts.filter((each) => each.provider === provider);
  if (chosen.length === 0) {
    throw new UsageError(
      `none of the pacts is for provider "${provider}" (they name ${providers.join(', ')})`,
    );
  }
  for (const skipped of pacts.filter((each) => each.provider !== provider)) {
    io.out(`mock-feishu verify-pacts: skipping ${skipped.file}: its provider is "${skipped.provider}"`);
  }
  return { pacts: chosen, provider, stateModule: values['state-handlers'] };
}

/** A file as it is; a folder's *.json files (not its subfolders). */
function pactFilesAt(path: string, given: string): string[] {
  let isDirectory;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new UsageError(`${given} does not exist`);
  }
  if (!isDirectory) return [path];
  const files = readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(path, name));
  if (files.length === 0) throw new UsageError(`${given} is a folder with no *.json pact files in it`);
  return files;
}

function readPact(file: string, shown: string): PactFile {
  let pact;
  try {
    pact = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${shown} is not a pact: ${(error as Error).message}`);
  }
  if (
    typeof pact?.consumer?.name !== 'string' ||
    typeof pact?.provider?.name !== 'string' ||
    !Array.isArray(pact.interactions)
  ) {
    throw new UsageError(
      `${shown} is not a pact: a pact file has consumer.name, provider.name and an interactions list`,
    );
  }
  return {
    file,
    consumer: pact.consumer.name,
    provider: pact.provider.name,
    interactions: pact.interactions.length,
    // V3 and V4 name states in providerStates, V2 in providerState.
    states: pact.interactions.flatMap(
      (interaction: { providerStates?: { name: string }[]; providerState?: string }) => [
        ...(interaction.providerStates ?? []).map((state) => state.name),
        ...(interaction.providerState ? [interaction.providerState] : []),
      ],
    ),
  };
}

type PactModule = typeof import('@pact-foundation/pact');

/** Pact, or undefined when it is not installed (a missing dependency of Pact itself still throws). */
async function loadPact(): Promise<PactModule | undefined> {
  try {
    const loaded = (await import('@pact-foundation/pact')) as PactModule & { default?: PactModule };
    return loaded.Verifier ? loaded : loaded.default;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      message.includes(`'${PACT_PACKAGE}'`)
    ) {
      return undefined;
    }
    throw error;
  }
}

type UserStates = (feishu: RunningMockFeishu) => Promise<Record<string, StateSetup>>;
type UserHandler = (params?: unknown) => Promise<StateValues | undefined | void>;

/**
 * A user's module of extra states: its default export (or `stateHandlers`) is a function of the
 * running emulator returning `{ '<state>': async (params) => values }`, or that object itself.
 */
async function loadUserStates(path: string): Promise<UserStates> {
  const loaded = await import(pathToFileURL(path).href);
  // A CommonJS module compiled from TypeScript arrives as { default: { default: … } }.
  const exported =
    loaded.stateHandlers ?? loaded.default?.stateHandlers ?? loaded.default?.default ?? loaded.default;
  if (typeof exported !== 'function' && (typeof exported !== 'object' || exported === null)) {
    throw new Error(
      'export default (feishu) => ({ "<state>": async (params) => values }), or such an object',
    );
  }
  return async (feishu) => {
    const handlers: Record<string, UserHandler> =
      typeof exported === 'function' ? await exported(feishu) : exported;
    return Object.fromEntries(
      Object.entries(handlers).map(([state, handler]) => [
        state,
        async (params?: unknown) => ((await handler(params)) ?? {}) as StateValues,
      ]),
    );
  };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
