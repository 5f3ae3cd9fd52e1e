import type { TaskRecord } from './task.js';

/** Port for task records, with the counter behind Feishu's `task_id`. */
export abstract class TaskRepository {
  abstract save(task: TaskRecord): Promise<void>;
  abstract find(guid: string): Promise<TaskRecord | undefined>;
  abstract delete(guid: string): Promise<boolean>;
  /** 1, 2, 3, … across the store's life; `clear` starts it over. */
  abstract nextTaskNumber(): Promise<number>;
  /** Every task, oldest first (for the inspector). */
  abstract list(): Promise<TaskRecord[]>;
  abstract count(): Promise<number>;
  /** Removes every task and starts the counter over. */
  abstract clear(): Promise<void>;
}
