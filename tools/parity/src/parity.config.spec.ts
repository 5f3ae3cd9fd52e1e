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
    ]) {
      expect(PARITY_USAGE).toContain(variable);
    }
    expect(PARITY_USAGE).not.toMatch(/--app-secret|--user-access-token|--expired-user-access-token/);
  });
});
