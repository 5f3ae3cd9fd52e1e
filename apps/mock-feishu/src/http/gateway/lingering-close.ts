import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client/wire';
import { closeAfterAnswer as lingerAfterAnswer } from '@feishu-attachments/multipart-intake';

/**
 * How long and how much a refused request may still send after its answer: nginx's
 * `lingering_timeout` (5 s without a byte) and `lingering_time` (30 s in all), and at most
 * what the largest upload could still have to send.
 */
export const LINGER = {
  idleMs: 5_000,
  totalMs: 30_000,
  maxBytes: MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + 1024 * 1024,
} as const;

/**
 * Answers a request whose body is not (or not all) read, then closes the connection the way
 * nginx's lingering close does, so a caller still sending reads the answer instead of a reset.
 * The mechanism is the shared intake's (it knows only node:http); the bounds are the emulator's.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  lingerAfterAnswer(req, res, LINGER);
}
