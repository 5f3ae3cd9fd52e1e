import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import {
  closeServer,
  listen,
  startPrismValidator,
  validateExchange,
  VALIDATOR_ENV,
  type Recorded,
  type ValidatorAddress,
} from './prism-validator.js';

/** One violation Prism reported, with the call it was about. */
export interface RefereeFinding {
  method: string;
  path: string;
  status: number;
  /** Feishu `code` of the emulator's answer, when it was JSON with one. */
  code?: number;
  location: string;
  severity: string;
  message: string;
}

/** A call Prism could not judge, and why. */
export interface UncheckedCall {
  method: string;
  path: string;
  reason: string;
}

export interface PrismReferee {
  /** Where clients send their calls; they get the emulator's own answers from here. */
  readonly url: string;
  /** Points the referee at the server to check. */
  setUpstream(upstreamUrl: string): void;
  /** Violations that mean the emulator or the document is wrong (see `judge`). */
  findings(): RefereeFinding[];
  /** Every violation Prism reported, expected or not. */
  allViolations(): RefereeFinding[];
  /** Calls of the emulated surface that Prism could not check. */
  unchecked(): UncheckedCall[];
  /** Waits for every pending check, then stops Prism. */
  close(): Promise<void>;
}

// Only the emulated Feishu surface is in the document; the control plane has its own.
const JUDGED_PATHS = /^\/(open-apis|download)\//;
// Prism keeps whole bodies in memory and refuses large ones with its own 413 (stoplightio/prism#1321).
const PRISM_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Which violations fail the run. A response that breaks the document always does. A request
 * that breaks it does only when the emulator accepted it: tests send bad requests on purpose to
 * see the emulator's 400s.
 */
export function judge(finding: RefereeFinding): boolean {
  if (!JUDGED_PATHS.test(finding.path)) return false;
  if (finding.location.startsWith('response')) return true;
  // Feishu refuses some requests with HTTP 200 and a non-zero code (the auth endpoints).
  const refused = finding.status >= 400 || (finding.code !== undefined && finding.code !== 0);
  return !refused;
}

/**
 * Prism as a referee that cannot change the outcome. Every call goes straight to the emulator and
 * its answer straight back to the client; a copy of the exchange is then replayed through a Prism
 * validation proxy whose upstream hands back the recorded answer. So Prism checks the request and
 * the response against the document, while its own quirks (it re-encodes binary bodies, refuses
 * large or chunked ones, answers malformed JSON itself) never reach the test, and nothing runs twice.
 */
export async function startPrismReferee(options: { spec?: string } = {}): Promise<PrismReferee> {
  const violations: RefereeFinding[] = [];
  const unchecked: UncheckedCall[] = [];
  const pending = new Set<Promise<void>>();
  let upstream: URL | undefined;

  // The run's shared validator when the Jest global setup started one; otherwise one of our own.
  const shared = process.env[VALIDATOR_ENV];
  const owned = shared ? undefined : startPrismValidator(options);
  owned?.catch(() => undefined);
  const validator: Promise<ValidatorAddress> = shared
    ? Promise.resolve(JSON.parse(shared) as ValidatorAddress)
    : (owned as Promise<ValidatorAddress>);

  const check = async (
    request: { method: string; path: string; url: string; headers: IncomingHttpHeaders; body: Buffer },
    answer: Recorded,
  ) => {
    const said = await validateExchange(await validator, request, answer);
    for (const violation of said) {
      violations.push({
        method: request.method,
        path: request.path,
        status: answer.status,
        code: feishuCode(answer.body),
        location: violation.location.join('.'),
        severity: violation.severity,
        message: violation.message,
      });
    }
  };

  const front: Server = createServer((req, res) => {
    if (!upstream) {
      res.writeHead(503).end('referee has no upstream yet');
      return;
    }
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const judged = JUDGED_PATHS.test(path);
    const requestCopy = new BoundedCopy(judged ? PRISM_BODY_LIMIT_BYTES : 0);
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: Number(upstream.port),
        method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const responseCopy = new BoundedCopy(judged ? PRISM_BODY_LIMIT_BYTES : 0);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('data', (chunk: Buffer) => responseCopy.add(chunk));
        answer.pipe(res);
        answer.on('end', () => {
          if (!judged) return;
          if (method === 'HEAD') {
            unchecked.push({ method, path, reason: 'Prism cannot check HEAD answers' });
            return;
          }
          if (requestCopy.overflowed || responseCopy.overflowed) {
            unchecked.push({ method, path, reason: `a body over ${PRISM_BODY_LIMIT_BYTES} bytes` });
            return;
          }
          const headers = { ...req.headers };
          delete headers['transfer-encoding'];
          const recorded = {
            status: answer.statusCode ?? 0,
            headers: { ...answer.headers },
            body: responseCopy.bytes(),
          };
          delete recorded.headers['transfer-encoding'];
          const request = { method, path, url: req.url ?? path, headers, body: requestCopy.bytes() };
          const task = check(request, recorded).catch((error: unknown) => {
            unchecked.push({ method, path, reason: `Prism failed: ${(error as Error).message}` });
          });
          pending.add(task);
          void task.finally(() => pending.delete(task));
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => requestCopy.add(chunk));
    req.pipe(forward);
  });
  const url = await listen(front);

  return {
    url,
    setUpstream(upstreamUrl: string) {
      upstream = new URL(upstreamUrl);
    },
    findings: () => violations.filter(judge),
    allViolations: () => [...violations],
    unchecked: () => [...unchecked],
    async close() {
      await Promise.all(pending);
      await closeServer(front);
      if (owned) await (await owned).close();
    },
  };
}

function feishuCode(body: Buffer): number | undefined {
  try {
    const code = (JSON.parse(body.toString('utf8')) as { code?: unknown }).code;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps a copy of a stream's bytes up to a limit, and remembers whether it went past it. */
class BoundedCopy {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    if (this.overflowed) return;
    this.size += chunk.length;
    if (this.size > this.limit) {
      this.overflowed = true;
      this.chunks.length = 0;
      return;
    }
    this.chunks.push(chunk);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Formats findings for a failure message. */
export function describeFindings(findings: RefereeFinding[]): string {
  return findings
    .map(
      (f) =>
        `  ${f.method} ${f.path} → ${f.status}${f.code ? `/${f.code}` : ''}: ${f.location} (${f.severity}) ${f.message}`,
    )
    .join('\n');
}

/** Whether this run puts Prism between the tests and the emulator (`PRISM_REFEREE=1`). */
export const refereeEnabled = (): boolean => process.env.PRISM_REFEREE === '1';

/**
 * Starts a server through `start`, refereed when `PRISM_REFEREE=1`: the returned `url` is then the
 * referee's, download URLs go through it too, and `close()` fails with every violation that
 * `judge` counts. Without the variable it is `start()` unchanged.
 */
export async function refereed<T extends { url: string; close(): Promise<void> }>(
  start: (publicUrl: string | undefined) => Promise<T>,
): Promise<T> {
  if (!refereeEnabled()) return start(undefined);
  const referee = await startPrismReferee();
  let running: T;
  try {
    running = await start(referee.url);
    referee.setUpstream(running.url);
  } catch (error) {
    await referee.close();
    throw error;
  }
  return {
    ...running,
    url: referee.url,
    async close() {
      await referee.close();
      await running.close();
      const findings = referee.findings();
      if (findings.length > 0) {
        throw new Error(
          `Prism found ${findings.length} violation(s) of libs/api-client/openapi/feishu-task-attachments.openapi.yaml:\n` +
            describeFindings(findings),
        );
      }
    },
  };
}
