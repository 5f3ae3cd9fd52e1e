import type { DownloadGrant, DownloadToken, Redemption } from './download-token.js';

/** A stored URL with its place in issue order, which page cursors name. */
export interface SequencedDownloadToken {
  seq: number;
  token: DownloadToken;
}

/** Where a page of issued URLs starts: past `afterSeq` (0: from the start) in issue order or reversed. */
export interface DownloadTokenPageQuery {
  afterSeq: number;
  limit: number;
  newestFirst: boolean;
}

/** Port for issued download URLs. */
export abstract class DownloadTokenRepository {
  /** Stores the URLs minted together; their codes are `grantCode(grant.id, index)`. */
  abstract saveGrant(grant: DownloadGrant): Promise<void>;
  abstract find(code: string): Promise<DownloadToken | undefined>;
  /**
   * Takes one use of a URL at `now`, atomically: of concurrent downloads of a URL with one use
   * left, exactly one succeeds.
   */
  abstract takeDownloadUse(code: string, now: number): Promise<Redemption>;
  /** Up to `limit` URLs past `afterSeq`, oldest first or newest first. */
  abstract page(
    query: DownloadTokenPageQuery,
  ): Promise<{ items: SequencedDownloadToken[]; hasMore: boolean }>;
  abstract clear(): Promise<void>;
}
