import type { DownloadToken } from './download-token.js';

/** Port for issued download URLs. */
export abstract class DownloadTokenRepository {
  abstract save(token: DownloadToken): void;
  abstract find(code: string): DownloadToken | undefined;
  abstract all(): DownloadToken[];
  abstract clear(): void;
}
