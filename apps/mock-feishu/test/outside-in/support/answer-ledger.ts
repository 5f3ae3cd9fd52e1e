/**
 * Every answer a spec file of this layer reads, whatever the client (raw socket, curl, fetch, the
 * SDK): each spec file ends with a test that none of them showed the emulator's insides. Jest
 * gives each test file its own module registry, so the ledger is per file.
 */

export interface LedgerEntry {
  /** `METHOD /path` or what sent it. */
  label: string;
  status: number;
  contentType: string;
  body: string;
}

const ledger: LedgerEntry[] = [];

export function recordAnswer(
  label: string,
  answer: { status: number; headers?: Record<string, string>; body: string },
  contentType = answer.headers?.['content-type'] ?? '',
): void {
  ledger.push({ label, status: answer.status, contentType, body: answer.body });
}

/**
 * A V8 stack frame (in text, JSON or Express's HTML page): indentation, `at`, then
 * `name (file:line:col)` or `file:line:col`. Not any indented "at": the control plane's OpenAPI
 * document has prose lines that start so.
 */
const STACK_FRAME =
  /(?:^|\n|\\n|<br>)(?:\s|&nbsp;)+at (?:(?:new |async )?[^\s()]+ \((?:<anonymous>|native|[^\s()]+:\d+(?::\d+)?)\)|[^\s()]+:\d+:\d+)/;

/** What an answer must never carry: file paths of the install, a stack trace, Express's error page. */
export const INSIDES = [
  { what: 'a node_modules path', test: (body: string) => body.includes('node_modules') },
  { what: 'a /dist/ path', test: (body: string) => body.includes('/dist/') },
  { what: 'a stack frame', test: (body: string) => STACK_FRAME.test(body) },
  { what: "Express's HTML error page", test: (body: string) => body.includes('<!DOCTYPE html>') },
];

/** The inspector page (`GET /__mock/ui/…`, canonical spelling only) is HTML by design. */
const isInspectorPage = (label: string) => /^GET \/__mock\/ui\//.test(label);

/** `label → what leaked` for every recorded answer that shows some of the emulator's insides. */
export function leakedInsides(): string[] {
  const found: string[] = [];
  for (const entry of ledger) {
    if (isInspectorPage(entry.label)) continue;
    for (const inside of INSIDES)
      if (inside.test(entry.body))
        found.push(`${entry.label} → ${entry.status}: ${inside.what}: ${entry.body.slice(0, 200)}`);
  }
  return found;
}

export const answersRecorded = (): number => ledger.length;

/** The closing test of a spec file: registered last, so it runs after every other test of the file. */
export function itShowsNoInsidesInAnyAnswer(): void {
  it('shows no stack, no install path and no Express HTML error page in any answer of this file', () => {
    expect(answersRecorded()).toBeGreaterThan(0);
    expect(leakedInsides()).toEqual([]);
  });
}
