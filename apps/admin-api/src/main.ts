#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { CONFIG_USAGE, ConfigError, loadAdminApiConfig, type AdminApiConfig } from './admin-api.config.js';
import { startAdminApi } from './start-admin-api.js';

async function main(): Promise<void> {
  // Variables already set win over the file, so a deployment can override a checked-out .env.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: AdminApiConfig;
  try {
    config = loadAdminApiConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(
        `admin-api: ${error.message}\n\n${CONFIG_USAGE}\n` +
          'A .env file in the working directory is read too (variables already set win); ' +
          "copy .env.example to .env for the local emulator's values.",
      );
      process.exit(2);
    }
    throw error;
  }

  const api = await startAdminApi(config).catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'EADDRINUSE'
        ? `port ${config.port} is already in use (set ADMIN_API_PORT to another port, or 0)`
        : error.message;
    console.error(`admin-api: could not start: ${reason}`);
    process.exit(1);
  });
  console.log(
    [
      `admin-api listening on ${api.url}`,
      `  docs ${api.url}/docs (OpenAPI JSON at ${api.url}/docs-json)`,
      `  Feishu at ${config.feishu.baseUrl} as app ${config.feishu.appId}`,
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );

  const stop = (signal: string) => {
    console.log(`admin-api: ${signal}, stopping`);
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

void main();
