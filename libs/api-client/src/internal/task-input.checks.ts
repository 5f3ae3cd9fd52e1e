import { PATCHABLE_TASK_FIELDS, type PatchTaskBody, type TaskMemberInput } from '../wire/index.js';
import { FeishuValidationError } from '../core/errors.js';

const PATCHABLE: ReadonlySet<string> = new Set(PATCHABLE_TASK_FIELDS);

/**
 * A patch must name what it changes: `update_fields` is what Feishu applies (a field named there
 * but absent from `task` is cleared), so an empty or unknown name is refused before anything is
 * sent. Members, reminders and tasklists have calls of their own and are not patchable.
 */
export function checkPatch(body: PatchTaskBody): PatchTaskBody {
  const fields: unknown = body?.update_fields;
  if (!Array.isArray(fields) || fields.length === 0) {
    throw new FeishuValidationError(
      `update_fields must name at least one of ${PATCHABLE_TASK_FIELDS.join(', ')}.`,
    );
  }
  const unknown = fields.filter((field) => typeof field !== 'string' || !PATCHABLE.has(field));
  if (unknown.length > 0) {
    throw new FeishuValidationError(
      `update_fields may name only ${PATCHABLE_TASK_FIELDS.join(', ')}; got ${JSON.stringify(unknown)}` +
        ' (members have addMembers/removeMembers).',
    );
  }
  return body;
}

/** add_members and remove_members need at least one member: an empty list would change nothing. */
export function checkMembers(members: readonly TaskMemberInput[] | undefined): void {
  if (!Array.isArray(members) || members.length === 0) {
    throw new FeishuValidationError('members must list at least one member.');
  }
}

/**
 * Whether a patch completes the task. Feishu refuses to complete a task that is already complete,
 * so a completion whose answer was lost cannot be sent again: if it did land, the retry would
 * fail a call that succeeded. Every other patch sets fields to given values and may run twice.
 */
export function completesTask(body: PatchTaskBody): boolean {
  return body.update_fields.includes('completed_at') && (body.task?.completed_at ?? '0') !== '0';
}
