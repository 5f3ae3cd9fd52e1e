import { execFile } from 'node:child_process';
import { recordAnswer } from './answer-ledger.js';

/** curl from PATH (.ci/run installs Debian's, /usr/bin/curl, when there is none). */
export const CURL = 'curl';

export interface CurlResult {
  /** curl's exit code: 0, or why it failed (52 empty reply, 55 send failure, 56 receive failure, 28 timeout…). */
  exitCode: number;
  /** The HTTP status curl read; 0 when it read none. */
  status: number;
  body: string;
  stderr: string;
}

/**
 * Runs curl as a developer would type it, with `-sS -m 30` (the bound turns a hang into a
 * failure, it is not a duration under test) and the status written after the body.
 * Never rejects: a failed transfer is a result, so a test can say what curl saw.
 */
export function curl(args: string[], label = `curl ${args.join(' ')}`): Promise<CurlResult> {
  const marker = '\n__curl_http_code__=';
  return new Promise((resolve) => {
    execFile(
      CURL,
      ['-sS', '-m', '30', '-w', `${marker}%{http_code}`, ...args],
      { maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const at = stdout.lastIndexOf(marker);
        const body = at >= 0 ? stdout.slice(0, at) : stdout;
        const status = at >= 0 ? Number(stdout.slice(at + marker.length)) : 0;
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (status > 0) recordAnswer(label, { status, body }, '');
        resolve({ exitCode, status, body, stderr: stderr.trim() });
      },
    );
  });
}

/** What a failed transfer looked like, for an assertion message. */
export const describeCurl = (result: CurlResult): string =>
  `curl exit ${result.exitCode}, HTTP ${result.status}, stderr ${JSON.stringify(result.stderr)}, body ${JSON.stringify(result.body.slice(0, 300))}`;
