// The console summary and BENCHMARKS.md: targets with their status, a table of medians and ratios
// per pair, every round's numbers, the machine, and the command that reproduces the run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem, arch } from 'node:os';
import { formatNumber, formatRatio, median } from './stats.mjs';
import { ROOT } from './servers.mjs';

export function machine() {
  const cores = cpus();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (dirty) commit += ' with uncommitted changes';
  } catch {
    // Not a git checkout: the commit stays unknown.
  }
  return {
    cpu: `${cores.length} × ${cores[0]?.model?.trim() ?? 'unknown CPU'}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${platform()} ${release()} (${arch()})`,
    commit,
  };
}

const status = (met) => (met === true ? 'met' : met === false ? '**not met**' : 'not measured');
const cell = (value) => (Number.isFinite(value) ? formatNumber(value) : '—');

function pairTable(pair) {
  const sideNames = [...new Set(pair.rows.flatMap((row) => row.sides.map((side) => side.name)))];
  const lines = [
    `| Measure | Unit | ${sideNames.join(' | ')} | Ratio of medians |`,
    `| --- | --- | ${sideNames.map(() => '---:').join(' | ')} | --- |`,
  ];
  for (const row of pair.rows) {
    const medians = sideNames.map((name) => cell(row.sides.find((side) => side.name === name)?.median));
    const ratios = row.ratios.map((entry) => `${entry.label}: ${formatRatio(entry.value)}`).join('; ');
    lines.push(`| ${row.measure} | ${row.unit} | ${medians.join(' | ')} | ${ratios || '—'} |`);
  }
  return lines.join('\n');
}

function roundsList(pair) {
  return pair.rows
    .map(
      (row) =>
        `- ${row.measure} (${row.unit}): ` +
        row.sides.map((side) => `${side.name} ${side.values.map(cell).join(' · ')}`).join('; '),
    )
    .join('\n');
}

/** The whole report as Markdown. */
export function renderReport({ results, settings, wallSeconds, command, info, findings }) {
  const targets = results.flatMap((pair) => pair.targets.map((entry) => ({ ...entry, pair: pair.title })));
  const missed = targets.filter((entry) => entry.met === false).length;
  const parts = [
    '# Benchmarks',
    '',
    '<!-- Written by tools/bench/run.mjs; edit tools/bench/findings.md for the analysis at the end. -->',
    '',
    `The emulator and the client against Prism, a bare \`node:http\` server and this machine's limits (issue 6). ` +
      `Every pair runs in one process tree, sides alternated (A, B, A, B, …) over ${settings.rounds} ` +
      `round${settings.rounds === 1 ? '' : 's'}; ` +
      'tables show medians' +
      (settings.runs > 1
        ? `, here the median over ${settings.runs} consecutive full runs of each run's medians (targets list every run's figure). `
        : '. ') +
      'Timings never gate CI: it runs only the smoke pass (`npm run bench -- --smoke`).',
    '',
    '## Reproduce',
    '',
    '```sh',
    'npm ci',
    command,
    '```',
    '',
    `This run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${info.commit}, ` +
      `${Math.round(wallSeconds)} s wall time. One pair: \`node tools/bench/run.mjs --only <name>\` ` +
      `(${results.map((pair) => pair.name).join(', ')}).`,
    '',
    '## Machine',
    '',
    `- CPU: ${info.cpu}`,
    `- Memory: ${info.memory}`,
    `- Node ${info.node} on ${info.os}`,
    '- Load generator and servers share these cores: every load goes over loopback to 127.0.0.1.',
    '',
    '## Targets',
    '',
    `${targets.length - missed} of ${targets.length} met.`,
    '',
    '| Pair | Target | Measured | Status |',
    '| --- | --- | --- | --- |',
    ...targets.map((entry) => `| ${entry.pair} | ${entry.text} | ${entry.measured} | ${status(entry.met)} |`),
    '',
    '## Results',
  ];
  results.forEach((pair, index) => {
    parts.push('', `### ${index + 1}. ${pair.title}`, '');
    if (pair.error) {
      parts.push(`This pair failed: \`${pair.error}\``);
      return;
    }
    parts.push(pairTable(pair), '', ...pair.notes, '', '<details><summary>Every round</summary>', '');
    parts.push(roundsList(pair), '', '</details>');
  });
  if (findings) parts.push('', findings.trim());
  return `${parts.join('\n')}\n`;
}

/**
 * Several full runs as one: each table cell is the median of the runs' medians (every run's
 * median listed under "every round"), each target is judged on the median of the runs' figures,
 * and shows every run's figure. A pair that failed in any run is reported as failed.
 */
export function combineRuns(perRun) {
  return perRun[0].map((first, index) => {
    const pairs = perRun.map((results) => results[index]);
    const failed = pairs.find((pair) => pair.error);
    if (failed) return { ...failed, error: `${failed.error} (in one of ${perRun.length} runs)` };
    const rows = first.rows.map((row, rowIndex) => {
      const runRows = pairs.map((pair) => pair.rows[rowIndex]);
      return {
        measure: row.measure,
        unit: row.unit,
        sides: row.sides.map((side, sideIndex) => {
          const values = runRows.map((runRow) => runRow.sides[sideIndex].median);
          return { name: side.name, values, median: median(values) };
        }),
        ratios: row.ratios.map((entry, ratioIndex) => ({
          label: entry.label,
          value: median(runRows.map((runRow) => runRow.ratios[ratioIndex].value)),
        })),
      };
    });
    const targets = first.targets.map((entry, targetIndex) => {
      const runTargets = pairs.map((pair) => pair.targets[targetIndex]);
      const value = median(runTargets.map((runTarget) => runTarget.value));
      const show = entry.show ?? formatNumber;
      const met = Number.isFinite(value)
        ? entry.comparison === '>='
          ? value >= entry.limitValue
          : value <= entry.limitValue
        : null;
      return {
        ...entry,
        value,
        met,
        measured: `${show(value)} (runs: ${runTargets.map((runTarget) => runTarget.measured).join(' · ')})`,
      };
    });
    return {
      ...first,
      rows,
      targets,
      notes: [
        ...first.notes,
        `Combined over ${perRun.length} runs: each figure is the median of the runs' medians; ` +
          '"every round" lists each run\'s median.',
      ],
    };
  });
}

/** Writes the report, formatted as the repository's Prettier check expects when Prettier is there. */
export async function writeReport(path, markdown) {
  let text = markdown;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(path)) ?? {};
    text = await prettier.format(markdown, { ...options, filepath: path });
  } catch {
    // Without Prettier the file is still valid Markdown.
  }
  writeFileSync(path, text);
}

/** The hand-written analysis of missed targets, kept next to the harness. */
export function readFindings(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** The console version: each pair's medians and ratios, then every target's status. */
export function printSummary(results) {
  for (const pair of results) {
    console.log(`\n${pair.title}${pair.error ? `: FAILED: ${pair.error}` : ''}`);
    for (const row of pair.rows ?? []) {
      const sides = row.sides.map((side) => `${side.name} ${cell(side.median)}`).join(', ');
      const ratios = row.ratios.map((entry) => `${entry.label} ${formatRatio(entry.value)}`).join(', ');
      console.log(`  ${row.measure} [${row.unit}]: ${sides}${ratios ? `  (${ratios})` : ''}`);
    }
  }
  console.log('\nTargets');
  for (const pair of results) {
    for (const entry of pair.targets ?? []) {
      const mark = entry.met === true ? 'met    ' : entry.met === false ? 'NOT MET' : 'n/a    ';
      console.log(`  ${mark} ${entry.text}: ${entry.measured}`);
    }
  }
}
