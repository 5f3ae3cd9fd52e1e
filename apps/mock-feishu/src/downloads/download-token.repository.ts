import type { DownloadToken } from './download-token.js';

/** Port for issued download URLs. */
export abstract class DownloadTokenRepository {
  abstract save(token: DownloadToken): void;
  abstract find(code: string): DownloadToken | undefined;
  abstract all(): DownloadToken[];
  /** Forgets tokens that expired before `before`, so a long run does not grow without bound. */
  abstract forgetExpiredBefore(before: number): void;
  abstract clear(): void;
}
