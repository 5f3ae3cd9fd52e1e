import type { TaskRecord } from './task.js';

/**
 * Which tasks a page lists: the subtasks of one task, or the tasks a member is an assignee of
 * (completed ones only, not completed ones only, or, with `completed` absent, both).
 */
export type TaskListFilter = { parentGuid: string } | { assigneeKey: string; completed?: boolean };

/** Port for task records, with the counter behind Feishu's `task_id`. */
export abstract class TaskRepository {
  abstract save(task: TaskRecord): Promise<void>;
  abstract find(guid: string): Promise<TaskRecord | undefined>;
  /** The task a creator made with this `client_token`, if any. */
  abstract findByClientToken(creatorKey: string, clientToken: string): Promise<TaskRecord | undefined>;
  abstract delete(guid: string): Promise<boolean>;
  /** 1, 2, 3, … across the store's life; `clear` starts it over. */
  abstract nextTaskNumber(): Promise<number>;
  /** Every task, oldest first (for the inspector). */
  abstract list(): Promise<TaskRecord[]>;
  /** Up to `limit` tasks the filter admits whose `seq` is above `afterSeq`, by `seq`. */
  abstract listAfter(filter: TaskListFilter, afterSeq: number, limit: number): Promise<TaskRecord[]>;
  /** How many subtasks each of these tasks has (Feishu's `subtask_count`); 0 for none. */
  abstract countSubtasks(parentGuids: readonly string[]): Promise<Map<string, number>>;
  abstract count(): Promise<number>;
  /** Removes every task and starts the counter over. */
  abstract clear(): Promise<void>;
}
