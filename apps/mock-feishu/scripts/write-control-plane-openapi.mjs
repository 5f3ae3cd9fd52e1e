#!/usr/bin/env node
// The control plane's OpenAPI document, generated from its zod schemas and route table
// (src/http/control-plane/control-plane.openapi.ts), so the document cannot drift from what the handlers
// parse: `node scripts/write-control-plane-openapi.mjs` rewrites openapi/control-plane.openapi.yaml and
// then the inspector page's types generated from it (ui/generate-types.mjs); `--check` fails when the
// YAML is stale (test/control-plane-openapi.spec.ts runs it).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { isDeepStrictEqual } from 'node:util';
import { Document, isCollection, isPair, isScalar, parse, visit } from 'yaml';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const source = here('../src/http/control-plane/control-plane.openapi.ts');
const documentPath = here('../openapi/control-plane.openapi.yaml');
const command = 'node apps/mock-feishu/scripts/write-control-plane-openapi.mjs';

/**
 * The TypeScript module, compiled with the workspace's own sources (as the emulator is built) and
 * loaded with the packages of node_modules (zod, Nest) required as the emulator requires them.
 */
async function load(entry) {
  const { outputFiles } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['@feishu-attachments/source'],
    logLevel: 'warning',
    plugins: [
      {
        name: 'packages-stay-external',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, ({ path }) =>
            path.startsWith('@feishu-attachments/') ? undefined : { path, external: true },
          );
        },
      },
    ],
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(
    module,
    module.exports,
    createRequire(entry),
  );
  return module.exports;
}

/** Short, shallow collections (`{ $ref: ... }`, `[a, b]`, `{ items: [] }`) in flow style, as a person writes them. */
function compact(document) {
  const flowable = (node, depth) =>
    isScalar(node) ||
    (depth > 0 &&
      isCollection(node) &&
      node.items.every((item) =>
        isPair(item) ? item.value === null || flowable(item.value, depth - 1) : flowable(item, depth - 1),
      ));
  const flow = (_key, node) => {
    if (flowable(node, 2) && JSON.stringify(node.toJSON()).length <= 80) node.flow = true;
  };
  visit(document, { Map: flow, Seq: flow });
  return document;
}

const { controlPlaneOpenApiDocument } = await load(source);
const openapi = controlPlaneOpenApiDocument();
const header =
  '# Generated from src/http/control-plane/control-plane.openapi.ts and control-plane.schemas.ts by\n' +
  `# scripts/write-control-plane-openapi.mjs. Do not edit: change those, then run ${command}.\n`;
const yaml = compact(new Document(openapi)).toString({ lineWidth: 0 });
const options = { ...(await prettier.resolveConfig(documentPath)), filepath: documentPath };
const generated = await prettier.format(header + yaml, options);
// Flow style and Prettier change how the YAML reads, never what it says.
if (!isDeepStrictEqual(parse(generated), JSON.parse(JSON.stringify(openapi)))) {
  throw new Error('The YAML does not read back as the generated document.');
}

if (process.argv.includes('--check')) {
  const committed = await readFile(documentPath, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error(`${documentPath} is stale: run ${command}`);
    process.exit(1);
  }
} else {
  await writeFile(documentPath, generated);
  execFileSync(process.execPath, [here('../ui/generate-types.mjs')], { stdio: 'inherit' });
}
