import { CLI_USAGE, ConfigError, loadMockFeishuConfig, type CliCommand } from './mock-feishu.config.js';
import { declaredOptions, envUsage } from './config/mock-feishu.options.js';
import type { MockFeishuOptions } from './config/mock-feishu.settings.js';

/** The options of a `run` command; fails the test on `help`. */
function runOptions(command: CliCommand): MockFeishuOptions {
  if (command.kind !== 'run') throw new Error(`expected a run command, got ${command.kind}`);
  return command.options;
}

/** The ConfigError message for an invalid start, or a failure if the start was accepted. */
function configError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    loadMockFeishuConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify({ argv, env })}`);
}

describe('loadMockFeishuConfig', () => {
  it('leaves every option to its default when nothing is given, with request logging on', () => {
    const options = runOptions(loadMockFeishuConfig([], {}));

    expect(options.port).toBeUndefined();
    expect(options.rateLimits).toBeUndefined();
    expect(options.controlPlane).toBeUndefined();
    expect(options.downloadRefusalStatus).toBeUndefined();
    expect(options.logRequests).toBe(true);
  });

  it('reads every option from its MOCK_FEISHU_* variable', () => {
    const options = runOptions(
      loadMockFeishuConfig([], {
        MOCK_FEISHU_PORT: '4100',
        MOCK_FEISHU_HOST: '0.0.0.0',
        MOCK_FEISHU_PUBLIC_URL: 'http://feishu.test:8080',
        MOCK_FEISHU_DATA_DIR: '/tmp/feishu-data',
        MOCK_FEISHU_APP_ID: 'cli_env_app',
        MOCK_FEISHU_APP_SECRET: 'env_secret',
        MOCK_FEISHU_CONTROL_PLANE: 'false',
        MOCK_FEISHU_DOWNLOAD_REFUSAL_STATUS: '410',
        MOCK_FEISHU_QUIET: 'true',
        MOCK_FEISHU_HEADERS_TIMEOUT_MS: '5000',
        MOCK_FEISHU_REQUEST_TIMEOUT_MS: '0',
        MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS: ' 700 ',
        MOCK_FEISHU_IMPORT: 'fixture.sqlite',
      }),
    );

    expect(options).toMatchObject({
      port: 4100,
      host: '0.0.0.0',
      publicUrl: 'http://feishu.test:8080',
      dataDir: '/tmp/feishu-data',
      appId: 'cli_env_app',
      appSecret: 'env_secret',
      controlPlane: false,
      downloadRefusalStatus: 410,
      logRequests: false,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 0,
      idleBodyTimeoutMs: 700,
      importFile: 'fixture.sqlite',
    });
  });

  it('lets flags win over environment variables', () => {
    const env = {
      MOCK_FEISHU_PORT: '4100',
      MOCK_FEISHU_APP_ID: 'cli_env_app',
      MOCK_FEISHU_RATE_LIMITS: 'false',
    };

    const options = runOptions(
      loadMockFeishuConfig(['--port', '4200', '--app-id', 'cli_flag_app', '--rate-limits'], env),
    );

    expect(options).toMatchObject({ port: 4200, appId: 'cli_flag_app', rateLimits: true });
  });

  it('turns rate limits off with --no-rate-limits', () => {
    expect(runOptions(loadMockFeishuConfig(['--no-rate-limits'], {})).rateLimits).toBe(false);
  });

  it('turns rate limits off with MOCK_FEISHU_RATE_LIMITS=false, in any case', () => {
    expect(runOptions(loadMockFeishuConfig([], { MOCK_FEISHU_RATE_LIMITS: 'false' })).rateLimits).toBe(false);
    expect(runOptions(loadMockFeishuConfig([], { MOCK_FEISHU_RATE_LIMITS: 'FALSE' })).rateLimits).toBe(false);
    expect(runOptions(loadMockFeishuConfig([], { MOCK_FEISHU_RATE_LIMITS: 'true' })).rateLimits).toBe(true);
  });

  it('turns the control plane off with --no-control-plane and logging off with --quiet', () => {
    const options = runOptions(loadMockFeishuConfig(['--no-control-plane', '--quiet'], {}));

    expect(options).toMatchObject({ controlPlane: false, logRequests: false });
  });

  it('takes the control token from --control-token, else from MOCK_FEISHU_CONTROL_TOKEN', () => {
    expect(runOptions(loadMockFeishuConfig([], {})).controlToken).toBeUndefined();
    const env = { MOCK_FEISHU_CONTROL_TOKEN: 'from-env' };
    expect(runOptions(loadMockFeishuConfig([], env)).controlToken).toBe('from-env');
    expect(runOptions(loadMockFeishuConfig(['--control-token', 'from-flag'], env)).controlToken).toBe(
      'from-flag',
    );
    expect(configError(['--control-token', ''])).toMatch(/--control-token \/ MOCK_FEISHU_CONTROL_TOKEN/);
  });

  it('treats a blank environment variable as unset', () => {
    expect(runOptions(loadMockFeishuConfig([], { MOCK_FEISHU_PORT: '  ' })).port).toBeUndefined();
  });

  it('accepts port 0, which picks a free port', () => {
    expect(runOptions(loadMockFeishuConfig(['--port', '0'], {})).port).toBe(0);
  });

  it.each([
    ['a word on the command line', ['--port', 'abc'], {}],
    ['a port above 65535 on the command line', ['--port', '70000'], {}],
    ['a word in the environment', [], { MOCK_FEISHU_PORT: 'abc' }],
    ['a port above 65535 in the environment', [], { MOCK_FEISHU_PORT: '70000' }],
    ['a fractional port', ['--port', '80.5'], {}],
  ])('refuses %s naming --port / MOCK_FEISHU_PORT', (_label, argv, env) => {
    const message = configError(argv, env);

    expect(message).toContain('--port / MOCK_FEISHU_PORT');
  });

  it('quotes the rejected value so the user can spot a typo', () => {
    expect(configError(['--port', 'abc'])).toContain('"abc"');
  });

  it('refuses an unknown flag, naming it', () => {
    expect(configError(['--rate-limit'])).toContain('--rate-limit');
  });

  it('refuses a flag that needs a value but has none', () => {
    expect(configError(['--port'])).toContain('--port');
  });

  it('answers --version and -v with the version command, ahead of any invalid option', () => {
    expect(loadMockFeishuConfig(['--version'], {})).toEqual({ kind: 'version' });
    expect(loadMockFeishuConfig(['-v'], { MOCK_FEISHU_PORT: 'abc' })).toEqual({ kind: 'version' });
  });

  it('answers --help and -h with the help command', () => {
    expect(loadMockFeishuConfig(['--help'], {})).toEqual({ kind: 'help' });
    expect(loadMockFeishuConfig(['-h'], { MOCK_FEISHU_PORT: 'abc' })).toEqual({ kind: 'help' });
  });

  it('accepts each allowed download refusal status', () => {
    for (const status of [403, 404, 410]) {
      const options = runOptions(loadMockFeishuConfig(['--download-refusal-status', String(status)], {}));
      expect(options.downloadRefusalStatus).toBe(status);
    }
  });

  it('refuses a download refusal status outside 403, 404, 410, naming the option', () => {
    const message = configError(['--download-refusal-status', '500']);

    expect(message).toContain('--download-refusal-status / MOCK_FEISHU_DOWNLOAD_REFUSAL_STATUS');
    expect(message).toContain('403, 404, 410');
  });

  it('reads the expired user token code from the flag or MOCK_FEISHU_EXPIRED_USER_TOKEN_CODE', () => {
    expect(
      runOptions(loadMockFeishuConfig(['--expired-user-token-code', '99991668'], {})).expiredUserTokenCode,
    ).toBe(99991668);
    expect(
      runOptions(loadMockFeishuConfig([], { MOCK_FEISHU_EXPIRED_USER_TOKEN_CODE: '99991677' }))
        .expiredUserTokenCode,
    ).toBe(99991677);
  });

  it('refuses an expired user token code other than 99991677 or 99991668, naming the option', () => {
    const message = configError(['--expired-user-token-code', '99991663']);

    expect(message).toContain('--expired-user-token-code / MOCK_FEISHU_EXPIRED_USER_TOKEN_CODE');
    expect(message).toContain('99991677, 99991668');
  });

  it('refuses a public URL that is not http(s), naming the option', () => {
    expect(configError(['--public-url', 'ftp://feishu.test'])).toContain(
      '--public-url / MOCK_FEISHU_PUBLIC_URL',
    );
  });

  it('refuses a switch variable that is not a boolean word, naming it', () => {
    expect(configError([], { MOCK_FEISHU_RATE_LIMITS: 'maybe' })).toContain('MOCK_FEISHU_RATE_LIMITS');
  });

  it('documents every flag in the usage text', () => {
    for (const flag of [
      '--port',
      '--host',
      '--public-url',
      '--data-dir',
      '--no-rate-limits',
      '--no-control-plane',
      '--app-id',
      '--app-secret',
      '--download-refusal-status',
      '--quiet',
      '--help',
      '--version',
    ]) {
      expect(CLI_USAGE).toContain(flag);
    }
  });

  it('lists each declared flag in the usage text with its variable on the same line', () => {
    for (const [, declaration] of declaredOptions()) {
      if (!declaration.flag) continue;
      const line = CLI_USAGE.split('\n').find((text) => text.startsWith(`  ${declaration.flag} `));
      expect(line).toContain(envUsage(declaration));
    }
  });

  it('lists the variable read from the environment only, MOCK_FEISHU_SQLITE_DRIVER', () => {
    expect(CLI_USAGE).toContain('MOCK_FEISHU_SQLITE_DRIVER');
  });

  it.each([
    ['--data-dir', 'MOCK_FEISHU_DATA_DIR'],
    ['--import', 'MOCK_FEISHU_IMPORT'],
    ['--app-id', 'MOCK_FEISHU_APP_ID'],
    ['--app-secret', 'MOCK_FEISHU_APP_SECRET'],
  ])('names %s / %s when its value is empty', (flag, variable) => {
    expect(configError([flag, ''])).toContain(`${flag} / ${variable}: `);
  });

  it('reads --quiet from MOCK_FEISHU_QUIET too, and --no-quiet keeps the log lines', () => {
    expect(runOptions(loadMockFeishuConfig([], { MOCK_FEISHU_QUIET: 'Yes' })).logRequests).toBe(false);
    expect(runOptions(loadMockFeishuConfig(['--no-quiet'], { MOCK_FEISHU_QUIET: 'true' })).logRequests).toBe(
      true,
    );
  });
});
