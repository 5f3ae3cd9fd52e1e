import { counter, type Database } from './sqlite-database.js';
import type { TaskRecord } from '../../core/tasks/task.js';
import { TaskRepository } from '../../core/tasks/task.repository.js';

interface TaskRow {
  guid: string;
  task_id: string;
  summary: string;
  description: string;
  creator_key: string;
  members: string;
  created_at: number;
  updated_at: number;
}

const toTask = (row: TaskRow): TaskRecord => ({
  guid: row.guid,
  taskId: row.task_id,
  summary: row.summary,
  description: row.description,
  creatorKey: row.creator_key,
  members: JSON.parse(row.members),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class SqliteTaskRepository extends TaskRepository {
  private readonly statements;
  private readonly taskNumber;

  constructor(private readonly db: Database) {
    super();
    this.taskNumber = counter(db, 'task_number');
    this.statements = {
      save: db.prepare(
        `INSERT OR REPLACE INTO tasks (guid, task_id, summary, description, creator_key, members, created_at, updated_at)
         VALUES (@guid, @taskId, @summary, @description, @creatorKey, @members, @createdAt, @updatedAt)`,
      ),
      find: db.prepare(`SELECT * FROM tasks WHERE guid = ?`),
      delete: db.prepare(`DELETE FROM tasks WHERE guid = ?`),
      count: db.prepare(`SELECT count(*) AS n FROM tasks`),
      list: db.prepare(`SELECT * FROM tasks ORDER BY created_at, rowid`),
    };
  }

  async save(task: TaskRecord): Promise<void> {
    this.statements.save.run({ ...task, members: JSON.stringify(task.members) });
  }

  async find(guid: string): Promise<TaskRecord | undefined> {
    const row = this.statements.find.get(guid) as TaskRow | undefined;
    return row && toTask(row);
  }

  async list(): Promise<TaskRecord[]> {
    return (this.statements.list.all() as TaskRow[]).map(toTask);
  }

  async delete(guid: string): Promise<boolean> {
    return this.statements.delete.run(guid).changes === 1;
  }

  async nextTaskNumber(): Promise<number> {
    return this.taskNumber.next();
  }

  async count(): Promise<number> {
    return (this.statements.count.get() as { n: number }).n;
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM tasks`);
      this.taskNumber.reset();
    })();
  }
}
