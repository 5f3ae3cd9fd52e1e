import type { ClientRequest, IncomingMessage } from 'node:http';

/**
 * The answer to a request whose body the server refuses midway: it answers while the caller is
 * still sending and then closes the connection, so the caller's next write fails. That write
 * error is expected, and the answer still counts (events.once would reject on the error even
 * when the answer arrives). Fails only when the connection closes without an answer.
 */
export function earlyAnswer(req: ClientRequest): {
  answer: Promise<IncomingMessage>;
  /** The answer, once it has come. */
  answered(): IncomingMessage | undefined;
} {
  req.on('error', () => undefined);
  let response: IncomingMessage | undefined;
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', (got: IncomingMessage) => resolve((response = got)));
    req.once('close', () => response ?? reject(new Error('the connection closed without an answer')));
  });
  return { answer, answered: () => response };
}
