import type { TaskRecord } from './task.js';

/** Port for task records. */
export abstract class TaskRepository {
  abstract save(task: TaskRecord): void;
  abstract find(guid: string): TaskRecord | undefined;
  abstract delete(guid: string): boolean;
  abstract count(): number;
  abstract clear(): void;
}
