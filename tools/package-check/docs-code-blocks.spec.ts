import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { sharedMockFeishuUrl } from '@feishu-attachments/mock-feishu';
import { ROOT, blocksOf } from './code-blocks';

const run = promisify(execFile);
const THIS_SPEC = relative(ROOT, __filename);

/**
 * The documents whose code blocks must run as written, or say why they do not: the READMEs and every Markdown
 * file under docs/ (where the workspace README's topics moved: commands, control plane, persistence, …).
 */
function documents(): string[] {
  const inFolder = (folder: string, depth: 'children' | 'tree'): string[] =>
    existsSync(join(ROOT, folder))
      ? readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) =>
          depth === 'tree'
            ? entry.isDirectory()
              ? inFolder(`${folder}/${entry.name}`, 'tree')
              : entry.name.endsWith('.md')
                ? [`${folder}/${entry.name}`]
                : []
            : existsSync(join(ROOT, folder, entry.name, 'README.md'))
              ? [`${folder}/${entry.name}/README.md`]
              : [],
        )
      : [];
  return [
    'README.md',
    ...inFolder('apps', 'children'),
    ...inFolder('libs', 'children'),
    ...inFolder('docs', 'tree'),
  ];
}

/**
 * Documents whose blocks of one language a test runs wholesale, without a marker per block: the
 * client README's TypeScript examples run as one program against the emulator.
 */
const RUN_WHOLESALE: Record<string, { language: string; by: string }> = {
  'libs/api-client/README.md': { language: 'ts', by: 'apps/api-client-e2e/test/readme-examples.e2e.spec.ts' },
};

const allBlocks = () => documents().flatMap(blocksOf);

describe('code blocks in the READMEs and docs', () => {
  it('each runs in a test or is marked not-run with a reason', () => {
    const unaccounted = allBlocks()
      .filter((block) => {
        if (block.marker?.kind === 'not-run') return block.marker.value.length === 0;
        if (block.marker?.kind === 'run-by') {
          const spec = join(ROOT, block.marker.value);
          return !existsSync(spec) || !readFileSync(spec, 'utf8').includes(block.document.split('/').pop()!);
        }
        const wholesale = RUN_WHOLESALE[block.document];
        return !(
          wholesale?.language === block.language &&
          readFileSync(join(ROOT, wholesale.by), 'utf8').includes('README.md')
        );
      })
      .map((block) => `${block.document}:${block.line} (${block.language || 'no language'})`);
    expect(unaccounted).toEqual([]);
  });

  it('finds the blocks this check is about', () => {
    const blocks = allBlocks();
    // The topics moved out of the README keep their examples, each still run or marked.
    for (const document of [
      'docs/commands.md',
      'docs/control-plane.md',
      'docs/persistence.md',
      'docs/parity.md',
    ]) {
      expect(blocks.filter((block) => block.document === document).length).toBeGreaterThan(0);
    }
    expect(
      blocks.filter((block) => block.marker?.value === THIS_SPEC).map((block) => block.document),
    ).toEqual(['README.md']);
    expect(blocks.filter((block) => block.document === 'libs/api-client/README.md').length).toBeGreaterThan(
      3,
    );
  });

  it("runs the README's official-SDK example as written with plain node, against the emulator", async () => {
    const [sdk] = allBlocks().filter(
      (block) => block.document === 'README.md' && block.marker?.value === THIS_SPEC,
    );
    expect(sdk.language).toBe('js');
    // Inside the workspace, so that `@larksuiteoapi/node-sdk` resolves as it would in a user's project.
    const dir = join(ROOT, 'tmp', `readme-sdk-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, 'report.pdf'), '%PDF-1.7 report');
      writeFileSync(
        join(dir, 'sdk-demo.mjs'),
        sdk.code.replaceAll('http://127.0.0.1:3100', sharedMockFeishuUrl()),
      );
      const { stdout } = await run(process.execPath, ['sdk-demo.mjs'], { cwd: dir });
      expect(stdout).toContain("'report.pdf'");
      expect(stdout).toMatch(/\/download\/authcode\/\?code=/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
