import { Injectable } from '@nestjs/common';
import type { TaskRecord } from './task.js';
import { TaskRepository } from './task.repository.js';

@Injectable()
export class InMemoryTaskRepository extends TaskRepository {
  private readonly tasks = new Map<string, TaskRecord>();

  save(task: TaskRecord): void {
    this.tasks.set(task.guid, task);
  }
  find(guid: string): TaskRecord | undefined {
    return this.tasks.get(guid);
  }
  delete(guid: string): boolean {
    return this.tasks.delete(guid);
  }
  async list(): Promise<TaskRecord[]> {
    return [...this.tasks.values()];
  }
  count(): number {
    return this.tasks.size;
  }
  clear(): void {
    this.tasks.clear();
  }
}
