import { createServer } from 'node:http';
import { ShiftableClock } from '../src/core/shared/clock.js';
import { applyServerLimits } from '../src/http/gateway/http-server.limits.js';
import { CLI_USAGE, ConfigError, loadMockFeishuConfig } from '../src/mock-feishu.config.js';
import { MockFeishuSettings } from '../src/config/mock-feishu.settings.js';

const runOptions = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const command = loadMockFeishuConfig(argv, env);
  if (command.kind !== 'run') throw new Error(`expected a run command, got ${command.kind}`);
  return command.options;
};

describe('timeout settings', () => {
  it('default to 60 s for headers, 10 min for a request and 30 s of upload silence', () => {
    const settings = new MockFeishuSettings(runOptions([]));

    expect(settings.headersTimeoutMs).toBe(60_000);
    expect(settings.requestTimeoutMs).toBe(600_000);
    expect(settings.idleBodyTimeoutMs).toBe(30_000);
  });

  it('are read from flags, and from MOCK_FEISHU_* variables when no flag is given', () => {
    const fromFlags = runOptions(
      ['--headers-timeout-ms', '1000', '--request-timeout-ms', '2000', '--idle-body-timeout-ms', '300'],
      { MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS: '999' },
    );
    const fromEnv = runOptions([], {
      MOCK_FEISHU_HEADERS_TIMEOUT_MS: '4000',
      MOCK_FEISHU_REQUEST_TIMEOUT_MS: '0',
      MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS: '500',
    });

    expect(fromFlags).toMatchObject({
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      idleBodyTimeoutMs: 300,
    });
    expect(fromEnv).toMatchObject({ headersTimeoutMs: 4000, requestTimeoutMs: 0, idleBodyTimeoutMs: 500 });
  });

  it.each(['30s', '-1', '1e3', '1.5'])('refuse %p, naming the flag and its variable', (value) => {
    const load = () => loadMockFeishuConfig([`--idle-body-timeout-ms=${value}`], {});

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /--idle-body-timeout-ms \/ MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS: must be a whole number of milliseconds/,
    );
  });

  it('are listed in --help with their variables and defaults', () => {
    expect(CLI_USAGE).toMatch(/--headers-timeout-ms <n>.*MOCK_FEISHU_HEADERS_TIMEOUT_MS.*\(default 60000\)/);
    expect(CLI_USAGE).toMatch(/--request-timeout-ms <n>.*MOCK_FEISHU_REQUEST_TIMEOUT_MS.*\(default 600000\)/);
    expect(CLI_USAGE).toMatch(
      /--idle-body-timeout-ms <n>.*MOCK_FEISHU_IDLE_BODY_TIMEOUT_MS.*\(default 30000\)/,
    );
  });
});

describe('applyServerLimits', () => {
  const apply = (options: ConstructorParameters<typeof MockFeishuSettings>[0]) => {
    const server = createServer();
    applyServerLimits(server, new MockFeishuSettings(options), new ShiftableClock());
    return server;
  };

  it("sets Node's request and headers timeouts and answers the parser's refusals itself", () => {
    const server = apply({ headersTimeoutMs: 5000, requestTimeoutMs: 9000 });

    expect(server.requestTimeout).toBe(9000);
    expect(server.headersTimeout).toBe(5000);
    expect(server.listenerCount('clientError')).toBe(1);
  });

  it('keeps the headers timeout within the request timeout, and off means off', () => {
    expect(apply({ headersTimeoutMs: 60_000, requestTimeoutMs: 1000 }).headersTimeout).toBe(1000);
    expect(apply({ headersTimeoutMs: 0, requestTimeoutMs: 1000 }).headersTimeout).toBe(1000);
    expect(apply({ headersTimeoutMs: 0, requestTimeoutMs: 0 })).toMatchObject({
      headersTimeout: 0,
      requestTimeout: 0,
    });
  });
});
