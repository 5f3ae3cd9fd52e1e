/** What an `Authorization` header carries, as Feishu's gateway reads it. */
export type BearerCredential =
  | { kind: 'missing' }
  /** A token followed by anything else: a token was sent, but not a valid one. */
  | { kind: 'malformed' }
  | { kind: 'token'; token: string };

/**
 * Feishu: no header, or one without the `Bearer ` scheme, counts as no token (99991661, live
 * probes); `Bearer <token> <more>` sent a token, so it is refused as an invalid one (99991663).
 */
export function readBearer(authorization: string | undefined): BearerCredential {
  const match = /^Bearer(?:\s+(.*))?$/is.exec((authorization ?? '').trim());
  const words = match?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (words.length === 0) return { kind: 'missing' };
  if (words.length > 1) return { kind: 'malformed' };
  return { kind: 'token', token: words[0] };
}
