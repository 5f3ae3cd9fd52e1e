import type { Attachment } from './attachment.js';
import type { Member, TaskMemberRole } from './member.js';

/** The subset of a Task v2 task that the attachments surface needs. */
export interface Task {
  guid: string;
  task_id: string;
  summary: string;
  description: string;
  creator: Member;
  members: Member[];
  attachments: Omit<Attachment, 'url'>[];
  status: 'todo' | 'done';
  completed_at: string;
  created_at: string;
  updated_at: string;
  url: string;
}

export interface CreateTaskBody {
  summary: string;
  description?: string;
  members?: { id: string; type?: 'user' | 'app'; role: TaskMemberRole; name?: string }[];
}

export interface TaskData {
  task: Task;
}
