import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pactFile, removeOwnPact } from './pact-file.js';

describe('the pact file of this consumer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pacts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is named after the Nx project, as the provider verification expects', () => {
    expect(pactFile(dir)).toBe(join(dir, 'api-client-mock-feishu.json'));
  });

  it('is the only file removed before a run: a sibling consumer’s pact survives', () => {
    const sibling = join(dir, 'billing-app-mock-feishu.json');
    writeFileSync(sibling, '{}');
    writeFileSync(pactFile(dir), '{}');

    removeOwnPact(dir);

    expect(existsSync(pactFile(dir))).toBe(false);
    expect(existsSync(sibling)).toBe(true);
  });
});
