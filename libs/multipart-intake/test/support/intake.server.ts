import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  closeAfterAnswer,
  receiveMultipart,
  type IntakeOptions,
  type ReceivedForm,
} from '../../src/index.js';

export interface IntakeServer {
  port: number;
  /** What the intake made of the next request: its form, or what it threw. */
  nextOutcome(): Promise<{ form?: ReceivedForm; error?: unknown }>;
  close(): Promise<void>;
}

/**
 * A node:http server that hands each request to the intake and answers 200, or 400 with the
 * refusal's kind, closing after the answer as an app does.
 */
export async function intakeServer(options: IntakeOptions): Promise<IntakeServer> {
  const waiting: ((outcome: { form?: ReceivedForm; error?: unknown }) => void)[] = [];
  const outcomes: { form?: ReceivedForm; error?: unknown }[] = [];
  const report = (outcome: { form?: ReceivedForm; error?: unknown }) => {
    const next = waiting.shift();
    if (next) next(outcome);
    else outcomes.push(outcome);
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    receiveMultipart(req, options).then(
      (form) => {
        report({ form });
        res.end('ok');
      },
      (error: unknown) => {
        report({ error });
        if (res.socket?.destroyed) return;
        if (!req.complete) closeAfterAnswer(req, res);
        res.statusCode = 400;
        res.end((error as { kind?: string }).kind ?? 'error');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    nextOutcome: () => {
      const ready = outcomes.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
