import type { Request } from 'express';
import type { Principal } from '../../core/identity/identity.js';
import type { Sandbox } from '../../core/sandboxes/sandbox.js';

/** What the gateway learns about a request, for the handlers, the error filter and the journal. */
export interface RequestContext {
  logId: string;
  startedAt: number;
  operation?: string;
  principal?: Principal;
  /** The sandbox the call belongs to: the default one until the gateway finds another. */
  sandbox: Sandbox;
  /** The Feishu `code` of the answer, once known. */
  code?: number;
}

const CONTEXT = Symbol('mock-feishu.request-context');

type WithContext = Request & { [CONTEXT]?: RequestContext };

export function attachRequestContext(req: Request, context: RequestContext): RequestContext {
  (req as WithContext)[CONTEXT] = context;
  return context;
}

export function requestContext(req: Request): RequestContext {
  const context = (req as WithContext)[CONTEXT];
  if (!context) throw new Error('request context missing: the log-id middleware did not run');
  return context;
}

/** The caller the gateway authenticated; only handlers behind an authenticated operation call this. */
export function principalOf(req: Request): Principal {
  const principal = requestContext(req).principal;
  if (!principal) throw new Error('the gateway guard did not authenticate this call');
  return principal;
}

/** The sandbox whose state a handler reads and writes. */
export function sandboxOf(req: Request): Sandbox {
  return requestContext(req).sandbox;
}
