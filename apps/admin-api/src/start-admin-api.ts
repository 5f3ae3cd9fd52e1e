import 'reflect-metadata';
import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdminApiConfig, LogLevelSetting } from './admin-api.config.js';
import { AdminApiSettings } from './admin-api.settings.js';
import { AdminApiModule } from './app.module.js';
import { setupOpenApi } from './docs/openapi.js';
import { expressErrorHandler } from './errors/admin-api-error.filter.js';
import type { FeishuClientTuning } from './feishu/feishu-client.provider.js';

export interface StartAdminApiOptions extends AdminApiConfig {
  /** Where log lines go instead of Nest's console logger (tests), or false for none. */
  logger?: LoggerService | false;
  /** Extra Feishu client options (fast retries, a recording fetch), mostly for tests. */
  feishuClient?: FeishuClientTuning;
}

const NEST_LEVELS: Record<LogLevelSetting, LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};
const levelsUpTo = (level: LogLevelSetting): LogLevel[] => NEST_LEVELS[level];

export interface RunningAdminApi {
  /** Base URL, e.g. `http://127.0.0.1:3200`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the admin API in this process. The options are taken as valid (build them with
 * `loadAdminApiConfig`); `port: 0` picks a free port.
 */
export async function startAdminApi(options: StartAdminApiOptions): Promise<RunningAdminApi> {
  const settings = new AdminApiSettings(options);
  const app = await NestFactory.create<NestExpressApplication>(
    AdminApiModule.forRoot({ settings, tuning: options.feishuClient ?? {} }),
    {
      bodyParser: false,
      forceCloseConnections: true,
      // A logger of this app's own: given only levels, Nest would keep printing through whichever
      // logger an earlier app in the same process installed as its static logger.
      logger: options.logger ?? new ConsoleLogger({ logLevels: levelsUpTo(options.logLevel ?? 'log') }),
    },
  );
  app.disable('x-powered-by');
  // Answers are live views of Feishu; Express's ETags would only invite stale conditional requests.
  app.set('etag', false);
  // Parsed here rather than by Nest, so a malformed body reaches our error handler and our shape.
  app.use(express.json({ limit: '100kb' }));
  app.use(expressErrorHandler(settings));
  setupOpenApi(app);

  try {
    await app.listen(options.port, options.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const server = app.getHttpServer() as Server;
  // Node checks these on a timer of its own (connectionsCheckingInterval, 30 s by default).
  server.headersTimeout = Math.min(settings.timeouts.headersMs, settings.timeouts.requestMs);
  server.requestTimeout = settings.timeouts.requestMs;
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  let closed = false;
  return {
    url,
    port,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}
