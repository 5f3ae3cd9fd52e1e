import { isCompleted, type TaskRecord } from '../../core/tasks/task.js';
import { TaskRepository, type TaskListFilter } from '../../core/tasks/task.repository.js';

const admits = (filter: TaskListFilter, task: TaskRecord): boolean =>
  'parentGuid' in filter
    ? task.parentGuid === filter.parentGuid
    : task.members.some((member) => member.key === filter.assigneeKey && member.role === 'assignee') &&
      (filter.completed === undefined || isCompleted(task) === filter.completed);

export class InMemoryTaskRepository extends TaskRepository {
  private readonly tasks = new Map<string, TaskRecord>();
  private taskNumber = 0;

  // A deep copy: the nested values (times, origin, custom fields) are the store's own too.
  async save(task: TaskRecord): Promise<void> {
    this.tasks.set(task.guid, structuredClone(task));
  }

  async find(guid: string): Promise<TaskRecord | undefined> {
    return this.tasks.get(guid);
  }

  async findByClientToken(creatorKey: string, clientToken: string): Promise<TaskRecord | undefined> {
    for (const task of this.tasks.values()) {
      if (task.creatorKey === creatorKey && task.clientToken === clientToken) return task;
    }
    return undefined;
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

  async listAfter(filter: TaskListFilter, afterSeq: number, limit: number): Promise<TaskRecord[]> {
    return [...this.tasks.values()]
      .filter((task) => task.seq > afterSeq && admits(filter, task))
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
  }

  async countSubtasks(parentGuids: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map(parentGuids.map((guid) => [guid, 0]));
    for (const task of this.tasks.values()) {
      const count = task.parentGuid === undefined ? undefined : counts.get(task.parentGuid);
      if (count !== undefined) counts.set(task.parentGuid as string, count + 1);
    }
    return counts;
  }

  async count(): Promise<number> {
    return this.tasks.size;
  }

  async clear(): Promise<void> {
    this.tasks.clear();
    this.taskNumber = 0;
  }
}
