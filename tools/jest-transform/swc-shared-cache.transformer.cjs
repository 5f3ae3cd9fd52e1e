const { createHash } = require('node:crypto');
const swcJest = require('@swc/jest');
const swcCoreVersion = require('@swc/core/package.json').version;
const swcJestVersion = require('@swc/jest/package.json').version;

/** The `id` every project's Jest config gives (Jest reads it before the preset, so each names it). */
const SHARED_CACHE_ID = 'feishu-attachments';

/**
 * @swc/jest, with a cache key that every Jest project of the workspace can share. Jest keys a
 * transformed file by what the transformer says, and @swc/jest's key contains the whole project
 * config, as babel-jest's must (Babel reads it). swc's output depends only on the file's source and
 * path, the swc options, whether Jest asked for ES modules and whether it instruments, so this key
 * holds just those. With SHARED_CACHE_ID as every config's `id` (Jest names its cache folder after
 * it), Nest, ky and zod are transformed once per `npm test` instead of once per project config
 * (about 7 s of CPU for a suite that loads Nest, on a cold cache).
 */
function createTransformer(swcOptions) {
  const transformer = swcJest.createTransformer(swcOptions);
  const fixed = JSON.stringify([process.version, swcCoreVersion, swcJestVersion, swcOptions ?? null]);
  return {
    ...transformer,
    getCacheKey(source, filename, options) {
      return createHash('sha1')
        .update(fixed)
        .update('\0')
        .update(filename)
        .update('\0')
        .update(options.supportsStaticESM ? 'esm' : 'cjs')
        .update(options.instrument ? ' instrument' : '')
        .update('\0')
        .update(source)
        .digest('hex');
    },
  };
}

module.exports = { createTransformer, SHARED_CACHE_ID };
