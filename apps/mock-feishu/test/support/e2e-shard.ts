import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the end-to-end specs live, one behaviour per file (`*.e2e.spec.ts`). */
const E2E_DIR = join(__dirname, '..');
const E2E_SPEC = /\.e2e\.spec\.ts$/;

/** The e2e spec files, in name order. */
export function e2eSpecFiles(): string[] {
  return readdirSync(E2E_DIR)
    .filter((name) => E2E_SPEC.test(name))
    .sort();
}

/**
 * Runs shard `shard` of `of` of the e2e specs in this Jest test file, each spec under a
 * `describe` named after its file (so `jest -t upload.e2e` picks one spec out).
 *
 * Why: Jest gives every test file its own module registry, so every e2e file loaded Nest, Express
 * and the whole emulator again: about 0.8 s of CPU per file, more than most specs spend on their
 * tests, and paid once per store adapter. A shard loads them once for all its specs. Each spec
 * still starts and closes its own emulator in its hooks, which `describe` scopes to that spec.
 * Specs are dealt out by position (every `of`-th file), so each shard gets a mix of long and
 * short ones; the shard files are as many as Jest's workers on 2 cores.
 */
export function runE2eShard(shard: number, of: number): void {
  const shardFiles = readdirSync(join(E2E_DIR, 'e2e')).filter((name) => /^shard-\d+\.spec\.ts$/.test(name));
  if (shardFiles.length !== of) {
    throw new Error(`test/e2e holds ${shardFiles.length} shard files, and each says there are ${of}`);
  }
  const files = e2eSpecFiles().filter((_, index) => index % of === shard - 1);
  for (const file of files) {
    describe(file, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a spec is loaded for its side effects, inside this describe
      require(join(E2E_DIR, file));
    });
  }
}
