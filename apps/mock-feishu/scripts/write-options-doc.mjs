#!/usr/bin/env node
// docs/options.md, generated from the options' declaration (src/config/mock-feishu.options.ts) so that the
// table cannot drift from the CLI: `node apps/mock-feishu/scripts/write-options-doc.mjs` rewrites
// it; `--check` fails when it is stale, as src/config/mock-feishu.options.spec.ts does. Another file than
// docs/options.md may be named after the flags (the spec checks a stale copy that way).
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// The declaration is TypeScript and loads nothing but itself: run it from source, through the same
// transform as the CLI tests (no build needed).
require('../test/support/ts-child.cjs');
const { renderOptionsDoc } = require('../src/config/mock-feishu.options.ts');

const root = fileURLToPath(new URL('../../..', import.meta.url));
const check = process.argv.includes('--check');
const file = resolve(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? `${root}/docs/options.md`);
const generated = renderOptionsDoc();

if (check) {
  const written = await readFile(file, 'utf8').catch(() => '');
  if (written !== generated) {
    console.error(
      `${relative(root, file)} is stale: run node apps/mock-feishu/scripts/write-options-doc.mjs`,
    );
    process.exit(1);
  }
} else {
  await writeFile(file, generated);
  console.log(`wrote ${relative(root, file)}`);
}
