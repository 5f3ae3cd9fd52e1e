import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { loadParityConfig, ParityConfigError, PARITY_USAGE } from './parity.config.js';

// A host that never resolves (RFC 2606) and a scratch report dir: should a refusal regress, the run
// it then starts reaches no tenant and writes nothing into the tree.
const BASE = [
  '--base-url',
  'https://parity-config-spec.invalid',
  '--app-id',
  'cli_parity_test',
  '--out',
  join(tmpdir(), 'parity-config-spec'),
];
const SECRET = 'very-secret-value-7f3a';

/** main's exit code and what it wrote to stderr, for a command line and an environment. */
async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ exitCode: number; stderr: string }> {
  const lines: string[] = [];
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  try {
    return { exitCode: await main(argv, env), stderr: lines.join('\n') };
  } finally {
    error.mockRestore();
  }
}

describe('the parity command takes its secrets from the environment only', () => {
  describe.each([
    ['--app-secret', 'PARITY_APP_SECRET'],
    ['--user-access-token', 'PARITY_USER_ACCESS_TOKEN'],
    ['--expired-user-access-token', 'PARITY_EXPIRED_USER_ACCESS_TOKEN'],
    ['--read-app-secret', 'PARITY_READ_APP_SECRET'],
    ['--fine-app-secret', 'PARITY_FINE_APP_SECRET'],
  ])('%s', (flag, variable) => {
    it.each([
      ['as two arguments', [flag, SECRET]],
      ['as --flag=value', [`${flag}=${SECRET}`]],
    ])('is refused %s with exit 2, naming its variable, without echoing the value', async (_form, given) => {
      // The secret is also in the environment: the flag is refused, not merely unneeded.
      const { exitCode, stderr } = await run([...BASE, ...given], { PARITY_APP_SECRET: 'from-env' });

      expect(exitCode).toBe(2);
      expect(stderr).toContain(
        `${flag} is not accepted on the command line: it would be echoed by npm and kept in shell history and ps; set ${variable} instead`,
      );
      expect(stderr).not.toContain(SECRET);
    });
  });

  it('refuses every secret flag given at once, each by name', () => {
    const refuse = () =>
      loadParityConfig(
        [...BASE, '--app-secret', SECRET, '--user-access-token', 'u-1', '--expired-user-access-token=u-2'],
        {},
      );

    expect(refuse).toThrow(ParityConfigError);
    expect(refuse).toThrow(/--app-secret .*PARITY_APP_SECRET/);
    expect(refuse).toThrow(/--user-access-token .*PARITY_USER_ACCESS_TOKEN/);
    expect(refuse).toThrow(/--expired-user-access-token .*PARITY_EXPIRED_USER_ACCESS_TOKEN/);
  });

  it('does not take a value of another option for a secret flag', () => {
    const command = loadParityConfig([...BASE, '--emulator-args=--app-secret emulator-side'], {
      PARITY_APP_SECRET: SECRET,
    });

    expect(command).toMatchObject({
      kind: 'run',
      options: { appSecret: SECRET, emulatorArgs: ['--app-secret', 'emulator-side'] },
    });
  });

  it('takes the secret and the tokens from PARITY_APP_SECRET, PARITY_USER_ACCESS_TOKEN and PARITY_EXPIRED_USER_ACCESS_TOKEN', () => {
    const command = loadParityConfig(BASE, {
      PARITY_APP_SECRET: ` ${SECRET} `,
      PARITY_USER_ACCESS_TOKEN: 'u-user',
      PARITY_EXPIRED_USER_ACCESS_TOKEN: 'u-expired',
    });

    expect(command).toMatchObject({
      kind: 'run',
      options: {
        baseUrl: 'https://parity-config-spec.invalid',
        appId: 'cli_parity_test',
        appSecret: SECRET,
        userAccessToken: 'u-user',
        expiredUserAccessToken: 'u-expired',
      },
    });
  });

  it('takes the read-only app and the tasklist from flags or PARITY_READ_APP_ID / PARITY_TASKLIST_GUID, the secret from PARITY_READ_APP_SECRET', () => {
    const guid = '6f1d3c2a-8b4e-4f0a-9c7d-2e5b1a0f3d4c';
    const byFlags = loadParityConfig([...BASE, '--read-app-id', 'cli_reader', '--tasklist-guid', guid], {
      PARITY_APP_SECRET: SECRET,
      PARITY_READ_APP_SECRET: ' reader-secret ',
    });
    const byEnv = loadParityConfig(BASE, {
      PARITY_APP_SECRET: SECRET,
      PARITY_READ_APP_ID: 'cli_reader',
      PARITY_READ_APP_SECRET: 'reader-secret',
      PARITY_TASKLIST_GUID: guid,
    });
    const without = loadParityConfig(BASE, { PARITY_APP_SECRET: SECRET });

    for (const command of [byFlags, byEnv]) {
      expect(command).toMatchObject({
        kind: 'run',
        options: { readApp: { appId: 'cli_reader', appSecret: 'reader-secret' }, tasklistGuid: guid },
      });
    }
    expect(without).toMatchObject({ kind: 'run', options: { readApp: undefined, tasklistGuid: undefined } });
  });

  it('takes the fine-grained-scope app from --fine-app-id or PARITY_FINE_APP_ID, its secret from PARITY_FINE_APP_SECRET', () => {
    const byFlag = loadParityConfig([...BASE, '--fine-app-id', 'cli_fine'], {
      PARITY_APP_SECRET: SECRET,
      PARITY_FINE_APP_SECRET: ' fine-secret ',
    });
    const byEnv = loadParityConfig(BASE, {
      PARITY_APP_SECRET: SECRET,
      PARITY_FINE_APP_ID: 'cli_fine',
      PARITY_FINE_APP_SECRET: 'fine-secret',
    });
    // Beside the read app: each second app keeps its own id and secret.
    const both = loadParityConfig([...BASE, '--read-app-id', 'cli_reader', '--fine-app-id', 'cli_fine'], {
      PARITY_APP_SECRET: SECRET,
      PARITY_READ_APP_SECRET: 'reader-secret',
      PARITY_FINE_APP_SECRET: 'fine-secret',
    });
    const without = loadParityConfig(BASE, { PARITY_APP_SECRET: SECRET });

    for (const command of [byFlag, byEnv]) {
      expect(command).toMatchObject({
        kind: 'run',
        options: { fineApp: { appId: 'cli_fine', appSecret: 'fine-secret' }, readApp: undefined },
      });
    }
    expect(both).toMatchObject({
      kind: 'run',
      options: {
        readApp: { appId: 'cli_reader', appSecret: 'reader-secret' },
        fineApp: { appId: 'cli_fine', appSecret: 'fine-secret' },
      },
    });
    expect(without).toMatchObject({ kind: 'run', options: { fineApp: undefined } });
  });

  it.each([
    [
      'a read app without its secret',
      ['--read-app-id', 'cli_reader'],
      {},
      'missing PARITY_READ_APP_SECRET in the environment for --read-app-id',
    ],
    [
      'a read app secret without its app',
      [],
      { PARITY_READ_APP_SECRET: 'reader-secret' },
      'PARITY_READ_APP_SECRET is set without --read-app-id',
    ],
    [
      'a fine app without its secret',
      ['--fine-app-id', 'cli_fine'],
      {},
      'missing PARITY_FINE_APP_SECRET in the environment for --fine-app-id (read -rs PARITY_FINE_APP_SECRET; export PARITY_FINE_APP_SECRET)',
    ],
    [
      'a fine app secret without its app',
      [],
      { PARITY_FINE_APP_SECRET: 'fine-secret' },
      'PARITY_FINE_APP_SECRET is set without --fine-app-id (or PARITY_FINE_APP_ID)',
    ],
    [
      'a tasklist that is not a GUID',
      ['--tasklist-guid', 'tl-1'],
      {},
      '--tasklist-guid: not a GUID (got "tl-1")',
    ],
  ])('refuses %s with exit 2, saying what is wrong', async (_case, argv, env, message) => {
    const { exitCode, stderr } = await run([...BASE, ...argv], { PARITY_APP_SECRET: SECRET, ...env });

    expect(exitCode).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('reader-secret');
    expect(stderr).not.toContain('fine-secret');
  });

  it('says which variable to set when the secret is missing', async () => {
    const { exitCode, stderr } = await run(BASE, { PARITY_APP_SECRET: '  ' });

    expect(exitCode).toBe(2);
    expect(stderr).toContain(
      'missing PARITY_APP_SECRET in the environment (read -rs PARITY_APP_SECRET; export PARITY_APP_SECRET)',
    );
  });

  it('documents the variables, not the flags, in its usage', () => {
    expect(PARITY_USAGE).toMatch(
      /^Usage: PARITY_APP_SECRET=… npm run parity -- --base-url <url> --app-id <id>/,
    );
    for (const variable of [
      'PARITY_APP_SECRET',
      'PARITY_USER_ACCESS_TOKEN',
      'PARITY_EXPIRED_USER_ACCESS_TOKEN',
      'PARITY_READ_APP_SECRET',
      'PARITY_FINE_APP_ID',
      'PARITY_FINE_APP_SECRET',
    ]) {
      expect(PARITY_USAGE).toContain(variable);
    }
    expect(PARITY_USAGE).toContain('--fine-app-id <id>');
    expect(PARITY_USAGE).not.toMatch(
      /--app-secret|--user-access-token|--expired-user-access-token|--read-app-secret|--fine-app-secret/,
    );
  });
});
