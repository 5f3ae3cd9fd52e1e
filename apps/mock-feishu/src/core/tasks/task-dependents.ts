/**
 * What belongs to a task and goes with it when it is deleted. Tasks declare this port and the
 * attachments implement it (core/attachments/task-attachments.ts), so tasks know nothing of them.
 */
export abstract class TaskDependents {
  /**
   * Deletes the records that belong to the task, before the task itself goes; returns what to
   * run once the task is gone (their files).
   */
  abstract deleteAllOf(taskGuid: string): Promise<() => Promise<void>>;
}
