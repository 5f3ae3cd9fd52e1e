import type { TaskRecord } from './task.js';

/** Port for task records. */
export abstract class TaskRepository {
  abstract save(task: TaskRecord): void;
  abstract find(guid: string): TaskRecord | undefined;
  abstract delete(guid: string): boolean;
  /** Every task, oldest first (for the inspector). */
  abstract list(): Promise<TaskRecord[]>;
  abstract count(): number;
  abstract clear(): void;
}
