import type {
  TaskCustomComplete,
  TaskCustomFieldValue,
  TaskInTasklist,
  TaskMemberRole,
  TaskOrigin,
  TaskTime,
} from '@feishu-attachments/api-client/wire';
import { principalKey, type Principal } from '../identity/identity.js';

export interface TaskMemberRecord {
  /** `user:<open_id>` or `app:<app_id>`. */
  key: string;
  role: TaskMemberRole;
}

export interface TaskReminderRecord {
  id: string;
  /** Minutes before the due time (0: at the due time). */
  relativeFireMinute: number;
}

/** A custom field value as a request gives it: the field's guid and one value (task-v2 custom_field). */
export type TaskCustomFieldRecord = Omit<TaskCustomFieldValue, 'type' | 'name'> & { guid: string };

/**
 * The task fields a create sets and a patch changes. Nested values keep Feishu's own shapes (they
 * are stored and echoed, never interpreted); absent means not set.
 */
export interface TaskFields {
  summary: string;
  description: string;
  due?: TaskTime;
  start?: TaskTime;
  /** Milliseconds since the epoch; 0 while the task is not completed. */
  completedAt: number;
  extra?: string;
  repeatRule?: string;
  customComplete?: TaskCustomComplete;
  /** 1: every assignee must complete it; 2: any one of them may. */
  mode?: number;
  isMilestone?: boolean;
  customFields: TaskCustomFieldRecord[];
}

export interface TaskRecord extends TaskFields {
  guid: string;
  taskId: string;
  /** Creation order across the emulator (the `task_id` number); task lists page by it. */
  seq: number;
  creatorKey: string;
  members: TaskMemberRecord[];
  /** Set once at create; changed only through their own calls, which the emulator does not emulate. */
  origin?: TaskOrigin;
  reminders: TaskReminderRecord[];
  tasklists: TaskInTasklist[];
  /** The parent's guid when the task is a subtask. */
  parentGuid?: string;
  /** The create's `client_token`: the same token from the same caller answers this task again. */
  clientToken?: string;
  createdAt: number;
  updatedAt: number;
}

// Feishu: read → creator, assignees, followers; edit → creator, assignees (task-v2/attachment/attachment-feature-overview).
export function canRead(task: TaskRecord, principal: Principal): boolean {
  const key = principalKey(principal);
  return task.creatorKey === key || task.members.some((member) => member.key === key);
}

export function canEdit(task: TaskRecord, principal: Principal): boolean {
  const key = principalKey(principal);
  return (
    task.creatorKey === key || task.members.some((member) => member.key === key && member.role === 'assignee')
  );
}

/** Feishu: `status` follows `completed_at` ("0" is todo). */
export const isCompleted = (task: Pick<TaskFields, 'completedAt'>): boolean => task.completedAt > 0;
