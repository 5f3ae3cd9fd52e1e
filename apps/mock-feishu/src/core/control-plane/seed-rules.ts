// RFC 9110 §5.6.2 token characters.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*"';
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))*$`);

/**
 * Whether a seeded attachment's content type is a `type/subtype` media type (with optional
 * parameters) that a download can write as a header. Hand-written because the `content-type`
 * package parses leniently (it accepts `text`, non-ASCII and CR/LF). The grammar admits only tab,
 * space and visible ASCII, all of which Node writes in a header value, so it needs no second check.
 */
export function isWritableContentType(value: string): boolean {
  return value.length <= 255 && MEDIA_TYPE.test(value);
}
