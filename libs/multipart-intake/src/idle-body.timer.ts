import type { IncomingMessage } from 'node:http';

export interface IdleBodyTimer {
  /** A byte came: the wait starts again. */
  touch(): void;
  stop(): void;
}

/**
 * Calls `onStall` once `idleMs` pass without a byte of `req`'s body; 0 never calls it. A body
 * paused by its consumer (`readableFlowing === false`: the pipe waits for the sink, a slow disk)
 * is not the caller's stall, so the wait starts again instead.
 */
export function idleBodyTimer(req: IncomingMessage, idleMs: number, onStall: () => void): IdleBodyTimer {
  if (!(idleMs > 0)) return { touch: () => undefined, stop: () => undefined };
  const timer = setTimeout(() => {
    if (req.readableFlowing === false) timer.refresh();
    else onStall();
  }, idleMs);
  return { touch: () => void timer.refresh(), stop: () => clearTimeout(timer) };
}
