import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
// Extensionless: Jest's global setup loads this file without its moduleNameMapper.
import { childPort } from './child-port.mjs';
import { emulatorProfileFile } from './emulator-profile';

/** An exchange as the emulator answered it, to be replayed through Prism. */
export interface Recorded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A violation in Prism's own words (its `sl-violations` header). */
export interface PrismViolation {
  location: string[];
  severity: string;
  message: string;
}

/** Where a running validator listens; plain data, so it can travel through an environment variable. */
export interface ValidatorAddress {
  /** Prism's validation proxy. */
  prismUrl: string;
  /** The replay server that Prism uses as its upstream. */
  replayUrl: string;
}

export interface PrismValidator extends ValidatorAddress {
  close(): Promise<void>;
}

const PRISM = join(require.resolve('@stoplight/prism-cli/package.json'), '..', 'dist', 'index.js');
const REPLAY_HEADER = 'x-prism-referee-replay';
const RECORDINGS = '/__referee/recordings/';
/** Set by the Jest global setup: every test file of the run shares its one Prism process. */
export const VALIDATOR_ENV = 'PRISM_REFEREE_VALIDATOR';

/**
 * Starts one Prism validation proxy and the replay server behind it. Prism costs about 3 s of CPU
 * to start, so a test run starts it once (see jest-global-setup.ts) and every emulator's referee
 * sends its exchanges here: a referee first stores the recorded answer under a fresh id, then
 * sends the request through Prism with that id, and the replay server hands Prism the recording.
 */
export async function startPrismValidator(options: { spec?: string } = {}): Promise<PrismValidator> {
  const recordings = new Map<string, Recorded>();
  const replay: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'PUT' && req.url?.startsWith(RECORDINGS)) {
        recordings.set(req.url.slice(RECORDINGS.length), {
          status: Number(req.headers['x-recorded-status']),
          headers: JSON.parse(
            Buffer.from(String(req.headers['x-recorded-headers']), 'base64').toString('utf8'),
          ) as IncomingHttpHeaders,
          body: Buffer.concat(chunks),
        });
        res.writeHead(204).end();
        return;
      }
      const id = String(req.headers[REPLAY_HEADER]);
      const recorded = recordings.get(id);
      recordings.delete(id);
      if (!recorded) {
        res.writeHead(599).end();
        return;
      }
      res.writeHead(recorded.status, recorded.headers);
      res.end(recorded.body);
    });
  });
  const replayUrl = await listen(replay);
  // Prism is given a port to bind, and takes seconds to start on a busy machine (child-port.mjs).
  const prismPort = await childPort();
  const prism = spawn(
    process.execPath,
    [
      PRISM,
      'proxy',
      '-h',
      '127.0.0.1',
      '-p',
      String(prismPort),
      // The emulator's own answers are held to its strict profile of the document.
      options.spec ?? emulatorProfileFile(),
      replayUrl,
      '--errors=false',
      '--verboseLevel',
      'error',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await waitForPrism(prism, prismPort);
  } catch (error) {
    prism.kill('SIGKILL');
    await closeServer(replay);
    throw error;
  }
  return {
    prismUrl: `http://127.0.0.1:${prismPort}`,
    replayUrl,
    async close() {
      await closeServer(replay);
      if (prism.exitCode === null && prism.signalCode === null) {
        prism.kill('SIGTERM');
        await once(prism, 'exit');
      }
    },
  };
}

/**
 * Replays one exchange through the validator and returns what Prism said of it. Ids are random
 * so that test files running in several Jest workers can share one validator.
 */
export async function validateExchange(
  validator: ValidatorAddress,
  request: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer },
  answer: Recorded,
): Promise<PrismViolation[]> {
  const id = randomUUID();
  await send(new URL(`${RECORDINGS}${id}`, validator.replayUrl), {
    method: 'PUT',
    headers: {
      'x-recorded-status': String(answer.status),
      'x-recorded-headers': Buffer.from(JSON.stringify(answer.headers)).toString('base64'),
      'content-length': String(answer.body.length),
    },
    body: answer.body,
  });
  const prism = new URL(validator.prismUrl);
  const reported = await send(new URL(request.url, prism), {
    method: request.method,
    headers: {
      ...request.headers,
      host: prism.host,
      'content-length': String(request.body.length),
      [REPLAY_HEADER]: id,
    },
    body: request.body,
  });
  return JSON.parse(reported ?? '[]') as PrismViolation[];
}

/** Sends one request and resolves with Prism's `sl-violations` header, if any. */
function send(
  url: URL,
  init: { method: string; headers: IncomingHttpHeaders; body: Buffer },
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: Number(url.port),
        method: init.method,
        path: `${url.pathname}${url.search}`,
        headers: init.headers,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.headers['sl-violations'] as string | undefined));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

export async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Whether something accepts connections on `port` of the loopback address. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until Prism accepts connections on its port. Prism runs with `--verboseLevel error`, so
 * it prints no "listening" line to wait for: logging every call at its default level cost it
 * more CPU than validating the call.
 */
async function waitForPrism(child: ChildProcess, port: number): Promise<void> {
  let output = '';
  let exit: { code: number | null } | undefined;
  // Listening for data also keeps draining Prism's log, so it never blocks on a full pipe.
  const onData = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', (code) => (exit = { code }));
  // Generous: on a busy 2-core machine Prism has been seen to need well over 10 s.
  const deadline = Date.now() + 120_000;
  while (!(await accepts(port))) {
    if (exit) throw new Error(`Prism exited with ${exit.code} before it listened:\n${output}`);
    if (Date.now() > deadline) throw new Error(`Prism did not start within 120 s:\n${output}`);
    await delay(50);
  }
}
