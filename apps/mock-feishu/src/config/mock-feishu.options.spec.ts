import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ENVIRONMENT_ONLY,
  declaredOptions,
  renderOptionsDoc,
  type OptionValues,
} from './mock-feishu.options.js';
import type { MockFeishuOptions } from './option-values.js';
import { SQLITE_DRIVER_ENV } from '../adapters/sqlite/sqlite-driver.js';

const ROOT = join(__dirname, '..', '..', '..', '..');
const DOC = join(ROOT, 'docs', 'options.md');
const SCRIPT = join(ROOT, 'apps', 'mock-feishu', 'scripts', 'write-options-doc.mjs');
const REWRITE = 'node apps/mock-feishu/scripts/write-options-doc.mjs';

describe('docs/options.md', () => {
  it(`is what the declaration gives (${REWRITE} rewrites it)`, () => {
    const written = readFileSync(DOC, 'utf8');
    try {
      expect(written).toBe(renderOptionsDoc());
    } catch (error) {
      (error as Error).message = `docs/options.md is stale: run ${REWRITE}\n\n${(error as Error).message}`;
      throw error;
    }
  });

  it('is checked by the script too, which refuses a stale copy and names the command', async () => {
    const run = promisify(execFile);
    await expect(run(process.execPath, [SCRIPT, '--check'])).resolves.toEqual(expect.anything());

    const dir = mkdtempSync(join(tmpdir(), 'mock-feishu-options-doc-'));
    try {
      const stale = join(dir, 'options.md');
      writeFileSync(stale, renderOptionsDoc().replace('`3100`', '`3000`'));
      await expect(run(process.execPath, [SCRIPT, '--check', stale])).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`is stale: run ${REWRITE}`),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The public, zod-free option type and the one the declarations infer name the same options with
// the same types: a difference is a compile error here (this file is type-checked with the tests).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const optionTypesAgree: Same<Required<MockFeishuOptions>, Required<OptionValues>> = true;

describe('OPTION_DECLARATIONS', () => {
  it('types the public MockFeishuOptions exactly as the declarations do (checked by the compiler)', () => {
    expect(optionTypesAgree).toBe(true);
  });

  const declarations = declaredOptions().map(([, declaration]) => declaration);

  it('gives each option its own flag and its own MOCK_FEISHU_* variable', () => {
    const flags = declarations.flatMap((declaration) => declaration.flag?.split(' ')[0] ?? []);
    const variables = [
      ...declarations.flatMap((declaration) => declaration.env ?? []),
      ...ENVIRONMENT_ONLY.map((variable) => variable.env),
    ];

    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(variables).size).toBe(variables.length);
    for (const variable of variables) expect(variable).toMatch(/^MOCK_FEISHU_[A-Z0-9_]+$/);
  });

  it('gives an option a variable exactly when it has a flag', () => {
    for (const declaration of declarations) expect(Boolean(declaration.env)).toBe(Boolean(declaration.flag));
  });

  it('documents the variable the SQLite driver is chosen by, under the name the store reads', () => {
    expect(ENVIRONMENT_ONLY.map((variable) => variable.env)).toContain(SQLITE_DRIVER_ENV);
  });
});
