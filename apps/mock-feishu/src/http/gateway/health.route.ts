import type { Request, Response } from 'express';
import type { Clock } from '../../core/shared/clock.js';

/**
 * Outside the emulated surface and the control plane: there with `--no-control-plane` and
 * without the control token, not journaled, no log id (it is not a Feishu answer), so a
 * container's health check needs nothing but the port.
 */
export const HEALTH_PATH = '/healthz';

export function healthRoute(clock: Clock) {
  return (_req: Request, res: Response): void => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok', now: clock.now() });
  };
}
