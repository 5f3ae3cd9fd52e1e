#!/usr/bin/env node
// The page's types of the control plane, generated from its OpenAPI document (itself generated from
// the zod schemas by scripts/write-control-plane-openapi.mjs, which runs this script after it), so the
// page and the API cannot drift: `node ui/generate-types.mjs` rewrites them, `--check` fails when they are stale.
import openapiTS, { astToString } from 'openapi-typescript';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

const documentUrl = new URL('../openapi/control-plane.openapi.yaml', import.meta.url);
const typesPath = fileURLToPath(new URL('src/generated/control-plane.ts', import.meta.url));

const header =
  '// Generated from openapi/control-plane.openapi.yaml by ui/generate-types.mjs. Do not edit.\n';
// A default means the client may leave the field out, so it stays optional in the types.
const ast = await openapiTS(documentUrl, { defaultNonNullable: false });
const options = { ...(await prettier.resolveConfig(typesPath)), filepath: typesPath };
const generated = await prettier.format(header + astToString(ast), options);

if (process.argv.includes('--check')) {
  const committed = await readFile(typesPath, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error(`${typesPath} is stale: run node apps/mock-feishu/ui/generate-types.mjs`);
    process.exit(1);
  }
} else {
  await writeFile(typesPath, generated);
}
