import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A consumer's name is its Nx project's name: that is how the provider verification finds the
 * pact of every project tagged `pact-consumer` (`pacts/<project>-<provider>.json`).
 */
export const CONSUMER = 'api-client';
export const PROVIDER = 'mock-feishu';
/** `<workspaceRoot>/pacts`, where the provider verification and the contract checks read them. */
export const PACT_DIR = resolve(__dirname, '../../../../..', 'pacts');

/** The one file this consumer writes; `pacts/` is shared with every other consumer. */
export function pactFile(dir = PACT_DIR): string {
  return join(dir, `${CONSUMER}-${PROVIDER}.json`);
}

/** Removes this consumer's own pact before a run (Pact merges into an existing file), and nothing else. */
export function removeOwnPact(dir = PACT_DIR): void {
  rmSync(pactFile(dir), { force: true });
}
