import { randomBytes, randomUUID } from 'node:crypto';

// One randomBytes call per 4 KiB of ids: a call per request showed up as a tenth of the
// emulator's CPU under load (see BENCHMARKS.md).
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function random(bytes: number): Buffer {
  if (bytes > POOL_BYTES) return randomBytes(bytes);
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + bytes);
  offset += bytes;
  return out;
}

const hex = (bytes: number): string => random(bytes).toString('hex');
const base62Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function base62(length: number): string {
  const bytes = random(length);
  let out = '';
  for (const byte of bytes) out += base62Alphabet[byte % base62Alphabet.length];
  return out;
}

export const newGuid = (): string => randomUUID();

/** Feishu Drive tokens look like `boxcnTDqPaRA6JbYnzQsZ2doB2b`: `boxcn` and 22 characters. */
export const newFileToken = (): string => `boxcn${base62(22)}`;

/**
 * Tenant and app tokens start with `t-` and `a-`; the gateway classifies tokens by prefix. A
 * sandbox's tokens carry its id after the prefix (`t-<sandbox>_…`, sandbox-id.ts), so a call finds
 * its sandbox from the token alone; the default sandbox's are hex only, as before.
 */
export const newTenantAccessToken = (sandbox = ''): string =>
  sandbox ? `t-${sandbox}_${hex(16)}` : `t-${hex(20)}`;
export const newAppAccessToken = (sandbox = ''): string =>
  sandbox ? `a-${sandbox}_${hex(16)}` : `a-${hex(20)}`;

/**
 * Current user tokens are JWTs; the gateway recognises them by their `eyJ` start. A sandbox's
 * carry its id at the start of the signature part (`…<sandbox>_…`).
 */
export function newUserAccessToken(openId: string, sandbox = ''): string {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: openId, jti: hex(12) })).toString('base64url');
  return `${header}.${payload}.${sandbox ? `${sandbox}_${base62(30)}` : base62(43)}`;
}

export const newRefreshToken = (): string => `ur-${base62(48)}`;
export const newAuthorizationCode = (): string => base62(32);
/**
 * Download codes (of a grant: download-token.ts) start with the issue time in hex, then 18 random
 * bytes (144 bits, the secret part): codes minted later sort later, so the SQLite store appends
 * them to its index instead of rewriting pages all over it (twice the list throughput once it
 * holds 100 000 URLs). A sandbox's codes start with its id and a dot (`.` is in neither part).
 */
export const newDownloadCode = (sandbox = ''): string =>
  (sandbox ? `${sandbox}.` : '') +
  Date.now().toString(16).padStart(12, '0') +
  random(18).toString('base64url');

export const newOpenId = (): string => `ou_${hex(16)}`;
export const newUnionId = (): string => `on_${hex(16)}`;
export const newUserId = (): string => hex(4);

// The log id's timestamp changes once a second, so it is formatted once a second, not per call.
let stampSecond = Number.NaN;
let stamp = '';

/** Feishu log ids: `yyyyMMddHHmmss` then 20 upper-case hex digits. */
export function newLogId(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stamp = new Date(second * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  }
  return `${stamp}${hex(10).toUpperCase()}`;
}
