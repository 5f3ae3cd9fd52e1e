import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './code-blocks';
import { anchorsOf, checkCitations, checkLinks, documentsToCheck, githubSlug, linksOf } from './doc-links';

const show = (problems: { document: string; line: number; message: string }[]) =>
  problems.map(({ document, line, message }) => `${document}:${line}: ${message}`);

describe('links and citations in the READMEs and docs', () => {
  const documents = documentsToCheck(ROOT);

  it('checks README.md, apps/*/README.md, libs/*/README.md and docs/**/*.md', () => {
    expect(documents).toEqual(
      expect.arrayContaining([
        'README.md',
        'apps/mock-feishu/README.md',
        'libs/api-client/README.md',
        'docs/fidelity.md',
        'docs/feishu-reference.md',
        'docs/parity/README.md',
      ]),
    );
  });

  it('every relative link names a file of the repository, and every #anchor a heading of it', () => {
    expect(show(checkLinks(ROOT, documents))).toEqual([]);
  });

  it('every source key and section docs/fidelity.md cites is in docs/feishu-reference.md, inside the repository', () => {
    expect(show(checkCitations(ROOT, documents))).toEqual([]);
  });
});

describe('the link check itself', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'doc-links-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('slugs headings as GitHub does', () => {
    expect(githubSlug('A complete example: `nx g @feishu-attachments/workspace:consumer`')).toBe(
      'a-complete-example-nx-g-feishu-attachmentsworkspaceconsumer',
    );
    expect(githubSlug('Control plane (`/__mock`)')).toBe('control-plane-__mock');
    expect(githubSlug('3.4 File names')).toBe('34-file-names');
    expect(githubSlug('Or with the **official** [Lark SDK](https://example.com)')).toBe(
      'or-with-the-official-lark-sdk',
    );
    expect([...anchorsOf('# Usage\n\n## Usage\n\n```sh\n# not a heading\n```\n\nSetext\n======\n')]).toEqual([
      'usage',
      'usage-1',
      'setext',
    ]);
  });

  it('reads links in prose, not in code', () => {
    const markdown = [
      'See [a](a.md), ![b](images/b.png "title") and [`c`](c.md#part).',
      '',
      'Not `[d](d.md)`, nor in a block:',
      '',
      '```md',
      '[e](e.md)',
      '```',
      '',
      '<!-- [f](f.md) -->',
      '[g]: g.md',
    ].join('\n');
    expect(linksOf(markdown)).toEqual([
      { line: 1, target: 'a.md' },
      { line: 1, target: 'images/b.png' },
      { line: 1, target: 'c.md#part' },
      { line: 10, target: 'g.md' },
    ]);
  });

  it('fails on a missing file, a missing anchor, a link out of the repository, and an undefined source', () => {
    write(
      'README.md',
      [
        '# Project',
        '',
        '[good](docs/guide.md#setting-up) [self](#project) [web](https://example.com/missing.md)',
        '[gone](docs/missing.md) [bad anchor](docs/guide.md#tear-down)',
        '[outside](../elsewhere.md) [built](dist/index.js)',
      ].join('\n'),
    );
    write('dist/index.js', '');
    write('docs/guide.md', '# Guide\n\n## Setting up\n');
    write(
      'docs/fidelity.md',
      'Sources: [the reference](feishu-reference.md).\n\n| Row | S1 | S7 (reference §2, §9) |\n\nOnce `feishu-api.md`.\n',
    );
    write(
      'docs/feishu-reference.md',
      '# Reference\n\n| Key | Source |\n| --- | --- |\n| S1 | a doc |\n\n## 2. Objects\n',
    );

    const documents = documentsToCheck(root);
    expect(documents).toEqual(['README.md', 'docs/feishu-reference.md', 'docs/fidelity.md', 'docs/guide.md']);
    expect(show(checkLinks(root, documents))).toEqual([
      'README.md:4: docs/missing.md: no such file',
      'README.md:4: docs/guide.md#tear-down: no heading with the anchor #tear-down in docs/guide.md',
      'README.md:5: ../elsewhere.md: points outside the repository',
      'README.md:5: dist/index.js: points into a generated or installed folder, which a checkout does not have',
    ]);
    expect(show(checkCitations(root, documents))).toEqual([
      'docs/fidelity.md:3: source S7 is not defined in docs/feishu-reference.md',
      'docs/fidelity.md:3: section §9 is not a heading of docs/feishu-reference.md',
      'docs/fidelity.md:5: cites feishu-api.md, which is not in the repository: cite docs/feishu-reference.md',
    ]);
  });
});
