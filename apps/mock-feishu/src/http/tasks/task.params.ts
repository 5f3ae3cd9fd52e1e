import {
  PATCHABLE_TASK_FIELDS,
  type PatchableTaskField,
  type UserIdType,
} from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import type { TaskFields } from '../../core/tasks/task.js';
import type {
  CreateTaskCommand,
  PatchTaskCommand,
  TaskMembersCommand,
} from '../../core/tasks/task.commands.js';
import {
  defined,
  parseClientToken,
  parseCompletedAt,
  parseCustomComplete,
  parseCustomFields,
  parseDescription,
  parseExtra,
  parseIsMilestone,
  parseMembers,
  parseMode,
  parseOrigin,
  parseReminders,
  parseRepeatRule,
  parseSummary,
  parseTasklists,
  parseTime,
} from './task-fields.params.js';

// The task routes' request bodies as commands. Fields Feishu has but the emulator does not model
// (`docx_source`, `positive_reminders`, …) are ignored, as unknown fields are.

/** Feishu: members, reminders and tasklists have their own calls; patch refuses them (task-v2/task/patch). */
const NOT_PATCHABLE: Record<string, string> = {
  members: 'add_members and remove_members',
  reminders: 'add_reminders and remove_reminders',
  tasklists: 'add_tasklist and remove_tasklist',
};

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw FeishuErrors.invalidRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** The value of each patchable field, parsed as create parses it; `undefined` when not given. */
const FIELD_PARSERS: { [F in PatchableTaskField]: (value: unknown) => Partial<TaskFields> } = {
  summary: (value) => ({ summary: parseSummary(value) }),
  description: (value) => ({ description: parseDescription(value) }),
  due: (value) => ({ due: parseTime('due', value) }),
  start: (value) => ({ start: parseTime('start', value) }),
  completed_at: (value) => ({ completedAt: parseCompletedAt(value) }),
  extra: (value) => ({ extra: parseExtra(value) }),
  repeat_rule: (value) => ({ repeatRule: parseRepeatRule(value) }),
  custom_complete: (value) => ({ customComplete: parseCustomComplete(value) }),
  mode: (value) => ({ mode: parseMode(value) }),
  is_milestone: (value) => ({ isMilestone: parseIsMilestone(value) }),
  custom_fields: (value) => ({ customFields: parseCustomFields(value) }),
};

/** `POST /open-apis/task/v2/tasks` (and a subtask's create): `summary` required, every modelled field checked. */
export function parseCreateTask(body: unknown, userIdType: UserIdType): CreateTaskCommand {
  const input = bodyObject(body);
  return {
    summary: parseSummary(input.summary),
    description: parseDescription(input.description) ?? '',
    completedAt: parseCompletedAt(input.completed_at) ?? 0,
    members: parseMembers(input.members),
    reminders: parseReminders(input.reminders),
    tasklists: parseTasklists(input.tasklists),
    customFields: parseCustomFields(input.custom_fields),
    userIdType,
    ...defined({
      due: parseTime('due', input.due),
      start: parseTime('start', input.start),
      extra: parseExtra(input.extra),
      repeatRule: parseRepeatRule(input.repeat_rule),
      customComplete: parseCustomComplete(input.custom_complete),
      origin: parseOrigin(input.origin),
      mode: parseMode(input.mode),
      isMilestone: parseIsMilestone(input.is_milestone),
      clientToken: parseClientToken(input.client_token),
    }),
  };
}

/**
 * `PATCH /open-apis/task/v2/tasks/:task_guid`: `update_fields` names each field to change, whose
 * new value is in `task`; a field named there but absent from `task` is cleared.
 */
export function parsePatchTask(body: unknown): PatchTaskCommand {
  const input = bodyObject(body);
  if (!Array.isArray(input.update_fields) || input.update_fields.length === 0) {
    throw FeishuErrors.invalidParam('update_fields', 'must name at least one field to update');
  }
  const task = input.task === undefined || input.task === null ? {} : input.task;
  if (typeof task !== 'object' || Array.isArray(task))
    throw FeishuErrors.invalidParam('task', 'must be an object');
  const fields: PatchableTaskField[] = [];
  for (const name of input.update_fields) {
    if (typeof name === 'string' && name in NOT_PATCHABLE) {
      throw FeishuErrors.invalidParam(
        'update_fields',
        `${name} cannot be updated here; use ${NOT_PATCHABLE[name]}`,
      );
    }
    if (!(PATCHABLE_TASK_FIELDS as readonly unknown[]).includes(name)) {
      throw FeishuErrors.invalidParam('update_fields', `${String(name)} is not a field that can be updated`);
    }
    if (!fields.includes(name as PatchableTaskField)) fields.push(name as PatchableTaskField);
  }
  const given = task as Record<string, unknown>;
  const values: Partial<TaskFields> = {};
  for (const field of fields) {
    if (given[field] !== undefined && given[field] !== null)
      Object.assign(values, FIELD_PARSERS[field](given[field]));
  }
  return { fields, values };
}

/** `POST …/add_members` and `…/remove_members`: at least one member; add_members' `client_token` is checked. */
export function parseTaskMembers(body: unknown, userIdType: UserIdType): TaskMembersCommand {
  const input = bodyObject(body);
  const members = parseMembers(input.members);
  if (members.length === 0) throw FeishuErrors.invalidParam('members', 'must name at least one member');
  // Adding a member twice changes nothing, so the token's idempotency needs no record of it.
  parseClientToken(input.client_token);
  return { members, userIdType };
}
