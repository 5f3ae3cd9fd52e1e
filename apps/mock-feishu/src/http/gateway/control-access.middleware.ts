import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { readBearer } from '../../core/identity/bearer-token.js';
import type { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { isUnder } from './path-spelling.js';

export const CONTROL_PLANE_PREFIX = '/__mock';
export const INSPECTOR_PREFIX = '/__mock/ui';
/** Carries the control token for the inspector page, whose document and assets cannot send headers. */
export const CONTROL_COOKIE = 'mock_feishu_control';

// Decided on the loosest reading of the path, so `/__MOCK`, `/%5F%5Fmock` or `//x/../__mock` is
// held to the rule too (the router answers only the exact spelling, but never more leniently).
const isControlPlane = (path: string) => isUnder(CONTROL_PLANE_PREFIX, path);
const isInspector = (path: string) => isUnder(INSPECTOR_PREFIX, path);

/** Compares digests, so neither the length nor a shared prefix of the token leaks through timing. */
function sameToken(offered: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(offered), digest(expected));
}

function offeredTokens(req: Request): string[] {
  const offered: string[] = [];
  // The gateway's own reading of the header: `Bearer <token> <more>` offers no token here either.
  const bearer = readBearer(req.headers.authorization);
  if (bearer.kind === 'token') offered.push(bearer.token);
  // One cookie is all that is read, so a cookie-parser middleware for the whole app is not worth it.
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === CONTROL_COOKIE) offered.push(decodeURIComponent(value.join('=')));
  }
  return offered;
}

const REFUSED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mock-feishu inspector: control token needed</title>
<link rel="icon" href="data:,">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .2em}</style>
</head><body><main><h1>Control token needed</h1>
<p>This emulator needs its control token: it was started with <code>--control-token</code> (or
<code>MOCK_FEISHU_CONTROL_TOKEN</code>), or it listens beyond loopback and printed a generated token at start.
Open the inspector as <code>/__mock/ui/?token=&lt;control token&gt;</code>.</p></main></body></html>
`;

/**
 * The one access rule of `/__mock`. With no control token (only possible on loopback: the settings
 * generate one for any other address) the control plane is open; with one, a call needs `Authorization: Bearer <token>` or the inspector's cookie, which
 * `/__mock/ui/?token=<token>` sets (then redirects to drop the token from the address bar).
 * API calls are refused in Feishu's error shape, the inspector with a small page.
 */
export function controlAccessMiddleware(settings: MockFeishuSettings) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const expected = settings.controlToken;
    if (!expected || !isControlPlane(req.path)) return next();
    if (offeredTokens(req).some((offered) => sameToken(offered, expected))) return next();

    if (!isInspector(req.path)) return next(FeishuErrors.controlTokenRequired());
    const fromQuery = req.query.token;
    if (typeof fromQuery === 'string' && sameToken(fromQuery, expected)) {
      res.cookie(CONTROL_COOKIE, expected, {
        httpOnly: true,
        sameSite: 'strict',
        path: CONTROL_PLANE_PREFIX,
      });
      // Only to the exact spelling: `//host/../__mock/ui/` would be a redirect to another site.
      res.redirect(303, req.path.startsWith(`${INSPECTOR_PREFIX}/`) ? req.path : `${INSPECTOR_PREFIX}/`);
      return;
    }
    res.status(401).type('html').send(REFUSED_PAGE);
  };
}
