import type { NextFunction, Request, Response } from 'express';
import typeIs from 'type-is';
import { CONTROL_PLANE_PREFIX } from './control-access.middleware.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { isLoopbackHost, type MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { isUnder } from './path-spelling.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `host[:port]` of a Host header or URL authority, split; IPv6 keeps its brackets off. */
function hostnameOf(authority: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(authority);
  if (bracketed) return bracketed[1].toLowerCase();
  return authority.replace(/:\d*$/, '').toLowerCase();
}

/** Names a browser on this machine reaches the emulator by; `*.localhost` is loopback too (RFC 6761). */
function isLoopbackName(hostname: string): boolean {
  return isLoopbackHost(hostname) || hostname.endsWith('.localhost');
}

/**
 * What only a web page on another site can send, refused before anything else reads the request.
 * Loopback is no trust boundary against the developer's own browser: any page it opens can send
 * simple requests to 127.0.0.1 (CSRF), and a name the attacker controls can be made to resolve to
 * it (DNS rebinding). Scripts and SDKs send none of these, so curl and every client work as before.
 *
 * - `Host` must be a loopback name or address, or the public URL's host, while the emulator
 *   listens on loopback only (421): a rebound name fails here. Beyond loopback the control token
 *   guards `/__mock` and the emulated API is meant to be reached by other names.
 * - `Origin`, when a browser sends it, must be the emulator's own (the Host it was asked for, or
 *   the public URL's origin) (403); `null` (a sandboxed or file page) is another site too.
 * The third rule, on control-call bodies, is `controlBodyGuard`'s, after the control token.
 */
export function crossSiteGuard(settings: MockFeishuSettings) {
  const listensOnLoopback = isLoopbackHost(settings.host);
  // A client sends the same Host on every call, so each is decided once: parsing it as an address
  // was about 4 % of a GET's CPU (GET throughput ≥ 2 × Prism's needs it). Bounded, so a flood of
  // made-up names cannot grow it; the public URL can change once listening, so it is read each time.
  const loopbackVerdicts = new Map<string, boolean>();
  const allowed = (host: string): boolean => {
    let loopback = loopbackVerdicts.get(host);
    if (loopback === undefined) {
      loopback = isLoopbackName(hostnameOf(host));
      if (loopbackVerdicts.size < 64) loopbackVerdicts.set(host, loopback);
    }
    return loopback || publicHost(hostnameOf(host), settings);
  };
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = req.headers.host;
    if (listensOnLoopback && host !== undefined && !allowed(host)) {
      return next(FeishuErrors.misdirectedHost(host));
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigin(origin, host, settings)) {
      return next(FeishuErrors.crossSiteOrigin(origin));
    }
    next();
  };
}

/**
 * A state-changing control call takes an `application/json` body or none (415): the body types a
 * page may send without asking first (text/plain, forms) are the ones a control call never needs.
 * An empty body (`Content-Length: 0`, what fetch sends for a bare POST) is none.
 */
export function controlBodyGuard() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const hasBody = typeIs.hasBody(req) && req.headers['content-length'] !== '0';
    if (
      hasBody &&
      !SAFE_METHODS.has(req.method) &&
      isUnder(CONTROL_PLANE_PREFIX, req.path) &&
      !typeIs(req, ['application/json'])
    ) {
      return next(FeishuErrors.controlBodyNotJson());
    }
    next();
  };
}

function publicAuthority(settings: MockFeishuSettings): URL | undefined {
  try {
    return settings.publicUrl ? new URL(settings.publicUrl) : undefined;
  } catch {
    return undefined;
  }
}

function publicHost(hostname: string, settings: MockFeishuSettings): boolean {
  const publicUrl = publicAuthority(settings);
  return publicUrl !== undefined && hostnameOf(publicUrl.host) === hostname;
}

function ownOrigin(origin: string, host: string | undefined, settings: MockFeishuSettings): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` and anything else that is no origin
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host !== undefined && url.host.toLowerCase() === host.toLowerCase()) return true;
  return publicAuthority(settings)?.origin === url.origin;
}
