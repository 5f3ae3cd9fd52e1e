import { validateHeaderValue } from 'node:http';

// RFC 9110 §5.6.2 token characters.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*"';
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`);

/**
 * Whether a seeded attachment's content type is a `type/subtype` media type (with optional
 * parameters) that a download can write as a header. Hand-written because the `content-type`
 * package parses leniently (it accepts `text`, non-ASCII and CR/LF), and checked again by Node.
 */
export function isWritableContentType(value: string): boolean {
  if (value.length > 255 || !MEDIA_TYPE.test(value)) return false;
  try {
    validateHeaderValue('Content-Type', value);
    return true;
  } catch {
    return false;
  }
}
