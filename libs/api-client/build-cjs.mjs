#!/usr/bin/env node
// The client's CommonJS build, for code that loads it with require(): one file per entry, with
// ky bundled in. ky is ESM-only, and a CommonJS test runner (Jest on Node < 24.9, whatever its
// transform) cannot require an ES module, so `require('@feishu-attachments/api-client')` gets
// dist/cjs/index.cjs, which needs nothing but Node's own modules. `import` keeps tsc's dist/index.js,
// which loads ky from node_modules. Run after tsc (the build target: `tsc --build … && node build-cjs.mjs`).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(here, 'dist', 'cjs');
const ENTRIES = { index: 'src/index.ts', wire: 'src/wire/index.ts' };

// ky's MIT licence asks for its notice in every copy: the bundle carries it at the top.
const kyRoot = join(dirname(createRequire(join(here, 'package.json')).resolve('ky')), '..');
const ky = JSON.parse(readFileSync(join(kyRoot, 'package.json'), 'utf8'));
const kyLicense = readFileSync(join(kyRoot, 'license'), 'utf8').trim().replaceAll('*/', '* /');

const result = await build({
  absWorkingDir: here,
  entryPoints: Object.entries(ENTRIES).map(([out, source]) => ({ in: source, out })),
  outdir: OUT_DIR,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.19',
  tsconfig: join(here, 'tsconfig.lib.json'),
  // The workspace condition points at TypeScript sources of workspace packages; the bundle takes
  // what a user gets.
  conditions: [],
  legalComments: 'inline',
  banner: {
    js:
      '// @feishu-attachments/api-client, CommonJS build (libs/api-client/build-cjs.mjs).\n' +
      `/*! Includes ky ${ky.version} (https://github.com/sindresorhus/ky):\n${kyLicense}\n*/`,
  },
  metafile: true,
  logLevel: 'warning',
});

// Only Node's own modules may stay outside the bundle: anything else would be required from
// node_modules at run time, which is what this build is for avoiding.
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const outside = Object.entries(result.metafile.outputs).flatMap(([file, output]) =>
  output.imports
    .filter((entry) => entry.external && !builtins.has(entry.path))
    .map((entry) => `${file}: ${entry.path}`),
);
if (outside.length > 0)
  throw new Error(`the CommonJS build requires packages at run time:\n${outside.join('\n')}`);
