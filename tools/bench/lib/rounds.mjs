// Sides measured in turn (A, B, A, B, …) so drift over the run (heat, caches, a busy neighbour)
// falls on every side alike; the report takes each side's median.
import { formatNumber, median, ratio } from './stats.mjs';

/**
 * Runs `warmUp(side)` once per side, then `rounds` rounds of `measure(side, round)` in side order.
 * Returns `{ [side.name]: [value per round] }`.
 */
export async function alternate({ sides, rounds, measure, warmUp, log, label = '' }) {
  const values = Object.fromEntries(sides.map((side) => [side.name, []]));
  if (warmUp) for (const side of sides) await warmUp(side);
  for (let round = 0; round < rounds; round++) {
    for (const side of sides) {
      const value = await measure(side, round);
      values[side.name].push(value);
      log?.(`${label}round ${round + 1}/${rounds} ${side.name}: ${describe(value)}`);
    }
  }
  return values;
}

const describe = (value) =>
  typeof value === 'number'
    ? formatNumber(value)
    : Object.entries(value)
        .map(([key, number]) => `${key} ${formatNumber(number)}`)
        .join(', ');

/** One field of every round's result, per side: `{ side: [numbers] }`. */
export const pick = (values, field) =>
  Object.fromEntries(
    Object.entries(values).map(([side, rounds]) => [side, rounds.map((value) => value[field])]),
  );

/**
 * A table row: a measure, its unit, each side's per-round values, and the ratios of medians that
 * matter (`[numeratorSide, denominatorSide]`).
 */
export function row(measure, unit, perSide, ratios = []) {
  const medians = Object.fromEntries(Object.entries(perSide).map(([side, values]) => [side, median(values)]));
  return {
    measure,
    unit,
    sides: Object.entries(perSide).map(([name, values]) => ({ name, values, median: medians[name] })),
    ratios: ratios.map(([a, b]) => ({ label: `${a} / ${b}`, value: ratio(medians[a], medians[b]) })),
  };
}

/**
 * A target and whether this run met it: `measured` compared with `limit` by `comparison`
 * (`>=` or `<=`); `show` formats both for the report, `note` (optional) says what lies behind
 * the figure. The numbers stay on the target, so several runs can be combined (run.mjs --runs).
 */
export function target(text, measured, comparison, limit, show = formatNumber, note) {
  const met = Number.isFinite(measured)
    ? comparison === '>='
      ? measured >= limit
      : measured <= limit
    : null;
  return {
    text,
    measured: note ? `${show(measured)} (${note})` : show(measured),
    limit: show(limit),
    met,
    value: measured,
    comparison,
    limitValue: limit,
    show,
  };
}
