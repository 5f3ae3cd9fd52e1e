import {
  MAX_TASK_SUMMARY_LENGTH,
  TASK_MEMBER_ROLES,
  type TaskMemberRole,
  type UserIdType,
} from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import type { CreateTaskCommand, MemberRef } from '../../core/tasks/task.commands.js';

const MAX_DESCRIPTION_LENGTH = 3000;

/** `POST /open-apis/task/v2/tasks`'s body as a command; only the fields attachments need. */
export function parseCreateTask(body: unknown, userIdType: UserIdType): CreateTaskCommand {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw FeishuErrors.invalidRequest('The request body must be a JSON object.');
  }
  const { summary, description, members } = body as Record<string, unknown>;
  if (typeof summary !== 'string' || summary.trim() === '') {
    throw FeishuErrors.invalidParam('summary', 'must not be empty');
  }
  if ([...summary].length > MAX_TASK_SUMMARY_LENGTH) {
    throw FeishuErrors.invalidParam('summary', `must be at most ${MAX_TASK_SUMMARY_LENGTH} characters`);
  }
  if (description !== undefined && typeof description !== 'string') {
    throw FeishuErrors.invalidParam('description', 'must be a string');
  }
  if (typeof description === 'string' && [...description].length > MAX_DESCRIPTION_LENGTH) {
    throw FeishuErrors.invalidParam('description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  return { summary, description: description ?? '', members: parseMembers(members), userIdType };
}

function parseMembers(value: unknown): MemberRef[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw FeishuErrors.invalidParam('members', 'must be an array');
  return value.map((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null)
      throw FeishuErrors.invalidParam('members', 'each member must be an object');
    const { id, type = 'user', role } = raw as Record<string, unknown>;
    if (typeof id !== 'string' || id === '')
      throw FeishuErrors.invalidParam('members.id', 'must not be empty');
    if (!(TASK_MEMBER_ROLES as readonly unknown[]).includes(role)) {
      throw FeishuErrors.invalidParam('members.role', `must be one of ${TASK_MEMBER_ROLES.join(', ')}`);
    }
    if (type !== 'user' && type !== 'app')
      throw FeishuErrors.invalidParam('members.type', 'must be user or app');
    return { type, id, role: role as TaskMemberRole };
  });
}
