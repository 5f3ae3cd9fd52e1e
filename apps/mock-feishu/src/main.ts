#!/usr/bin/env node
import { CLI_USAGE, ConfigError, loadMockFeishuConfig } from './mock-feishu.config.js';
// Types only: the emulator itself (Nest, Express, SQLite) is loaded once the arguments ask for it,
// so that --help, --version and a refused flag answer without it.
import type { RunningMockFeishu } from './start-mock-feishu.js';
import { DEFAULT_APP_SECRET, type MockFeishuOptions } from './config/mock-feishu.settings.js';
import { MOCK_FEISHU_VERSION } from './mock-feishu.version.js';

async function main(): Promise<void> {
  // `mock-feishu verify-pacts …`: its own arguments, and Pact (an optional peer) only in there.
  if (process.argv[2] === 'verify-pacts') {
    const { verifyPactsCommand } = await import('./contracts/verify-pacts.command.js');
    process.exitCode = await verifyPactsCommand(process.argv.slice(3));
    // Ends on its own once the output is written; a --state-handlers module left holding a socket cannot keep it up.
    setTimeout(() => process.exit(), 1000).unref();
    return;
  }

  let command;
  try {
    command = loadMockFeishuConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`mock-feishu: ${error.message}\n\n${CLI_USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  if (command.kind === 'help') {
    console.log(CLI_USAGE);
    return;
  }
  if (command.kind === 'version') {
    console.log(MOCK_FEISHU_VERSION);
    return;
  }

  const { startMockFeishu } = await import('./start-mock-feishu.js');
  const feishu = await startMockFeishu(command.options).catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'EADDRINUSE'
        ? 'the port is already in use (try --port 0 or another port)'
        : error.message;
    console.error(`mock-feishu: could not start: ${reason}`);
    process.exit(1);
  });
  // Before the banner: whoever reads it as "ready" may signal at once, and must get a clean stop.
  const stop = (signal: string) => {
    console.log(`mock-feishu: ${signal}, stopping`);
    feishu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  console.log(banner(feishu, command.options).join('\n'));

  void feishu.store.swept.then((removed) => {
    if (feishu.store.kind === 'sqlite')
      console.log(`mock-feishu: start-up sweep removed ${removed} leftover file(s)`);
  });
}

/** What the emulator prints at start; the only secrets it shows are the documented default and a generated token. */
function banner(feishu: RunningMockFeishu, options: MockFeishuOptions): string[] {
  const { address, port } = feishu.boundAddress;
  const bound = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  const secret = feishu.app.appSecret === DEFAULT_APP_SECRET ? feishu.app.appSecret : '******** (as given)';
  const generated = feishu.controlToken !== undefined && options.controlToken === undefined;
  return [
    `mock-feishu listening on ${bound}${bound === feishu.url ? '' : ` (from this machine: ${feishu.url})`}`,
    `  download URLs point at ${feishu.publicUrl}`,
    `  app_id ${feishu.app.appId}  app_secret ${secret}`,
    options.controlPlane === false
      ? '  control plane off'
      : `  control plane ${feishu.url}/__mock (try GET /__mock/health)`,
    ...(feishu.inspectorUrl
      ? [`  inspector ${feishu.inspectorUrl}${feishu.controlToken ? '?token=<control token>' : ''}`]
      : []),
    ...(generated
      ? [
          '  not on loopback, so /__mock needs a control token (Authorization: Bearer …); generated one:',
          `  control token ${feishu.controlToken}`,
        ]
      : feishu.controlToken
        ? ['  control token required on /__mock (Authorization: Bearer …)']
        : []),
    `  rate limits ${options.rateLimits === false ? 'off' : 'on'}`,
    feishu.store.kind === 'memory'
      ? '  state in memory: gone when it stops (--data-dir <path> keeps it)'
      : `  state kept in ${feishu.store.dataDir ?? 'a temporary folder'}${feishu.store.fresh ? ' (new)' : ' (restored)'}`,
    'Press Ctrl+C to stop.',
  ];
}

void main();
