import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PROVIDER_STATES } from '@feishu-attachments/mock-feishu';
import { outsideProjects } from './outside-projects';

/**
 * "A consumer in another repository" in docs/contract-testing.md, run as written in a fresh
 * project outside the workspace: the packed tarballs plus Pact, installed offline from the
 * workspace's npm cache (by the Jest global setup, in a project of this spec's own that shares its
 * install with package-check.spec.ts's test runners); the pact, the command, its last line and the
 * state-handlers module are the document's own code blocks.
 */
const DOCUMENT = resolve(__dirname, '../../docs/contract-testing.md');
const SECTION = '## A consumer in another repository';
const PACT = '@pact-foundation/pact';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

let project: string;

/** The fenced blocks of the section, by language, in order, without the list's indentation. */
function sectionBlocks(): { language: string; code: string }[] {
  const text = readFileSync(DOCUMENT, 'utf8');
  const start = text.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`docs/contract-testing.md has no "${SECTION}" section`);
  const end = text.indexOf('\n## ', start + SECTION.length);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^( *)```(\S*)\n([\s\S]*?)^\1```$/gm)].map(([, indent, language, code]) => ({
    language,
    code: code
      .split('\n')
      .map((line) => line.slice(indent.length))
      .join('\n')
      .trim(),
  }));
}

function block(language: string, index = 0): string {
  const found = sectionBlocks().filter((each) => each.language === language)[index];
  if (!found) throw new Error(`no ${language} block #${index + 1} in "${SECTION}"`);
  return found.code;
}

/** The document's pact, changed by `edit`, written to `file` in the outside project. */
function writePact(file: string, edit: (pact: DocumentPact) => void = () => undefined): void {
  const pact = JSON.parse(block('json')) as DocumentPact;
  edit(pact);
  mkdirSync(dirname(join(project, file)), { recursive: true });
  writeFileSync(join(project, file), `${JSON.stringify(pact, null, 2)}\n`);
}

interface DocumentPact {
  interactions: {
    providerStates: { name: string }[];
    response: { status: number; body: { content: { data: { items: Record<string, unknown>[] } } } };
  }[];
}

/** Runs a shell command line in the outside project: its exit status and its output, colours removed. */
function sh(command: string): Promise<{ status: number; output: string }> {
  return new Promise((done) => {
    execFile(
      'sh',
      ['-c', `${command} 2>&1`],
      { cwd: project, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ status, output: stdout.replace(ANSI, '') });
      },
    );
  });
}

beforeAll(() => {
  project = outsideProjects().pactUser;
});

