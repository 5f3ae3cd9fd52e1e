import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** A link or citation that does not resolve, at the line of the document that makes it. */
export interface Problem {
  document: string;
  line: number;
  message: string;
}

/** A relative link as written in a document. */
export interface Link {
  line: number;
  target: string;
}

/** Folders whose files are built, installed or scratch: a link into them does not resolve in a checkout. */
const GENERATED = new Set(['node_modules', 'dist', 'tmp', 'coverage', '.nx', '.git']);

/** The documents whose links must resolve: README.md, apps/*\/README.md, libs/*\/README.md and docs/**\/*.md. */
export function documentsToCheck(root: string): string[] {
  const readmes = (folder: string) =>
    existsSync(join(root, folder))
      ? readdirSync(join(root, folder))
          .filter((name) => existsSync(join(root, folder, name, 'README.md')))
          .map((name) => `${folder}/${name}/README.md`)
      : [];
  const markdownUnder = (folder: string): string[] =>
    existsSync(join(root, folder))
      ? readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory()
            ? markdownUnder(`${folder}/${entry.name}`)
            : entry.name.endsWith('.md')
              ? [`${folder}/${entry.name}`]
              : [],
        )
      : [];
  return ['README.md', ...readmes('apps'), ...readmes('libs'), ...markdownUnder('docs')].sort();
}

/**
 * The lines of a Markdown document that are prose: fenced code blocks and HTML comments blanked (so line numbers
 * stay), and, unless `keepCode`, inline code spans (which may wrap onto the next line) masked.
 */
function proseLines(markdown: string, keepCode = false): string[] {
  let fence: string | undefined;
  let inComment = false;
  const lines = markdown.split('\n').map((line) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      if (opening && opening[1][0] === fence[0] && opening[1].length >= fence.length && !opening[2].trim()) {
        fence = undefined;
      }
      return '';
    }
    if (opening) {
      fence = opening[1];
      return '';
    }
    let text = line;
    if (inComment) {
      const end = text.indexOf('-->');
      if (end < 0) return '';
      text = text.slice(end + 3);
      inComment = false;
    }
    text = text.replace(/<!--.*?-->/g, '');
    const start = text.indexOf('<!--');
    if (start >= 0) {
      text = text.slice(0, start);
      inComment = true;
    }
    return text;
  });
  return keepCode ? lines : maskCodeSpans(lines.join('\n')).split('\n');
}

/** Inline code spans replaced by as many `x`s (newlines kept): what is inside one is never a link. */
function maskCodeSpans(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      out += text[i++];
      continue;
    }
    let n = 0;
    while (text[i + n] === '`') n++;
    // The closing run has the same length, within the paragraph (no blank line in between).
    let j = i + n;
    let close = -1;
    while (j < text.length) {
      if (text[j] === '\n' && /^\n[ \t]*(\n|$)/.test(text.slice(j, j + 200))) break;
      if (text[j] === '`') {
        let m = 0;
        while (text[j + m] === '`') m++;
        if (m === n) {
          close = j;
          break;
        }
        j += m;
      } else j++;
    }
    if (close < 0) {
      out += text.slice(i, i + n);
      i += n;
      continue;
    }
    out += text.slice(i, close + n).replace(/[^\n]/g, 'x');
    i = close + n;
  }
  return out;
}

/** Every link target in a document: inline links and images, reference definitions, and HTML `href`/`src`. */
export function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  proseLines(markdown).forEach((text, index) => {
    const line = index + 1;
    for (const match of text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
      links.push({ line, target: match[1].replace(/^<|>$/g, '') });
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/.exec(text);
    if (definition) links.push({ line, target: definition[1].replace(/^<|>$/g, '') });
    for (const match of text.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/g))
      links.push({ line, target: match[1] });
  });
  return links;
}

