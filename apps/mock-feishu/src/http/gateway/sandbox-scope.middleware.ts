import type { NextFunction, Request, Response } from 'express';
import type { SandboxRegistry } from '../../core/sandboxes/sandbox-registry.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { requestContext } from '../request/request-context.js';
import { CONTROL_PLANE_PREFIX } from './control-access.middleware.js';

export const SANDBOX_CONTROL_PREFIX = `${CONTROL_PLANE_PREFIX}/sandboxes`;

const SCOPED = /^\/__mock\/sandboxes\/([^/?]+)(\/[^?]*)(\?.*)?$/;

/**
 * A sandbox's control base: `/__mock/sandboxes/<id>/<route>` is `/__mock/<route>` on that sandbox,
 * so every control-plane route (and every client of it) works per sandbox unchanged. The path is
 * rewritten before routing; an unknown sandbox is a 404 before any route runs.
 */
export function sandboxScopeMiddleware(sandboxes: SandboxRegistry) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const match = SCOPED.exec(req.url);
    // `/__mock/sandboxes/<id>` itself is the sandboxes controller's.
    if (!match) return next();
    const [, id, rest, query = ''] = match;
    const sandbox = sandboxes.get(id);
    if (!sandbox) return next(FeishuErrors.sandboxNotFound(id.slice(0, 64)));
    // One level only: a sandbox's control base has no sandboxes of its own.
    if (rest.startsWith('/sandboxes')) return next(FeishuErrors.invalidRequest('Sandboxes do not nest.'));
    requestContext(req).sandbox = sandbox;
    req.url = `${CONTROL_PLANE_PREFIX}${rest}${query}`;
    next();
  };
}