describe('mock-feishu verify-pacts in a project outside the workspace', () => {
  it('declares Pact an optional peer dependency of the installed package', () => {
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules/@feishu-attachments/mock-feishu/package.json'), 'utf8'),
    );
    expect(manifest.peerDependencies).toMatchObject({ [PACT]: expect.any(String) });
    expect(manifest.peerDependenciesMeta).toMatchObject({ [PACT]: { optional: true } });
    expect(manifest.dependencies).not.toHaveProperty(PACT);
    expect(manifest.dependencies).not.toHaveProperty(PACT);
  });

  it("passes the document's pact: exit 0, Pact's report, and the last line the document shows", async () => {
    writePact('pacts/my-service-mock-feishu.json');
    const command = block('sh', 1);
    expect(command).toBe('npx mock-feishu verify-pacts ./pacts');

    const { status, output } = await sh(command);

    expect({ status, output }).toEqual({ status: 0, output: expect.any(String) });
    expect(output).toContain('Verifying a pact between my-service and mock-feishu');
    expect(output).toContain('Given task T has an attachment A');
    expect(output).toContain('has a matching body (OK)');
    expect(output.trim().split('\n').at(-1)).toBe(block('text'));
  });

  it('fails a pact that expects a field the emulator does not send: exit 1, naming the field', async () => {
    writePact('broken/my-service-mock-feishu.json', (pact) => {
      pact.interactions[0].response.body.content.data.items[0].thumbnail_url = 'https://example.com/t.png';
    });

    const { status, output } = await sh('npx mock-feishu verify-pacts ./broken/my-service-mock-feishu.json');

    expect({ status, output }).toEqual({ status: 1, output: expect.any(String) });
    expect(output).toContain('has a matching body (FAILED)');
    expect(output).toContain('Failures:');
    expect(output).toContain('$.data.items[0] -> Actual map is missing the following keys: thumbnail_url');
    expect(output).toMatch(/mock-feishu verify-pacts: FAILED\n.*missing the following keys: thumbnail_url/);
  });

  it('fails a pact that expects another status: exit 1, naming both', async () => {
    writePact('wrong-status/my-service-mock-feishu.json', (pact) => {
      pact.interactions[0].response.status = 201;
    });

    const { status, output } = await sh('npx mock-feishu verify-pacts wrong-status');

    expect({ status, output }).toEqual({ status: 1, output: expect.any(String) });
    expect(output).toContain('expected 201 but was 200');
  });

  it('fails a pact naming a state the emulator does not know, listing the states it knows', async () => {
    writePact('unknown-state/my-service-mock-feishu.json', (pact) => {
      pact.interactions[0].providerStates = [{ name: 'task T was archived' }];
    });

    const { status, output } = await sh('npx mock-feishu verify-pacts unknown-state');

    expect({ status, output }).toEqual({ status: 1, output: expect.any(String) });
    expect(output).toContain('the emulator does not know the provider state(s) "task T was archived"');
    const listed = output.split('\n').filter((line) => /^ {2}\S/.test(line) && !line.includes('✗'));
    expect(listed.map((line) => line.trim())).toEqual(expect.arrayContaining(Object.keys(PROVIDER_STATES)));
  });

  it("takes the user's own states from --state-handlers, as the document's module shows", async () => {
    const module = block('js');
    writeFileSync(join(project, 'my-states.mjs'), module);
    writePact('custom/my-service-mock-feishu.json', (pact) => {
      pact.interactions[0].providerStates = [{ name: 'task T has a report' }];
    });
    const command = /used as: (npx mock-feishu verify-pacts .*)$/m.exec(module)![1];

    const { status, output } = await sh(command.replace('./pacts', './custom'));

    expect({ status, output }).toEqual({
      status: 0,
      output: expect.stringContaining('Given task T has a report'),
    });
  });

  it('exits 2 on bad usage, with a message', async () => {
    expect(await sh('npx mock-feishu verify-pacts')).toEqual({
      status: 2,
      output: expect.stringContaining('mock-feishu verify-pacts: no pact files given'),
    });
    expect(await sh('npx mock-feishu verify-pacts ./no-such-pacts')).toEqual({
      status: 2,
      output: expect.stringContaining('mock-feishu verify-pacts: ./no-such-pacts does not exist'),
    });
    expect(await sh('npx mock-feishu verify-pacts package.json')).toEqual({
      status: 2,
      output: expect.stringContaining('mock-feishu verify-pacts: package.json is not a pact'),
    });
  });

  it('without Pact installed, exits 2 naming the package and how to install it; the emulator still runs', async () => {
    const installed = join(project, 'node_modules', PACT);
    const aside = join(project, 'node_modules/@pact-foundation/.pact-aside');
    renameSync(installed, aside);
    try {
      const { status, output } = await sh('npx mock-feishu verify-pacts ./pacts');
      expect({ status, output }).toEqual({ status: 2, output: expect.stringContaining(PACT) });
      expect(output).toContain(`npm install --save-dev ${PACT}@16`);
      expect(await sh('npx mock-feishu --version')).toEqual({ status: 0, output: expect.any(String) });
    } finally {
      renameSync(aside, installed);
    }
  });

  it("documents exactly the package's PROVIDER_STATES, with their descriptions and values", () => {
    const text = readFileSync(DOCUMENT, 'utf8');
    const table = text.slice(text.indexOf('\n### The provider states the emulator knows\n'));
    const rows = [
      ...table.slice(0, table.indexOf('\n## ')).matchAll(/^\| `([^`]+)` +\| (.+?) +\| (.+?) +\|$/gm),
    ].map(([, state, description, values]) => [state, description, values.replace(/`/g, '').split(', ')]);
    expect(rows).toEqual(
      Object.entries(PROVIDER_STATES).map(([state, info]) => [state, info.description, [...info.values]]),
    );
  });
});
