import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Jest's globals, declared here so this file needs no test-runner types of its own.
declare const describe: (name: string, body: () => void) => void;

const SHARD_FILE = /^shard-(\d+)\.spec\.ts$/;
/** The end-to-end specs, one behaviour per file. */
export const E2E_SPEC = /\.e2e\.spec\.ts$/;

/**
 * Runs a share of the specs in `specDir` (files matching `specPattern`; by default the
 * `*.e2e.spec.ts` files of the shard folder's parent) inside the calling Jest test file,
 * `shardFile`, which is named `shard-<k>.spec.ts` and sits beside its sibling shards.
 * Each spec runs under a `describe` named after its file, so `jest -t <file name>` picks one out.
 *
 * Why: Jest gives every test file its own module registry, so each end-to-end spec loaded Nest,
 * Express and the app under test again, about 0.8 s of CPU per file and often more than the spec
 * spends on its tests. A shard loads them once for all of its specs. Each spec still starts and
 * stops its own servers in its hooks, which the `describe` scopes to that spec. Specs are dealt
 * out by position in name order (every n-th file), and the shard's number and the number of
 * shards come from the file names, so no spec can be left out or run twice.
 */
export function runSpecShard(
  shardFile: string,
  specDir = join(dirname(shardFile), '..'),
  specPattern: RegExp = E2E_SPEC,
): void {
  const shard = Number(SHARD_FILE.exec(basename(shardFile))?.[1]);
  const shards = readdirSync(dirname(shardFile)).filter((name) => SHARD_FILE.test(name)).length;
  if (!(shard >= 1 && shard <= shards)) {
    throw new Error(`${shardFile} is not one of shard-1.spec.ts … shard-${shards}.spec.ts`);
  }
  const specs = readdirSync(specDir)
    .filter((name) => specPattern.test(name))
    .sort()
    .filter((_, index) => index % shards === shard - 1);
  for (const spec of specs) {
    describe(spec, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a spec registers its tests as it loads, here inside its describe
      require(join(specDir, spec));
    });
  }
}
