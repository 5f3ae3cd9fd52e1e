import type { TaskMemberRole } from '@feishu-attachments/api-client/wire';
import { principalKey, type Principal } from '../identity/identity.js';

export interface TaskMemberRecord {
  /** `user:<open_id>` or `app:<app_id>`. */
  key: string;
  role: TaskMemberRole;
}

export interface TaskRecord {
  guid: string;
  taskId: string;
  summary: string;
  description: string;
  creatorKey: string;
  members: TaskMemberRecord[];
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
