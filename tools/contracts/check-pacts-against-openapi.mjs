#!/usr/bin/env node
/**
 * Checks every pact against the OpenAPI document of the Feishu surface with
 * @pactflow/swagger-mock-validator: each request the consumer sends must be one the document
 * accepts, and each response it relies on must fit the document's schemas (no field the
 * document does not describe). The provider verification proves the emulator honours the pacts;
 * this proves the pacts stay inside what the document (and so Feishu) promises.
 *
 * Usage: node tools/contracts/check-pacts-against-openapi.mjs [spec] [pactDir]
 *   spec     default libs/api-client/openapi/feishu-task-attachments.openapi.yaml
 *   pactDir  default <workspaceRoot>/pacts
 * Exits 1 listing every error with its pact file, interaction and the spec location.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { SwaggerMockValidatorFactory } from '@pactflow/swagger-mock-validator';

const WORKSPACE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const shown = (file) => (file.startsWith(WORKSPACE_ROOT) ? relative(WORKSPACE_ROOT, file) : file);

/** One line per validator finding, naming the interaction and where in the spec it clashed. */
function describe(result, pactFile) {
  const where = result.mockDetails
    ? `"${result.mockDetails.interactionDescription}"` +
      // The validator reads only V2/V3 `providerState`; for V4 pacts it reports "[none]".
      (result.mockDetails.interactionState && result.mockDetails.interactionState !== '[none]'
        ? ` (given ${result.mockDetails.interactionState})`
        : '')
    : '(whole pact)';
  const pactAt = result.mockDetails?.location ? ` [pact: ${result.mockDetails.location}]` : '';
  const spec = result.specDetails?.location ? ` [spec: ${result.specDetails.location}]` : '';
  const value =
    result.mockDetails?.value === undefined
      ? ''
      : `\n      pact value: ${inspect(result.mockDetails.value, { depth: 3, breakLength: Infinity })}`;
  return `${shown(pactFile)} › ${where}: ${result.code}: ${result.message}${pactAt}${spec}${value}`;
}

async function main() {
  const spec = resolve(
    process.argv[2] ?? join(WORKSPACE_ROOT, 'libs/api-client/openapi/feishu-task-attachments.openapi.yaml'),
  );
  const pactDir = resolve(process.argv[3] ?? join(WORKSPACE_ROOT, 'pacts'));
  if (!existsSync(spec)) {
    console.error(`check-pacts-against-openapi: no OpenAPI document at ${shown(spec)}.`);
    return 1;
  }
  const pacts = existsSync(pactDir)
    ? readdirSync(pactDir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => join(pactDir, name))
    : [];
  if (pacts.length === 0) {
    console.error(
      `check-pacts-against-openapi: no pact files in ${shown(pactDir)}; run \`nx run api-client:pact\` first.`,
    );
    return 1;
  }

  // No analyticsUrl: the validator then sends nothing anywhere.
  const validator = SwaggerMockValidatorFactory.create();
  const errors = [];
  const warnings = [];
  for (const pact of pacts) {
    const outcome = await validator.validate({ specPathOrUrl: spec, mockPathOrUrl: pact });
    if (!outcome.success && outcome.errors.length === 0) {
      errors.push(`${shown(pact)}: ${outcome.failureReason ?? 'the validator failed without a reason'}`);
    }
    errors.push(...outcome.errors.map((result) => describe(result, pact)));
    warnings.push(...outcome.warnings.map((result) => describe(result, pact)));
  }

  if (warnings.length > 0) {
    console.warn(`check-pacts-against-openapi: ${warnings.length} warning(s):\n  ${warnings.join('\n  ')}`);
  }
  if (errors.length > 0) {
    console.error(
      `check-pacts-against-openapi: ${errors.length} error(s) against ${shown(spec)}:\n  ${errors.join('\n  ')}`,
    );
    return 1;
  }
  console.log(`check-pacts-against-openapi: ${pacts.length} pact file(s) agree with ${shown(spec)}.`);
  return 0;
}

process.exitCode = await main();
