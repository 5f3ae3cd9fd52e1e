import { DOWNLOAD_URL_MAX_USES, DOWNLOAD_URL_TTL_MS } from '@feishu-attachments/api-client/wire';

/** A temporary download URL's state: Feishu allows 3 minutes and 3 downloads (task-v2/attachment/get). */
export interface DownloadToken {
  code: string;
  attachmentGuid: string;
  issuedAt: number;
  expiresAt: number;
  usesLeft: number;
}

export type Redemption =
  { ok: true; token: DownloadToken } | { ok: false; reason: 'unknown' | 'expired' | 'used_up' };

export function issueDownloadToken(code: string, attachmentGuid: string, now: number): DownloadToken {
  return {
    code,
    attachmentGuid,
    issuedAt: now,
    expiresAt: now + DOWNLOAD_URL_TTL_MS,
    usesLeft: DOWNLOAD_URL_MAX_USES,
  };
}

export function isExpired(token: DownloadToken, now: number): boolean {
  return now >= token.expiresAt;
}

/**
 * Takes one use. It runs synchronously, so concurrent downloads of one URL cannot both take
 * the last use: exactly three succeed whatever the interleaving.
 */
export function redeem(token: DownloadToken | undefined, now: number): Redemption {
  if (!token) return { ok: false, reason: 'unknown' };
  if (isExpired(token, now)) return { ok: false, reason: 'expired' };
  if (token.usesLeft <= 0) return { ok: false, reason: 'used_up' };
  token.usesLeft -= 1;
  return { ok: true, token };
}
