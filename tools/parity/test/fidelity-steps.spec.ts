import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STEPS } from '../src/steps.catalog.js';

const FIDELITY = join(__dirname, '..', '..', '..', 'docs', 'fidelity.md');

interface Row {
  line: number;
  behaviour: string;
  parityStep: string;
}

/** Every row of every table in docs/fidelity.md that has a "Parity step" column. */
function fidelityRows(text: string): Row[] {
  const rows: Row[] = [];
  let column: number | undefined;
  text.split('\n').forEach((source, index) => {
    if (!source.startsWith('|')) {
      column = undefined;
      return;
    }
    // Cells split on pipes that are not escaped (`403\|404` stays one cell).
    const cells = source
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    if (column === undefined) {
      column = cells.indexOf('Parity step');
      return;
    }
    if (column < 0 || /^-+$/.test(cells[0])) return;
    rows.push({ line: index + 1, behaviour: cells[0], parityStep: cells[column] ?? '' });
  });
  return rows;
}

/**
 * The step ids a "Parity step" cell names: its backticked words outside parentheses. What a
 * parenthesis holds is a remark (`(--slow)`, `(x-tt-logid header format)`), not a step.
 */
function namedSteps(cell: string): string[] {
  let text = cell;
  for (let before = ''; before !== text;) {
    before = text;
    text = text.replace(/\([^()]*\)/g, '');
  }
  return [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
}

/** The steps a cell covers: those it names, those a range (`download-1`…`download-3`) spans, or all. */
function coveredSteps(cell: string, ids: string[]): string[] {
  if (/^every step\b/.test(cell)) return ids;
  const covered = namedSteps(cell);
  for (const [, from, to] of cell.matchAll(/`([^`]+)`…`([^`]+)`/g)) {
    const [start, end] = [ids.indexOf(from), ids.indexOf(to)];
    if (start >= 0 && end >= start) covered.push(...ids.slice(start, end + 1));
  }
  return covered;
}

describe('docs/fidelity.md and the parity catalog', () => {
  const rows = fidelityRows(readFileSync(FIDELITY, 'utf8'));
  const known = new Set(STEPS.map((step) => step.id));

  it('names, in every "Parity step" cell, only steps the catalog knows', () => {
    const named = rows.flatMap((row) => namedSteps(row.parityStep).map((id) => ({ id, row })));
    const unknown = named
      .filter(({ id }) => !known.has(id))
      .map(({ id, row }) => `docs/fidelity.md:${row.line} (${row.behaviour}): \`${id}\``);

    // The ledger's rows name dozens of steps; a parser that finds none would pass vacuously.
    expect(named.length).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });

  it('settles, in every catalog step, only rows docs/fidelity.md has', () => {
    const behaviours = new Set(rows.map((row) => row.behaviour));
    const missing = STEPS.flatMap((step) =>
      step.settles.filter((row) => !behaviours.has(row)).map((row) => `${step.id}: ${row}`),
    );

    expect(behaviours.size).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('names each step in a row it settles', () => {
    // A step the catalog says settles a row, that the row does not name, is a step nobody reads.
    // Some behaviours (Get, Delete) have a row in two sections: either may name the step.
    const ids = STEPS.map((step) => step.id);
    const unnamed = STEPS.flatMap((step) =>
      step.settles
        .filter((behaviour) =>
          rows
            .filter((row) => row.behaviour === behaviour)
            .every((row) => !coveredSteps(row.parityStep, ids).includes(step.id)),
        )
        .map((behaviour) => `${step.id} → ${behaviour}`),
    );

    expect(unnamed).toEqual([]);
  });
});
