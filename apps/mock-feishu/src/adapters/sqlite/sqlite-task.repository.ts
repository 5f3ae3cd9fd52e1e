import { counter, type Database } from './sqlite-database.js';
import type { TaskRecord } from '../../core/tasks/task.js';
import { TaskRepository, type TaskListFilter } from '../../core/tasks/task.repository.js';

interface TaskRow {
  guid: string;
  task_id: string;
  summary: string;
  description: string;
  creator_key: string;
  members: string;
  created_at: number;
  updated_at: number;
  seq: number;
  completed_at: number;
  parent_guid: string | null;
  client_token: string | null;
  fields: string;
}

/**
 * The fields no query looks into, kept as one JSON object: nested values in Feishu's shapes, stored
 * and given back whole. Unset ones are left out (JSON has no `undefined`), so they read as absent.
 */
type StoredFields = Pick<
  TaskRecord,
  | 'due'
  | 'start'
  | 'extra'
  | 'repeatRule'
  | 'customComplete'
  | 'mode'
  | 'isMilestone'
  | 'origin'
  | 'reminders'
  | 'tasklists'
  | 'customFields'
>;

const storedFields = (task: TaskRecord): StoredFields => ({
  due: task.due,
  start: task.start,
  extra: task.extra,
  repeatRule: task.repeatRule,
  customComplete: task.customComplete,
  mode: task.mode,
  isMilestone: task.isMilestone,
  origin: task.origin,
  reminders: task.reminders,
  tasklists: task.tasklists,
  customFields: task.customFields,
});

function toTask(row: TaskRow): TaskRecord {
  // A row written before these fields existed (schema 1, migrated) has `{}`: no reminders and so on.
  const fields = JSON.parse(row.fields) as Partial<StoredFields>;
  const task: TaskRecord = {
    guid: row.guid,
    taskId: row.task_id,
    seq: row.seq,
    summary: row.summary,
    description: row.description,
    completedAt: row.completed_at,
    creatorKey: row.creator_key,
    members: JSON.parse(row.members),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...fields,
    reminders: fields.reminders ?? [],
    tasklists: fields.tasklists ?? [],
    customFields: fields.customFields ?? [],
  };
  if (row.parent_guid !== null) task.parentGuid = row.parent_guid;
  if (row.client_token !== null) task.clientToken = row.client_token;
  return task;
}

export class SqliteTaskRepository extends TaskRepository {
  private readonly statements;
  private readonly taskNumber;

  constructor(private readonly db: Database) {
    super();
    this.taskNumber = counter(db, 'task_number');
    // Whether a task has the member as an assignee: members are a JSON array of {key, role}.
    const assigned = `EXISTS (SELECT 1 FROM json_each(tasks.members) AS m
      WHERE json_extract(m.value, '$.key') = @key AND json_extract(m.value, '$.role') = 'assignee')`;
    this.statements = {
      save: db.prepare(
        `INSERT OR REPLACE INTO tasks (guid, task_id, summary, description, creator_key, members, created_at,
           updated_at, seq, completed_at, parent_guid, client_token, fields)
         VALUES (@guid, @taskId, @summary, @description, @creatorKey, @members, @createdAt,
           @updatedAt, @seq, @completedAt, @parentGuid, @clientToken, @fields)`,
      ),
      find: db.prepare(`SELECT * FROM tasks WHERE guid = ?`),
      findByClientToken: db.prepare(
        `SELECT * FROM tasks WHERE creator_key = ? AND client_token = ? ORDER BY seq LIMIT 1`,
      ),
      delete: db.prepare(`DELETE FROM tasks WHERE guid = ?`),
      count: db.prepare(`SELECT count(*) AS n FROM tasks`),
      list: db.prepare(`SELECT * FROM tasks ORDER BY created_at, rowid`),
      subtasksAfter: db.prepare(
        `SELECT * FROM tasks WHERE parent_guid = @parentGuid AND seq > @afterSeq ORDER BY seq LIMIT @limit`,
      ),
      assignedAfter: db.prepare(
        `SELECT * FROM tasks WHERE seq > @afterSeq AND ${assigned}
           AND (@completed IS NULL OR (completed_at > 0) = @completed)
         ORDER BY seq LIMIT @limit`,
      ),
      countSubtasks: db.prepare(`SELECT count(*) AS n FROM tasks WHERE parent_guid = ?`),
    };
  }

  async save(task: TaskRecord): Promise<void> {
    this.statements.save.run({
      guid: task.guid,
      taskId: task.taskId,
      summary: task.summary,
      description: task.description,
      creatorKey: task.creatorKey,
      members: JSON.stringify(task.members),
      createdAt: task.createdAt,
      updatedAt: task.updatedAt,
      seq: task.seq,
      completedAt: task.completedAt,
      parentGuid: task.parentGuid ?? null,
      clientToken: task.clientToken ?? null,
      fields: JSON.stringify(storedFields(task)),
    });
  }

  async find(guid: string): Promise<TaskRecord | undefined> {
    const row = this.statements.find.get(guid) as TaskRow | undefined;
    return row && toTask(row);
  }

  async findByClientToken(creatorKey: string, clientToken: string): Promise<TaskRecord | undefined> {
    const row = this.statements.findByClientToken.get(creatorKey, clientToken) as TaskRow | undefined;
    return row && toTask(row);
  }

  async list(): Promise<TaskRecord[]> {
    return (this.statements.list.all() as TaskRow[]).map(toTask);
  }

  async listAfter(filter: TaskListFilter, afterSeq: number, limit: number): Promise<TaskRecord[]> {
    const rows =
      'parentGuid' in filter
        ? this.statements.subtasksAfter.all({ parentGuid: filter.parentGuid, afterSeq, limit })
        : this.statements.assignedAfter.all({
            key: filter.assigneeKey,
            afterSeq,
            limit,
            completed: filter.completed === undefined ? null : Number(filter.completed),
          });
    return (rows as TaskRow[]).map(toTask);
  }

  async countSubtasks(parentGuids: readonly string[]): Promise<Map<string, number>> {
    return new Map(
      parentGuids.map((guid) => [guid, (this.statements.countSubtasks.get(guid) as { n: number }).n]),
    );
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
