const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// Jest on Node < 24.9 cannot require() ESM, and Nest 12 and ky are ESM-only, so every
// "type":"module" package must be transformed to CommonJS. The list is discovered rather than
// written by hand because nested copies (pact's https-proxy-agent, for one) keep appearing.
function findEsmPackages(root = path.join(__dirname, 'node_modules'), out = new Set(), depth = 0) {
  let entries = [];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@')
      ? fs
          .readdirSync(path.join(root, entry.name))
          .map((n) => [`${entry.name}/${n}`, path.join(root, entry.name, n)])
      : [[entry.name, path.join(root, entry.name)]];
    for (const [name, dir] of dirs) {
      try {
        if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type === 'module')
          out.add(name);
      } catch {
        // not a package
      }
      if (depth < 3) findEsmPackages(path.join(dir, 'node_modules'), out, depth + 1);
    }
  }
  return out;
}

const esmPackages = [...findEsmPackages()].map((name) => name.replace(/[.+]/g, '\\$&'));

// @swc/jest with a cache key that leaves out the project's config (tools/jest-transform): with the
// same `id` in every project's Jest config (Jest names its cache folder after it, and reads the id
// before the preset), a file transformed for one project is reused by the others.
const swc = require.resolve('./tools/jest-transform/swc-shared-cache.transformer.cjs');

module.exports = {
  testEnvironment: 'node',
  // Jest's default (cores - 1) is one worker on a 2-core machine, so the longest suite ran alone on
  // one core at the end of `npm test` while the other idled; Nx already runs suites side by side.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // `npm test` adds up every run's totals into one closing line (tools/test-tally/tally.run.mjs).
  reporters: ['default', path.join(__dirname, 'tools/test-tally/tally.reporter.cjs')],
  testEnvironmentOptions: {
    customExportConditions: ['@feishu-attachments/source', 'node', 'require', 'default'],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    // Packages' own ESM (the first pattern that matches wins): CommonJS only, without the source
    // maps that our sources get; on a fresh machine every Nest file is transformed once per run.
    '/node_modules/.+\\.(js|mjs|cjs)$': [
      swc,
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    '^.+\\.(ts|js|mjs|cjs)$': [
      swc,
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // Match the last node_modules segment so nested copies of ESM packages are transformed too.
  transformIgnorePatterns: [`/node_modules/(?!(?:.*/node_modules/)?(?:${esmPackages.join('|')})/)`],
};
