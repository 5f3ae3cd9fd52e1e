#!/usr/bin/env node
// The intake's CommonJS build, for code that loads it with require(): the emulator's and admin-api's
// CommonJS builds, and a test runner's CommonJS runtime (Jest on Node < 24.9, whatever its transform),
// which cannot require an ES module. One file, this package's own code only: @fastify/busboy is
// CommonJS itself and is required from node_modules. `import` keeps tsc's ES module build in dist/.
// Run after tsc (the build target: `tsc --build … && node build-cjs.mjs`).
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const RUNTIME_DEPENDENCIES = ['@fastify/busboy'];

const result = await build({
  absWorkingDir: here,
  entryPoints: [{ in: 'src/index.ts', out: 'index' }],
  outdir: join(here, 'dist', 'cjs'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.19',
  tsconfig: join(here, 'tsconfig.lib.json'),
  external: RUNTIME_DEPENDENCIES,
  // The workspace condition points at TypeScript sources of workspace packages; the bundle takes
  // what a user gets.
  conditions: [],
  banner: {
    js: '// @feishu-attachments/multipart-intake, CommonJS build (libs/multipart-intake/build-cjs.mjs).',
  },
  metafile: true,
  logLevel: 'warning',
});

// Only Node's own modules and the declared dependencies may be required at run time.
const allowed = new Set([
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  ...RUNTIME_DEPENDENCIES,
]);
const outside = Object.entries(result.metafile.outputs).flatMap(([file, output]) =>
  output.imports
    .filter((entry) => entry.external && !allowed.has(entry.path))
    .map((entry) => `${file}: ${entry.path}`),
);
if (outside.length > 0)
  throw new Error(`the CommonJS build requires undeclared packages:\n${outside.join('\n')}`);
