import { Injectable } from '@nestjs/common';
import type { TaskRecord } from '../../core/tasks/task.js';
import { TaskRepository } from '../../core/tasks/task.repository.js';

@Injectable()
export class InMemoryTaskRepository extends TaskRepository {
  private readonly tasks = new Map<string, TaskRecord>();
  private taskNumber = 0;

  async save(task: TaskRecord): Promise<void> {
    this.tasks.set(task.guid, { ...task, members: task.members.map((member) => ({ ...member })) });
  }

  async find(guid: string): Promise<TaskRecord | undefined> {
    return this.tasks.get(guid);
  }

  async delete(guid: string): Promise<boolean> {
    return this.tasks.delete(guid);
  }

  async nextTaskNumber(): Promise<number> {
    return ++this.taskNumber;
  }

  async list(): Promise<TaskRecord[]> {
    return [...this.tasks.values()];
  }

  async count(): Promise<number> {
    return this.tasks.size;
  }

  async clear(): Promise<void> {
    this.tasks.clear();
    this.taskNumber = 0;
  }
}
