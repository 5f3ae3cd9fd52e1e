import { Logger, type Provider } from '@nestjs/common';
import {
  createFeishuClient,
  type FeishuClient,
  type FeishuClientOptions,
  type FeishuLogger,
} from '@feishu-attachments/api-client';
import { AdminApiSettings } from '../admin-api.settings.js';

/** DI token of the one Feishu client; `FeishuClient` is an interface, so it needs a token of its own. */
export const FEISHU_CLIENT = Symbol('FEISHU_CLIENT');

/**
 * Client options a caller of `startAdminApi` may add: tests use them for fast retries and to
 * see what was sent. Auth, base URL and timeouts always come from the settings.
 */
export type FeishuClientTuning = Pick<FeishuClientOptions, 'fetch' | 'retry' | 'hooks' | 'now'>;
export const FEISHU_CLIENT_TUNING = Symbol('FEISHU_CLIENT_TUNING');

/**
 * The client hands its logger only a message and a few fields (attempt, code, log id, duration),
 * never a token. Still, only those known fields are passed on, so a future field cannot leak
 * something into the log by accident.
 */
export function feishuLogger(logger = new Logger('Feishu')): FeishuLogger {
  const fields = (meta?: Record<string, unknown>) => {
    if (!meta) return '';
    const safe = ['attempt', 'code', 'logId', 'durationMs']
      .filter((key) => meta[key] !== undefined)
      .map((key) => `${key}=${String(meta[key])}`);
    return safe.length ? ` (${safe.join(' ')})` : '';
  };
  return {
    debug: (message, meta) => logger.debug(`${message}${fields(meta)}`),
    info: (message, meta) => logger.log(`${message}${fields(meta)}`),
    warn: (message, meta) => logger.warn(`${message}${fields(meta)}`),
    error: (message, meta) => logger.error(`${message}${fields(meta)}`),
  };
}

/** The one place that creates the Feishu client: the service acts as its app unless a call says otherwise. */
export const feishuClientProvider: Provider = {
  provide: FEISHU_CLIENT,
  inject: [AdminApiSettings, FEISHU_CLIENT_TUNING],
  useFactory: (settings: AdminApiSettings, tuning: FeishuClientTuning): FeishuClient =>
    createFeishuClient({
      ...tuning,
      baseUrl: settings.feishu.baseUrl,
      auth: { appId: settings.feishu.appId, appSecret: settings.feishu.appSecret },
      ...(settings.feishu.timeoutMs === undefined
        ? {}
        : { timeouts: { requestMs: settings.feishu.timeoutMs } }),
      logger: feishuLogger(),
    }),
};
