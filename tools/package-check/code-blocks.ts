import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The workspace root: documents are named relative to it. */
export const ROOT = resolve(__dirname, '../..');

export interface Block {
  document: string;
  line: number;
  language: string;
  code: string;
  /** The nearest heading above the block, without its #s. */
  heading: string;
  marker?: { kind: 'not-run' | 'run-by'; value: string };
}

/** The fenced code blocks of a Markdown document, each with the `not-run`/`run-by` marker above it. */
export function blocksOf(document: string): Block[] {
  const lines = readFileSync(join(ROOT, document), 'utf8').split('\n');
  const blocks: Block[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const title = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (title) heading = title[1].trim();
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === '```');
    if (end < 0) throw new Error(`${document}:${i + 1}: unclosed code block`);
    let previous = i - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    const marker = /^\s*<!--\s*(not-run|run-by):\s*(.*?)\s*-->\s*$/.exec(lines[previous] ?? '');
    blocks.push({
      document,
      line: i + 1,
      language: open[2],
      code: lines.slice(i + 1, end).join('\n'),
      heading,
      marker: marker ? { kind: marker[1] as 'not-run' | 'run-by', value: marker[2] } : undefined,
    });
    i = end;
  }
  return blocks;
}
