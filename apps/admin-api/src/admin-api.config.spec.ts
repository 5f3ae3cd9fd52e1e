import { ConfigError, loadAdminApiConfig } from './admin-api.config.js';
import { AdminApiSettings } from './admin-api.settings.js';

const REQUIRED = {
  FEISHU_APP_ID: 'cli_mock_app',
  FEISHU_APP_SECRET: 'mock_app_secret',
  ADMIN_API_TOKENS: 'change-me-admin-token-0001',
};

/** The ConfigError message for an environment that must be refused. */
function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadAdminApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('loadAdminApiConfig', () => {
  it('applies the defaults when only the required settings are given: the local emulator, 127.0.0.1:3200', () => {
    expect(loadAdminApiConfig(REQUIRED)).toEqual({
      feishu: { baseUrl: 'http://127.0.0.1:3100', appId: 'cli_mock_app', appSecret: 'mock_app_secret' },
      adminTokens: ['change-me-admin-token-0001'],
      port: 3200,
      host: '127.0.0.1',
    });
  });

  it('reads every setting from its variable', () => {
    const config = loadAdminApiConfig({
      FEISHU_BASE_URL: 'https://open.feishu.cn/',
      FEISHU_APP_ID: 'cli_a1b2c3',
      FEISHU_APP_SECRET: 'real-secret',
      FEISHU_TIMEOUT_MS: '2500',
      ADMIN_API_TOKENS: 'first-token-0123456789',
      ADMIN_API_PORT: '8080',
      ADMIN_API_HOST: '0.0.0.0',
      ADMIN_API_UPLOAD_DIR: '/var/tmp/uploads',
      ADMIN_API_LOG_LEVEL: 'debug',
    });

    expect(config).toEqual({
      // A trailing slash would double up in every request path.
      feishu: {
        baseUrl: 'https://open.feishu.cn',
        appId: 'cli_a1b2c3',
        appSecret: 'real-secret',
        timeoutMs: 2500,
      },
      adminTokens: ['first-token-0123456789'],
      port: 8080,
      host: '0.0.0.0',
      uploadDir: '/var/tmp/uploads',
      logLevel: 'debug',
    });
  });

  it('splits ADMIN_API_TOKENS on commas, trimming each and dropping blanks', () => {
    const config = loadAdminApiConfig({
      ...REQUIRED,
      ADMIN_API_TOKENS: ' first-token-0123456789 ,, second-token-0123456789 ,',
    });

    expect(config.adminTokens).toEqual(['first-token-0123456789', 'second-token-0123456789']);
  });

  it('accepts port 0, which picks a free port', () => {
    expect(loadAdminApiConfig({ ...REQUIRED, ADMIN_API_PORT: '0' }).port).toBe(0);
  });

  it('treats blank values as unset, so an empty .env line falls back to the default', () => {
    const config = loadAdminApiConfig({
      ...REQUIRED,
      FEISHU_BASE_URL: '  ',
      ADMIN_API_PORT: '',
      FEISHU_TIMEOUT_MS: '',
    });

    expect(config.feishu.baseUrl).toBe('http://127.0.0.1:3100');
    expect(config.port).toBe(3200);
    expect(config.feishu.timeoutMs).toBeUndefined();
  });

  it('names every missing required setting in one error', () => {
    const message = configError({});

    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toMatch(/FEISHU_APP_ID: is required/);
    expect(message).toMatch(/FEISHU_APP_SECRET: is required/);
    expect(message).toMatch(/ADMIN_API_TOKENS: is required/);
    expect(message).not.toMatch(/FEISHU_BASE_URL|ADMIN_API_PORT|ADMIN_API_HOST/);
  });

  it('counts a blank required setting as missing', () => {
    expect(configError({ ...REQUIRED, FEISHU_APP_ID: '   ' })).toMatch(/FEISHU_APP_ID: is required/);
  });

  it('refuses ADMIN_API_TOKENS with only commas and blanks, asking for at least one token', () => {
    expect(configError({ ...REQUIRED, ADMIN_API_TOKENS: ' , ,' })).toMatch(
      /ADMIN_API_TOKENS: must list at least one token/,
    );
  });

  it('refuses an admin token shorter than 16 characters without echoing it', () => {
    const message = configError({ ...REQUIRED, ADMIN_API_TOKENS: 'long-enough-token-0001,short-tok' });

    expect(message).toMatch(/ADMIN_API_TOKENS: each token must be at least 16 characters long/);
    expect(message).not.toContain('short-tok');
    expect(message).not.toContain('long-enough-token-0001');
  });

  it('accepts an admin token of exactly 16 characters', () => {
    expect(loadAdminApiConfig({ ...REQUIRED, ADMIN_API_TOKENS: 'x'.repeat(16) }).adminTokens).toEqual([
      'x'.repeat(16),
    ]);
  });

  it.each([
    ['not a number', 'abc', /ADMIN_API_PORT: must be a port number \(got "abc"\)/],
    ['above 65535', '70000', /ADMIN_API_PORT: must be 0–65535/],
    ['negative', '-1', /ADMIN_API_PORT: must be 0–65535/],
    ['a fraction', '80.5', /ADMIN_API_PORT: must be a whole number/],
  ])('refuses a port that is %s, naming ADMIN_API_PORT and the value', (_label, value, expected) => {
    expect(configError({ ...REQUIRED, ADMIN_API_PORT: value })).toMatch(expected);
  });

  it.each([
    ['not a URL', 'open.feishu.cn'],
    ['not http(s)', 'ftp://open.feishu.cn'],
  ])('refuses a FEISHU_BASE_URL that is %s', (_label, value) => {
    expect(configError({ ...REQUIRED, FEISHU_BASE_URL: value })).toMatch(
      new RegExp(`FEISHU_BASE_URL: must be an http\\(s\\) URL .*\\(got "${value}"\\)`),
    );
  });

  it.each([
    ['not a number', 'soon', /FEISHU_TIMEOUT_MS: must be a number of milliseconds/],
    ['below 100 ms', '50', /FEISHU_TIMEOUT_MS: must be at least 100 ms/],
    ['above 10 minutes', '600001', /FEISHU_TIMEOUT_MS: must be at most 600000 ms/],
  ])('refuses a FEISHU_TIMEOUT_MS that is %s', (_label, value, expected) => {
    expect(configError({ ...REQUIRED, FEISHU_TIMEOUT_MS: value })).toMatch(expected);
  });

  it('refuses an unknown ADMIN_API_LOG_LEVEL, listing the accepted ones', () => {
    expect(configError({ ...REQUIRED, ADMIN_API_LOG_LEVEL: 'trace' })).toMatch(
      /ADMIN_API_LOG_LEVEL: must be one of error, warn, log, debug \(got "trace"\)/,
    );
  });

  it('reports every bad setting at once, one per line', () => {
    const message = configError({ ADMIN_API_PORT: 'x', FEISHU_BASE_URL: 'nope', FEISHU_APP_SECRET: 's' });

    expect(
      message
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(':')[0]),
    ).toEqual(['FEISHU_BASE_URL', 'FEISHU_APP_ID', 'ADMIN_API_TOKENS', 'ADMIN_API_PORT']);
  });

  it('reads the three request timeouts, and the settings default the rest (20 s headers, 10 min request, 30 s idle body)', () => {
    const config = loadAdminApiConfig({ ...REQUIRED, ADMIN_API_IDLE_BODY_TIMEOUT_MS: '5000' });

    expect(config.timeouts).toEqual({ idleBodyMs: 5000 });
    expect(new AdminApiSettings(config).timeouts).toEqual({
      headersMs: 20_000,
      requestMs: 600_000,
      idleBodyMs: 5000,
    });
    expect(loadAdminApiConfig(REQUIRED).timeouts).toBeUndefined();
  });

  it('refuses a timeout that is not a whole number of milliseconds', () => {
    expect(configError({ ...REQUIRED, ADMIN_API_REQUEST_TIMEOUT_MS: '1.5' })).toMatch(
      /ADMIN_API_REQUEST_TIMEOUT_MS: must be a whole number of milliseconds/,
    );
  });
});
