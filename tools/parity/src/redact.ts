/** What stands in for a removed credential in every output. */
export const REDACTED = '<redacted>';

// Shapes of credentials that may turn up in a message even when the run never held them.
const PATTERNS: RegExp[] = [
  /\b[tua]-[A-Za-z0-9_-]{8,}/g, // tenant, app and legacy user tokens
  /\beyJ[A-Za-z0-9_-]{8,}(\.[A-Za-z0-9_-]*){0,2}/g, // JWT user tokens
  /([?&]code=)[^&\s"'<>]+/g, // download URL codes
];

/**
 * Removes every credential the run saw (tokens, secrets, download URLs) and anything shaped like
 * one from a report's text, so the outputs can be attached to a public issue.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  // Longest first, so a URL goes before the code inside it.
  for (const secret of [...secrets].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
    // JSON output escapes some characters; catch the escaped form too.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
  }
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match, prefix) =>
      typeof prefix === 'string' && prefix.includes('code=') ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}
