import { FeishuError } from '../errors/feishu-error.js';
import type { TaskRecord } from './task.js';
import { applyPatch, checkTaskTimes } from './task.rules.js';

const T0 = 1_700_000_000_000;

const task = (fields: Partial<TaskRecord> = {}): TaskRecord => ({
  guid: 'task-1',
  taskId: 't100001',
  seq: 1,
  summary: 'Report',
  description: 'Q3',
  completedAt: 0,
  creatorKey: 'app:cli',
  members: [],
  reminders: [],
  tasklists: [],
  customFields: [],
  due: { timestamp: String(T0 + 1000), is_all_day: false },
  extra: 'kept',
  createdAt: T0,
  updatedAt: T0,
  ...fields,
});

/** The Feishu error a rule throws: status, code and the parameter its message names. */
function refusal(run: () => unknown): { status: number; code: number; msg: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof FeishuError) return { status: error.status, code: error.code, msg: error.msg };
    throw error;
  }
  throw new Error('the rule accepted it');
}

describe('applyPatch (task-v2/task/patch)', () => {
  it('sets the fields named, from the values given, and stamps updated_at', () => {
    const patched = applyPatch(
      task(),
      { fields: ['summary', 'mode'], values: { summary: 'Final', mode: 1 } },
      T0 + 5,
    );

    expect(patched).toEqual({ ...task(), summary: 'Final', mode: 1, updatedAt: T0 + 5 });
  });

  it('clears a field named without a value: text to "", a timestamp to 0, lists to [], the rest absent', () => {
    const patched = applyPatch(
      task({ completedAt: T0, customFields: [{ guid: 'cf', text_value: 'x' }] }),
      { fields: ['description', 'completed_at', 'custom_fields', 'due', 'extra'], values: {} },
      T0 + 5,
    );

    expect(patched).toMatchObject({ description: '', completedAt: 0, customFields: [] });
    expect(patched).not.toHaveProperty('due');
    expect(patched).not.toHaveProperty('extra');
  });

  it('returns the very task, updated_at unmoved, when nothing changes', () => {
    const original = task();

    expect(applyPatch(original, { fields: ['extra'], values: { extra: 'kept' } }, T0 + 5)).toBe(original);
  });

  it('refuses to clear the summary, or to complete a completed task again; reopening is fine', () => {
    const done = task({ completedAt: T0 });

    expect(refusal(() => applyPatch(task(), { fields: ['summary'], values: {} }, T0))).toMatchObject({
      status: 400,
      code: 1470400,
      msg: "Invalid Param 'summary', must not be empty.",
    });
    expect(
      refusal(() => applyPatch(done, { fields: ['completed_at'], values: { completedAt: T0 + 9 } }, T0)),
    ).toMatchObject({ status: 400, code: 1470400, msg: expect.stringContaining("'completed_at'") });
    expect(applyPatch(done, { fields: ['completed_at'], values: { completedAt: 0 } }, T0).completedAt).toBe(
      0,
    );
    expect(
      applyPatch(task(), { fields: ['completed_at'], values: { completedAt: T0 } }, T0).completedAt,
    ).toBe(T0);
  });

  it('refuses clearing the due time of a task with a reminder', () => {
    const reminded = task({ reminders: [{ id: '11', relativeFireMinute: 5 }] });

    expect(refusal(() => applyPatch(reminded, { fields: ['due'], values: {} }, T0)).msg).toContain(
      "'reminders'",
    );
  });
});

describe('checkTaskTimes', () => {
  it('takes a start at or before the due time, or either alone', () => {
    expect(() => checkTaskTimes({ start: { timestamp: '5' }, due: { timestamp: '5' } }, 0)).not.toThrow();
    expect(() => checkTaskTimes({ start: { timestamp: '5' } }, 0)).not.toThrow();
    expect(() => checkTaskTimes({ due: { timestamp: '5' } }, 1)).not.toThrow();
  });

  it('refuses a start after the due time, and a reminder without a due time, with 400/1470400', () => {
    expect(
      refusal(() => checkTaskTimes({ start: { timestamp: '6' }, due: { timestamp: '5' } }, 0)),
    ).toMatchObject({
      code: 1470400,
      msg: "Invalid Param 'start', must not be later than the due time.",
    });
    expect(refusal(() => checkTaskTimes({}, 1))).toMatchObject({
      code: 1470400,
      msg: "Invalid Param 'reminders', a reminder needs a due time.",
    });
  });
});
