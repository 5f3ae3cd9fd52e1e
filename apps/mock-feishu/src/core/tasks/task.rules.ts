import type { PatchableTaskField } from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../errors/feishu-errors.js';
import { isCompleted, type TaskFields, type TaskRecord } from './task.js';
import type { PatchTaskCommand } from './task.commands.js';

/** The record field each `update_fields` name changes. */
const RECORD_FIELD: Record<PatchableTaskField, keyof TaskFields> = {
  summary: 'summary',
  description: 'description',
  due: 'due',
  start: 'start',
  completed_at: 'completedAt',
  extra: 'extra',
  repeat_rule: 'repeatRule',
  custom_complete: 'customComplete',
  mode: 'mode',
  is_milestone: 'isMilestone',
  custom_fields: 'customFields',
};

/**
 * What a field named in `update_fields` but absent from `task` becomes (Feishu: it is cleared).
 * A summary cannot be empty, so clearing it is refused as an empty one would be.
 */
function cleared(field: keyof TaskFields): Partial<TaskFields> {
  switch (field) {
    case 'summary':
      throw FeishuErrors.invalidParam('summary', 'must not be empty');
    case 'description':
      return { description: '' };
    case 'completedAt':
      return { completedAt: 0 };
    case 'customFields':
      return { customFields: [] };
    default:
      return { [field]: undefined };
  }
}

/**
 * Rules that tie fields together, on create and after a patch. Feishu documents "a reminder
 * without a due time" as a 400 (task-v2/task/create); a start after the due time is refused too
 * (assumed: docs/fidelity.md, parity step `task-patch-start-after-due`).
 */
export function checkTaskTimes(task: Pick<TaskFields, 'due' | 'start'>, reminderCount: number): void {
  if (reminderCount > 0 && task.due?.timestamp === undefined) {
    throw FeishuErrors.invalidParam('reminders', 'a reminder needs a due time');
  }
  if (
    task.due?.timestamp !== undefined &&
    task.start?.timestamp !== undefined &&
    Number(task.start.timestamp) > Number(task.due.timestamp)
  ) {
    throw FeishuErrors.invalidParam('start', 'must not be later than the due time');
  }
}

/**
 * A task after a patch, or the refusal. Feishu (task-v2/task/patch): each field named in
 * `update_fields` takes its value from `task`, or is cleared when `task` lacks it; `completed_at`
 * completes a task and `"0"` reopens it, but a completed task cannot be completed again.
 * `updated_at` moves only when something changed.
 */
export function applyPatch(task: TaskRecord, command: PatchTaskCommand, now: number): TaskRecord {
  const patched: TaskRecord = { ...task };
  for (const name of command.fields) {
    const field = RECORD_FIELD[name];
    const change = field in command.values ? { [field]: command.values[field] } : cleared(field);
    for (const [key, value] of Object.entries(change)) {
      // An unset field is absent, not `undefined`, so a patch that changes nothing compares equal.
      if (value === undefined) delete (patched as Partial<TaskFields>)[key as keyof TaskFields];
      else Object.assign(patched, { [key]: value });
    }
  }
  if (command.fields.includes('completed_at') && isCompleted(task) && isCompleted(patched)) {
    throw FeishuErrors.invalidParam(
      'completed_at',
      'the task is already completed; set "0" to reopen it first',
    );
  }
  checkTaskTimes(patched, patched.reminders.length);
  if (sameData(patched, task)) return task;
  return { ...patched, updatedAt: now };
}

/**
 * Whether two records hold the same data: plain JSON-like values compared by content, whatever
 * their key order or the realm that made them (a store may hand back structured clones, whose
 * prototypes are not those of the objects a patch builds, so `isDeepStrictEqual` would differ).
 */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (value: object) =>
    Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
  const [aKeys, bKeys] = [keys(a), keys(b)];
  return (
    aKeys.length === bKeys.length &&
    aKeys.every((key) => sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}
