// The workspace's Jest transform: @swc/jest's output under a key that every project can share.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { createTransformer, SHARED_CACHE_ID } = require('./swc-shared-cache.transformer.cjs');
const swcJest = require('@swc/jest');
const ROOT = join(import.meta.dirname, '../..');

const SWC_OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
};
const SOURCE = 'export const answer: number = 42;\n';
const FILE = '/workspace/src/answer.ts';
/** What Jest hands a transformer for one project: its whole config, as a string too. */
const jestOptions = (displayName, extra = {}) => {
  const config = { displayName, rootDir: '/workspace', testMatch: [`**/${displayName}/*.spec.ts`] };
  return {
    config,
    configString: JSON.stringify(config),
    instrument: false,
    supportsStaticESM: false,
    ...extra,
  };
};

describe('the shared-cache swc transform', () => {
  const transformer = createTransformer(SWC_OPTIONS);

  it('gives one file the same key in every project, where @swc/jest gives each project its own', () => {
    const [one, other] = [jestOptions('admin-api'), jestOptions('mock-feishu')];
    expect(transformer.getCacheKey(SOURCE, FILE, one)).toBe(transformer.getCacheKey(SOURCE, FILE, other));
    const plain = swcJest.createTransformer(SWC_OPTIONS);
    expect(plain.getCacheKey(SOURCE, FILE, one)).not.toBe(plain.getCacheKey(SOURCE, FILE, other));
  });

  it('changes the key with what changes the output: the source, the path, ES modules, instrumenting, the options', () => {
    const options = jestOptions('admin-api');
    const key = transformer.getCacheKey(SOURCE, FILE, options);
    const others = [
      transformer.getCacheKey(`${SOURCE}// more\n`, FILE, options),
      transformer.getCacheKey(SOURCE, '/workspace/src/other.ts', options),
      transformer.getCacheKey(SOURCE, FILE, { ...options, supportsStaticESM: true }),
      transformer.getCacheKey(SOURCE, FILE, { ...options, instrument: true }),
      createTransformer({ ...SWC_OPTIONS, sourceMaps: false }).getCacheKey(SOURCE, FILE, options),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it('transforms as @swc/jest does', () => {
    const options = jestOptions('admin-api');
    const plain = swcJest.createTransformer(SWC_OPTIONS);
    const { code } = transformer.process(SOURCE, FILE, options);
    expect(code).toBe(plain.process(SOURCE, FILE, options).code);
    expect(code).toContain('const answer = 42;');
  });

  it('is named by every Jest config of the workspace, each with the shared cache id', () => {
    const configs = execFileSync(
      'git',
      ['ls-files', '*jest.config.ts', '*jest.config.mjs', '*jest.config.ts__tpl__'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    )
      .split('\n')
      // The root config is no project's: it takes in the projects' configs (tools/jest-workspace).
      .filter((file) => file && file !== 'jest.config.ts');
    expect(configs.length).toBeGreaterThanOrEqual(12);
    const ids = configs.map((file) => [
      file,
      readFileSync(join(ROOT, file), 'utf8').match(/^\s*id: '([^']*)'/m)?.[1],
    ]);
    expect(ids.filter(([, id]) => id !== SHARED_CACHE_ID)).toEqual([]);
    expect(readFileSync(join(ROOT, 'jest.preset.js'), 'utf8')).toContain('swc-shared-cache.transformer.cjs');
  });
});
