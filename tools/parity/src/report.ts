import type { StepComparison } from './compare.js';
import type { Observation } from './observation.js';
import type { CleanupCall, StepResult } from './suite.js';

/** The JSON file a run writes (and `--record` keeps under docs/parity/): observations, no secrets. */
export interface ParityRecord {
  format: 'feishu-attachments-parity/1';
  createdAt: string;
  /** Host of the real side only; never a full URL. */
  realHost: string;
  /** The emulator flags this run compared against; a replay starts the emulator with them. */
  emulatorArgs: string[];
  slow: boolean;
  /** Steps a replay may find different without failing, each with why (edit by hand). */
  acceptedDifferences: Record<string, string>;
  summary: Record<'same' | 'different' | 'skipped', number>;
  steps: {
    id: string;
    title: string;
    verdict: StepComparison['verdict'];
    differences: string[];
    hint?: string;
    settles: string[];
    real: StepResult;
    emulator: StepResult;
  }[];
  cleanup: { real: CleanupCall[]; emulator: CleanupCall[] };
}

export function toRecord(
  rows: StepComparison[],
  meta: { createdAt: string; realHost: string; emulatorArgs: string[]; slow: boolean },
  cleanup: ParityRecord['cleanup'],
): ParityRecord {
  const count = (verdict: StepComparison['verdict']) => rows.filter((row) => row.verdict === verdict).length;
  return {
    format: 'feishu-attachments-parity/1',
    ...meta,
    acceptedDifferences: {},
    summary: { same: count('same'), different: count('different'), skipped: count('skipped') },
    steps: rows.map((row) => ({
      id: row.id,
      title: row.title,
      verdict: row.verdict,
      differences: row.differences,
      ...(row.hint ? { hint: row.hint } : {}),
      settles: row.settles,
      real: row.real,
      emulator: row.emulator,
    })),
    cleanup,
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function brief(step: StepResult): string {
  if (step.skipped) return `skipped: ${step.skipped}`;
  const observation = step.observation as Observation;
  if (observation.error) return observation.error;
  if (observation.order) {
    const pages = observation.values.pages;
    return `${observation.order.length} names${pages === undefined ? '' : ` over ${String(pages)} pages`}`;
  }
  const code = observation.code === undefined ? '' : ` / ${observation.code}`;
  const shape = observation.body === 'json' ? `json, ${observation.shape.length} fields` : observation.body;
  return `${observation.status}${code} (${shape})`;
}

/** The Markdown report: one row per step, then the details of each difference. */
export function renderMarkdown(record: ParityRecord): string {
  const lines = [
    '# Feishu parity report',
    '',
    `Real side \`${record.realHost}\`, emulator \`${['mock-feishu', ...record.emulatorArgs].join(' ')}\`,` +
      ` ${record.createdAt}${record.slow ? ', with --slow' : ''}.`,
    '',
    `${record.summary.same} same, ${record.summary.different} different, ${record.summary.skipped} skipped.`,
    '',
    '| Step | Verdict | Feishu: status / code (body) | Emulator: status / code (body) | Emulator option |',
    '| ---- | ------- | ---------------------------- | ------------------------------ | --------------- |',
    ...record.steps.map(
      (step) =>
        `| \`${step.id}\` ${cell(step.title)} | ${step.verdict} | ${cell(brief(step.real))} | ` +
        `${cell(brief(step.emulator))} | ${cell(step.hint ?? '')} |`,
    ),
  ];
  const different = record.steps.filter((step) => step.verdict === 'different');
  if (different.length > 0) {
    lines.push('', '## Differences', '');
    for (const step of different) {
      lines.push(`### \`${step.id}\`: ${step.title}`, '');
      lines.push(`Settles (docs/fidelity.md): ${step.settles.join('; ')}.`, '');
      for (const difference of step.differences) lines.push(`- ${difference}`);
      const realMessage = step.real.observation?.message;
      const emulatorMessage = step.emulator.observation?.message;
      if (realMessage !== undefined || emulatorMessage !== undefined) {
        lines.push(
          `- msg: Feishu ${JSON.stringify(realMessage)}, emulator ${JSON.stringify(emulatorMessage)}`,
        );
      }
      if (step.hint) lines.push(`- to reproduce Feishu's answer: ${step.hint}`);
      lines.push('');
    }
  }
  lines.push('## Clean-up', '');
  for (const side of ['real', 'emulator'] as const) {
    const calls = record.cleanup[side];
    const text =
      calls.length === 0
        ? 'nothing to delete'
        : calls
            .map((c) => `${c.what} → ${c.error ?? `${c.status}${c.code === undefined ? '' : `/${c.code}`}`}`)
            .join(', ');
    lines.push(`- ${side === 'real' ? 'Feishu' : 'emulator'}: ${text}`);
  }
  lines.push(
    '',
    'Send this report and the JSON file next to it with an issue: they hold statuses, codes, field names',
    'and types, but no tokens, secrets, download codes or file contents.',
    '',
  );
  return lines.join('\n');
}
