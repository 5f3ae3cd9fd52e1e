/** Decodings tried on a path: enough for `%255F` (encoded twice), not a loop on hostile input. */
const MAX_DECODINGS = 3;

/**
 * A path as the most lenient server could read it: percent-decoded (repeatedly), backslashes
 * as slashes, empty and `.` segments dropped, `..` applied, in lower case. The router matches
 * only the exact, case-sensitive spelling, but the access rules decide on this form, so no
 * spelling of a protected path can be both routed somewhere and let through.
 */
export function looseSpelling(path: string): string {
  let decoded = path;
  for (let i = 0; i < MAX_DECODINGS; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      break;
    }
    if (next === decoded) break;
    decoded = next;
  }
  const segments: string[] = [];
  for (const segment of decoded.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`.toLowerCase();
}

/** Whether `path`, however it is spelled, names `prefix` or something under it. */
export function isUnder(prefix: string, path: string): boolean {
  const loose = looseSpelling(path);
  return loose === prefix || loose.startsWith(`${prefix}/`);
}
