import type { DownloadToken, Redemption } from './download-token.js';

/** Port for issued download URLs. */
export abstract class DownloadTokenRepository {
  abstract saveAll(tokens: readonly DownloadToken[]): Promise<void>;
  abstract find(code: string): Promise<DownloadToken | undefined>;
  /**
   * Takes one use of a URL at `now`, atomically: of concurrent downloads of a URL with one use
   * left, exactly one succeeds.
   */
  abstract takeDownloadUse(code: string, now: number): Promise<Redemption>;
  abstract all(): Promise<DownloadToken[]>;
  abstract clear(): Promise<void>;
}
