import { randomBytes } from 'node:crypto';

/** The sandbox every emulator starts with: the one a credential without a sandbox id belongs to. */
export const DEFAULT_SANDBOX_ID = 'default';

/** `sb` and 10 lower-case letters or digits: short enough to ride in a token, a code or a path. */
export const SANDBOX_ID_PATTERN = /^sb[a-z0-9]{10}$/;
const ID_LENGTH = 12;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newSandboxId(): string {
  let id = 'sb';
  for (const byte of randomBytes(ID_LENGTH - 2)) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export function isSandboxId(value: string): boolean {
  return value.length === ID_LENGTH && SANDBOX_ID_PATTERN.test(value);
}

const UNDERSCORE = 95;

/**
 * The sandbox a bearer token names (ids.ts mints them): `t-<id>_…` / `a-<id>_…` for tenant and app
 * tokens, `<header>.<payload>.<id>_…` for user JWTs; undefined for the default sandbox's tokens
 * (and anything else), which is where an unknown token is refused.
 */
export function sandboxIdOfToken(token: string): string | undefined {
  let start: number;
  if (token.startsWith('t-') || token.startsWith('a-')) start = 2;
  else if (token.startsWith('eyJ')) start = token.lastIndexOf('.') + 1;
  else return undefined;
  if (start === 0 || token.charCodeAt(start + ID_LENGTH) !== UNDERSCORE) return undefined;
  const id = token.slice(start, start + ID_LENGTH);
  return isSandboxId(id) ? id : undefined;
}

/** The sandbox a download URL's code names (`<id>.<code>`); undefined for the default sandbox's. */
export function sandboxIdOfCode(code: string): string | undefined {
  if (code.charAt(ID_LENGTH) !== '.') return undefined;
  const id = code.slice(0, ID_LENGTH);
  return isSandboxId(id) ? id : undefined;
}
