import { Inject, Injectable } from '@nestjs/common';
import {
  isFeishuApiError,
  isFeishuConnectionError,
  isFeishuTimeoutError,
  type FeishuClient,
} from '@feishu-attachments/api-client';
import { AdminApiSettings } from '../admin-api.settings.js';
import { isAppCredentialRejection, provesAuthenticated } from '../errors/feishu-error.mapping.js';
import { FEISHU_CLIENT } from '../feishu/feishu-client.provider.js';
import type { FeishuHealthDto } from './health.dto.js';

// No task has this guid, so Feishu's answer is a 404 from the task service: proof that the
// gateway let the app's token through, without reading or changing anything.
const PROBE_TASK_GUID = '00000000-0000-0000-0000-000000000000';
const PROBE_LIMIT_MS = 5_000;

/** Whether Feishu answers, and accepts the app's credentials. */
@Injectable()
export class FeishuHealthService {
  constructor(
    @Inject(FEISHU_CLIENT) private readonly feishu: FeishuClient,
    private readonly settings: AdminApiSettings,
  ) {}

  async probe(): Promise<FeishuHealthDto> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    // A probe that hangs is an answer too; never wait longer than PROBE_LIMIT_MS for it.
    const signal = AbortSignal.timeout(
      Math.min(this.settings.feishu.timeoutMs ?? PROBE_LIMIT_MS, PROBE_LIMIT_MS),
    );
    try {
      await this.feishu.tasks.get(PROBE_TASK_GUID, { signal });
      return { reachable: true, authenticated: true, latencyMs: latency() };
    } catch (error) {
      const latencyMs = latency();
      if (isFeishuApiError(error)) {
        if (provesAuthenticated(error)) {
          // A 404 (or 403) from the task service is the expected answer; a rate limit or missing scope is worth saying.
          const healthy = /^147\d{4}$/.test(String(error.code));
          return {
            reachable: true,
            authenticated: true,
            latencyMs,
            ...(healthy ? {} : { error: `Feishu answered code ${error.code}: ${error.msg}` }),
          };
        }
        const why = isAppCredentialRejection(error)
          ? `Feishu rejected the app credentials (FEISHU_APP_ID / FEISHU_APP_SECRET): code ${error.code}, ${error.msg}`
          : `Feishu answered HTTP ${error.httpStatus}, code ${error.code}: ${error.msg}`;
        return { reachable: true, authenticated: false, latencyMs, error: why };
      }
      if (isFeishuTimeoutError(error) || signal.aborted) {
        return {
          reachable: false,
          authenticated: false,
          latencyMs,
          error: `Feishu is unreachable: ${this.settings.feishu.baseUrl} did not answer in time.`,
        };
      }
      if (isFeishuConnectionError(error)) {
        return {
          reachable: false,
          authenticated: false,
          latencyMs,
          error: `Feishu is unreachable: could not connect to ${this.settings.feishu.baseUrl}.`,
        };
      }
      return {
        reachable: false,
        authenticated: false,
        latencyMs,
        error: `The probe failed: ${(error as Error)?.message}`,
      };
    }
  }
}
