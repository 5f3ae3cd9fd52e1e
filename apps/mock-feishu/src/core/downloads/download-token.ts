import { DOWNLOAD_URL_MAX_USES, DOWNLOAD_URL_TTL_MS } from '@feishu-attachments/api-client/wire';

/**
 * Every list page mints up to 100 URLs, so under load the store would grow by megabytes a second;
 * a store keeps the newest CAPACITY URLs and forgets the oldest first. A forgotten URL answers like
 * an unknown one, which matters only to a test holding 100 000 URLs at once.
 */
export const DOWNLOAD_TOKEN_CAPACITY = 100_000;

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

/** Why a URL is not honoured now, if it is not; a pure rule both adapters apply. */
export function refusalOf(token: DownloadToken | undefined, now: number): Redemption | undefined {
  if (!token) return { ok: false, reason: 'unknown' };
  if (isExpired(token, now)) return { ok: false, reason: 'expired' };
  if (token.usesLeft <= 0) return { ok: false, reason: 'used_up' };
  return undefined;
}

/** The URL after one more use, or why it cannot be used; never changes `token` itself. */
export function redeem(token: DownloadToken | undefined, now: number): Redemption {
  const refusal = refusalOf(token, now);
  if (refusal) return refusal;
  const used = token as DownloadToken;
  return { ok: true, token: { ...used, usesLeft: used.usesLeft - 1 } };
}
