import { DOWNLOAD_URL_MAX_USES, DOWNLOAD_URL_TTL_MS } from '@feishu-attachments/api-client/wire';

/**
 * Every list page mints up to 100 URLs, so under load the store would grow by megabytes a second;
 * a store always knows the newest CAPACITY URLs and forgets older ones, oldest first (it may keep
 * more for a while). A forgotten URL answers like an unknown one, which matters only to a test
 * holding 100 000 URLs at once.
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

/**
 * The URLs minted together, by one list page or one get: one record however many URLs, each URL's
 * code the grant's id and its index (`grantCode`). A store keeps the grant and counts uses only
 * for URLs that have been redeemed, so a 50-item page costs one stored record, not 50.
 */
export interface DownloadGrant {
  id: string;
  attachmentGuids: readonly string[];
  issuedAt: number;
  expiresAt: number;
}

/** The most URLs one grant holds: a list page's largest `page_size`. */
export const MAX_GRANT_SIZE = 100;
/** An index in a code: two base-36 digits, enough for MAX_GRANT_SIZE. */
const INDEX_DIGITS = 2;

export function issueDownloadGrant(
  id: string,
  attachmentGuids: readonly string[],
  now: number,
): DownloadGrant {
  if (attachmentGuids.length > MAX_GRANT_SIZE) {
    throw new RangeError(`a grant holds at most ${MAX_GRANT_SIZE} URLs`);
  }
  return { id, attachmentGuids, issuedAt: now, expiresAt: now + DOWNLOAD_URL_TTL_MS };
}

/** The code of a grant's `index`th URL. */
export const grantCode = (grantId: string, index: number): string =>
  grantId + index.toString(36).padStart(INDEX_DIGITS, '0');

/** The grant id and index a code names, if it has the shape of one. */
export function splitGrantCode(code: string): { grantId: string; index: number } | undefined {
  const digits = code.slice(-INDEX_DIGITS);
  if (code.length <= INDEX_DIGITS || !/^[0-9a-z]+$/.test(digits)) return undefined;
  return { grantId: code.slice(0, -INDEX_DIGITS), index: Number.parseInt(digits, 36) };
}

/** The state of a grant's `index`th URL after `usesTaken` downloads. */
export function grantToken(grant: DownloadGrant, index: number, usesTaken: number): DownloadToken {
  return {
    code: grantCode(grant.id, index),
    attachmentGuid: grant.attachmentGuids[index],
    issuedAt: grant.issuedAt,
    expiresAt: grant.expiresAt,
    usesLeft: DOWNLOAD_URL_MAX_USES - usesTaken,
  };
}

/** Every URL of a grant, none used yet. */
export const grantTokens = (grant: DownloadGrant): DownloadToken[] =>
  grant.attachmentGuids.map((_guid, index) => grantToken(grant, index, 0));

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
