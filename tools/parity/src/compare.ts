import type { Observation } from './observation.js';
import { STEPS } from './steps.catalog.js';
import type { StepResult } from './suite.js';

export type Verdict = 'same' | 'different' | 'skipped';

export interface StepComparison {
  id: string;
  title: string;
  settles: string[];
  verdict: Verdict;
  /** What differs, one line each, real side first. */
  differences: string[];
  real: StepResult;
  emulator: StepResult;
  /** The emulator option that would reproduce the real answer. */
  hint?: string;
}

const show = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value));

function differencesOf(real: Observation, emulator: Observation): string[] {
  const found: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) found.push(`${what}: real ${show(a)}, emulator ${show(b)}`);
  };
  same('answer', real.error ?? 'received', emulator.error ?? 'received');
  same('HTTP status', real.status, emulator.status);
  same('code', real.code, emulator.code);
  same('body', real.body, emulator.body);
  const realShape = new Set(real.shape);
  const emulatorShape = new Set(emulator.shape);
  const onlyReal = real.shape.filter((field) => !emulatorShape.has(field));
  const onlyEmulator = emulator.shape.filter((field) => !realShape.has(field));
  if (onlyReal.length > 0) found.push(`fields only Feishu sends: ${onlyReal.join(', ')}`);
  if (onlyEmulator.length > 0) found.push(`fields only the emulator sends: ${onlyEmulator.join(', ')}`);
  for (const name of [...new Set([...Object.keys(real.headers), ...Object.keys(emulator.headers)])].sort()) {
    same(`header ${name}`, real.headers[name], emulator.headers[name]);
  }
  for (const name of [...new Set([...Object.keys(real.values), ...Object.keys(emulator.values)])].sort()) {
    same(name, real.values[name], emulator.values[name]);
  }
  same('order', real.order, emulator.order);
  return found;
}

/** Pairs the two runs step by step. A step skipped on one side only is a difference. */
export function compareRuns(real: StepResult[], emulator: StepResult[]): StepComparison[] {
  return STEPS.map((spec) => {
    const realStep = real.find((step) => step.id === spec.id) ?? { id: spec.id, skipped: 'not run' };
    const emulatorStep = emulator.find((step) => step.id === spec.id) ?? { id: spec.id, skipped: 'not run' };
    const base = {
      id: spec.id,
      title: spec.title,
      settles: spec.settles,
      real: realStep,
      emulator: emulatorStep,
    };
    if (realStep.skipped !== undefined && emulatorStep.skipped !== undefined) {
      return { ...base, verdict: 'skipped', differences: [] };
    }
    if (!realStep.observation || !emulatorStep.observation) {
      const side = (step: StepResult) => (step.skipped ? `skipped (${step.skipped})` : 'ran');
      return {
        ...base,
        verdict: 'different',
        differences: [`real ${side(realStep)}, emulator ${side(emulatorStep)}`],
      };
    }
    const differences = differencesOf(realStep.observation, emulatorStep.observation);
    const hint =
      differences.length > 0 ? spec.hint?.(realStep.observation, emulatorStep.observation) : undefined;
    return { ...base, verdict: differences.length === 0 ? 'same' : 'different', differences, hint };
  });
}