/** The anchor GitHub gives a heading's text (github-slugger's rule, without the duplicate suffix). */
export function githubSlug(heading: string): string {
  // GitHub slugs the rendered text: code spans keep their content, links their text, emphasis goes.
  const rendered = heading
    .split(/(`+[^`]*?`+)/)
    .map((part) =>
      part.startsWith('`')
        ? part.replace(/^`+|`+$/g, '')
        : part
            .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
            .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/<[^>]+>/g, '')
            .replace(/\*+/g, '')
            .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}]|$)/gu, '$1'),
    )
    .join('');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown document offers: its headings' slugs (duplicates numbered as GitHub does), and `<a id>`s. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (slug: string) => {
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  };
  const lines = proseLines(markdown, true);
  lines.forEach((text, index) => {
    const atx = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (atx) add(githubSlug(atx[1]));
    const previous = lines[index - 1]?.trim();
    if (/^\s{0,3}(=+|-+)\s*$/.test(text) && previous && !/^([-*+|>#]|\d+\.)/.test(previous)) {
      add(githubSlug(previous));
    }
    for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  });
  return anchors;
}

/** The relative links of `documents` (paths from `root`) that name no file, a generated one, or no heading. */
export function checkLinks(root: string, documents: string[]): Problem[] {
  const problems: Problem[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (file: string) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(file, 'utf8')));
    return anchorCache.get(file)!;
  };
  for (const document of documents) {
    const source = join(root, document);
    for (const { line, target } of linksOf(readFileSync(source, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // https:, mailto:, …
      const report = (message: string) => problems.push({ document, line, message: `${target}: ${message}` });
      const hash = target.indexOf('#');
      const pathPart = hash < 0 ? target : target.slice(0, hash);
      const anchor = hash < 0 ? undefined : target.slice(hash + 1);
      let path: string;
      try {
        path = decodeURIComponent(pathPart.split('?')[0]);
      } catch {
        report('not a valid URL path');
        continue;
      }
      const file =
        path === '' ? source : path.startsWith('/') ? join(root, path) : resolve(dirname(source), path);
      const inRepo = relative(root, file);
      if (inRepo.startsWith('..') || resolve(root, inRepo) !== file) {
        report('points outside the repository');
        continue;
      }
      if (inRepo.split(sep).some((segment) => GENERATED.has(segment))) {
        report('points into a generated or installed folder, which a checkout does not have');
        continue;
      }
      if (!existsSync(file)) {
        report('no such file');
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      const markdown = statSync(file).isDirectory() ? join(file, 'README.md') : file;
      if (!markdown.endsWith('.md') || !existsSync(markdown)) continue; // #L10 on source files: GitHub's own
      if (!anchorsIn(markdown).has(decodeURIComponent(anchor))) {
        report(`no heading with the anchor #${anchor} in ${relative(root, markdown).split(sep).join('/')}`);
      }
    }
  }
  return problems;
}

/**
 * The citations of docs/fidelity.md: every source key (S1, S2, …) must be a row of docs/feishu-reference.md's
 * sources, every "reference §N" a numbered heading of it, and no document may cite the reference as a file
 * outside the repository (`feishu-api.md`).
 */
export function checkCitations(root: string, documents: string[]): Problem[] {
  const problems: Problem[] = [];
  const fidelity = 'docs/fidelity.md';
  const reference = 'docs/feishu-reference.md';
  if (!existsSync(join(root, reference))) {
    return [
      {
        document: fidelity,
        line: 1,
        message: `${reference} is missing: fidelity.md's sources have nowhere to resolve`,
      },
    ];
  }
  const referenceText = readFileSync(join(root, reference), 'utf8');
  const keys = new Set([...referenceText.matchAll(/^\|\s*(S\d+)\s*\|/gm)].map((match) => match[1]));
  const sections = new Set(
    [...referenceText.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)].map((match) => match[1]),
  );
  readFileSync(join(root, fidelity), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = index + 1;
      for (const [key] of text.matchAll(/\bS\d+\b/g)) {
        if (!keys.has(key))
          problems.push({
            document: fidelity,
            line,
            message: `source ${key} is not defined in ${reference}`,
          });
      }
      for (const match of text.matchAll(/\breference\s+(§[\w.]+(?:\s*,\s*§[\w.]+)*)/g)) {
        for (const section of match[1].split(',').map((part) => part.trim().slice(1))) {
          if (!sections.has(section)) {
            problems.push({
              document: fidelity,
              line,
              message: `section §${section} is not a heading of ${reference}`,
            });
          }
        }
      }
    });
  for (const document of documents) {
    readFileSync(join(root, document), 'utf8')
      .split('\n')
      .forEach((text, index) => {
        if (text.includes('feishu-api.md')) {
          problems.push({
            document,
            line: index + 1,
            message: `cites feishu-api.md, which is not in the repository: cite ${reference}`,
          });
        }
      });
  }
  return problems;
}
