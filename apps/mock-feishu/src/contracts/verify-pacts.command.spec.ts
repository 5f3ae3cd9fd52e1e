import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERIFY_PACTS_USAGE, verifyPactsCommand } from './verify-pacts.command.js';
import { PROVIDER_STATES } from './provider-states.js';

// Usage errors only: they are answered before Pact or the emulator is loaded. The verification
// itself runs from an outside project, as a user runs it: tools/package-check/verify-pacts.spec.ts.
describe('mock-feishu verify-pacts, bad usage', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const run = (...argv: string[]) =>
    verifyPactsCommand(argv, { out: (line) => out.push(line), err: (line) => err.push(line), cwd: dir });
  const pact = (provider: string) =>
    JSON.stringify({ consumer: { name: 'c' }, provider: { name: provider }, interactions: [] });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'verify-pacts-'));
    out = [];
    err = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [[], 'no pact files given'],
    [['missing.json'], 'missing.json does not exist'],
    [['--provdier', 'x', 'a.json'], "Unknown option '--provdier'"],
  ])('exits 2 for %j, saying %s', async (argv, message) => {
    expect(await run(...argv)).toBe(2);
    expect(err.join('\n')).toContain(`mock-feishu verify-pacts: ${message}`);
    expect(err.join('\n')).toContain('mock-feishu verify-pacts --help');
  });

  it('exits 2 for a file that is not a pact, and for a folder without pacts', async () => {
    writeFileSync(join(dir, 'config.json'), '{"name":"not a pact"}');
    writeFileSync(join(dir, 'broken.json'), '{');
    mkdirSync(join(dir, 'empty'));
    expect(await run('config.json')).toBe(2);
    expect(await run('broken.json')).toBe(2);
    expect(await run('empty')).toBe(2);
    expect(err.join('\n')).toContain(
      'config.json is not a pact: a pact file has consumer.name, provider.name',
    );
    expect(err.join('\n')).toContain('broken.json is not a pact: ');
    expect(err.join('\n')).toContain('empty is a folder with no *.json pact files in it');
  });

  it('exits 2 when the pacts name several providers and none is chosen, or none is for the chosen one', async () => {
    writeFileSync(join(dir, 'a.json'), pact('mock-feishu'));
    writeFileSync(join(dir, 'b.json'), pact('payments'));
    expect(await run('.')).toBe(2);
    expect(err.join('\n')).toContain(
      'the pacts name 2 providers (mock-feishu, payments); choose one with --provider',
    );
    expect(await run('a.json', '--provider', 'feishu')).toBe(2);
    expect(err.join('\n')).toContain('none of the pacts is for provider "feishu" (they name mock-feishu)');
  });

  it('prints its usage, with every provider state the emulator knows, for --help', async () => {
    expect(await run('--help')).toBe(0);
    expect(out).toEqual([VERIFY_PACTS_USAGE]);
    for (const state of Object.keys(PROVIDER_STATES)) expect(VERIFY_PACTS_USAGE).toContain(`  ${state}\n`);
  });
});
