import express, { type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the built page lives: `dist/ui` beside the compiled server (`dist/http/inspector/../..`); when the
 * server runs from source (tests), the same folder as the build left it in the project.
 */
export function inspectorAssetsDir(): string | undefined {
  const candidates = [join(__dirname, '..', '..', 'ui'), join(__dirname, '..', '..', '..', 'dist', 'ui')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

// Everything the page loads comes from the emulator itself, so the browser may load nothing else.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Serves the inspector page's files under `/__mock/ui/` (mounted behind the control-access rule). */
export function inspectorAssets(dir = inspectorAssetsDir()): RequestHandler {
  if (!dir) {
    return (_req, res) => {
      res
        .status(404)
        .type('text/plain; charset=utf-8')
        .send('The inspector page is not built: run `npx nx run mock-feishu:build`.');
    };
  }
  return express.static(dir, {
    index: 'index.html',
    setHeaders: (res) => {
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      res.setHeader('Cache-Control', 'no-cache');
    },
  });
}
