#!/usr/bin/env node
// Bundles the inspector page into ../dist/ui (served at /__mock/ui/): one script, one stylesheet,
// no request to anywhere but the emulator. Part of `nx run mock-feishu:build`.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outdir = here('../dist/ui');

await mkdir(outdir, { recursive: true });
await build({
  entryPoints: [here('src/main.tsx')],
  outdir,
  entryNames: 'inspector',
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'linked',
  logLevel: 'warning',
});
await copyFile(here('index.html'), `${outdir}/index.html`);
