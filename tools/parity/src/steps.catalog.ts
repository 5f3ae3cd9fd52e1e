import type { Observation } from './observation.js';

/** A step of the fixed suite: what it does, which fidelity rows it settles, and how to mimic Feishu. */
export interface StepSpec {
  id: string;
  title: string;
  /** Rows of docs/fidelity.md this step's real answer settles. */
  settles: string[];
  /** The emulator option that would reproduce the real answer, when one exists. */
  hint?: (real: Observation, emulator: Observation) => string | undefined;
}

const refusalStatusHint = (real: Observation, emulator: Observation): string | undefined => {
  if (real.status === emulator.status) return undefined;
  if ([403, 404, 410].includes(real.status)) return `--download-refusal-status ${real.status}`;
  return `no option: the emulator refuses with 403, 404 or 410 (--download-refusal-status); Feishu answered ${real.status || 'nothing'}`;
};

const expiredUserTokenHint = (real: Observation, emulator: Observation): string | undefined => {
  if (real.code === emulator.code) return undefined;
  if (real.code === 99991668 || real.code === 99991677) return `--expired-user-token-code ${real.code}`;
  return undefined;
};

/** Every step, in the order the suite runs them. */
export const STEPS: readonly StepSpec[] = [
  { id: 'tenant-token', title: 'tenant_access_token/internal', settles: ['Tenant token issue', 'Log id'] },
  { id: 'task-create', title: 'create a task (tenant token)', settles: ['Create'] },
  {
    id: 'upload-one',
    title: 'upload 1 file',
    settles: ['Response', 'Uploader', '`is_cover`', 'File name', 'Success headers'],
  },
  {
    id: 'upload-five',
    title: 'upload 5 files in one request (one UTF-8 name)',
    settles: ['Order and timestamps', 'File name'],
  },
  { id: 'upload-sixth', title: 'upload 6 files in one request', settles: ['Parameter errors'] },
  {
    id: 'upload-empty-resource-id',
    title: 'upload with an empty resource_id',
    settles: ['Parameter errors'],
  },
  {
    id: 'upload-unknown-task',
    title: 'upload to a well-formed task guid that names no task',
    settles: ['Missing task / no edit permission', 'Malformed task guid'],
  },
  {
    id: 'list-first-page',
    title: 'list, page_size 1: first page',
    settles: ['Page tokens', 'Fresh URL per item'],
  },
  { id: 'list-last-page', title: 'list, page_size 1: last page', settles: ['Last page'] },
  { id: 'list-order', title: 'list, page_size 1: order across pages', settles: ['Sort'] },
  {
    id: 'list-updated-mesc',
    title: 'list with updated_mesc one day ahead',
    settles: ['List parameters'],
  },
  {
    id: 'list-malformed-resource-id',
    title: 'list with a resource_id that is not a guid',
    settles: ['Malformed task guid'],
  },
  { id: 'list-bad-user-id-type', title: 'list with user_id_type=email', settles: ['Values'] },
  { id: 'get', title: 'get the first attachment', settles: ['Get', 'Shape and auth'] },
  { id: 'download-1', title: 'download 1 of 3', settles: ['Download answer', 'Shape and auth'] },
  { id: 'download-2', title: 'download 2 of 3', settles: ['Validity'] },
  { id: 'download-3', title: 'download 3 of 3', settles: ['Validity'] },
  { id: 'download-4', title: 'download a fourth time', settles: ['Refusal'], hint: refusalStatusHint },
  {
    id: 'download-after-3-minutes',
    title: 'download a fresh URL after 3 minutes (--slow)',
    settles: ['Validity', 'Refusal'],
    hint: refusalStatusHint,
  },
  {
    id: 'upload-without-filename',
    title: "upload a file part with no filename (oapi-sdk-python's sample shape)",
    settles: ['Part without filename', 'Official SDK request shapes'],
  },
  { id: 'delete', title: 'delete the first attachment', settles: ['Delete', 'Success envelope'] },
  { id: 'delete-again', title: 'delete it again', settles: ['Delete'] },
  { id: 'get-after-delete', title: 'get it after the delete', settles: ['Get'] },
  {
    id: 'forged-tenant-token',
    title: 'list with a forged tenant token',
    settles: ['Unknown or expired tenant token', 'Token classification'],
  },
  { id: 'forged-user-token', title: 'list with a forged user token (u-…)', settles: ['Unknown user token'] },
  {
    id: 'task-create-full',
    title: 'create a task with every modelled field but tasklists and custom fields',
    settles: ['Create', 'Fields left out', 'Create validation'],
  },
  {
    id: 'task-create-same-token',
    title: 'create again with the same client_token',
    settles: ['Idempotency'],
  },
  { id: 'task-patch', title: 'patch: a new summary, the description cleared', settles: ['Patch'] },
  {
    id: 'task-patch-start-after-due',
    title: 'patch a start after the due time',
    settles: ['Start and due'],
  },
  { id: 'task-patch-members', title: 'patch naming members in update_fields', settles: ['Not patchable'] },
  { id: 'task-complete', title: 'patch completed_at: complete the task', settles: ['Complete and reopen'] },
  {
    id: 'task-complete-again',
    title: 'patch completed_at again on the completed task',
    settles: ['Complete and reopen'],
  },
  { id: 'task-reopen', title: 'patch completed_at "0": reopen it', settles: ['Complete and reopen'] },
  { id: 'subtask-create', title: 'create a subtask of the task', settles: ['Subtask create'] },
  { id: 'subtask-list', title: 'list the subtasks of the task', settles: ['Subtask list'] },
  {
    id: 'subtask-after-parent-delete',
    title: 'get a subtask after its parent was deleted',
    settles: ['Parent delete'],
  },
  {
    id: 'task-list-tenant-token',
    title: 'list tasks with a tenant token',
    settles: ['List with a tenant token'],
  },
  {
    id: 'task-patch-same-value',
    title: 'patch the summary with the value it has: does updated_at move?',
    settles: ['`updated_at`'],
  },
  {
    id: 'task-patch-new-value',
    title: 'patch a new description: does updated_at move?',
    settles: ['`updated_at`'],
  },
  { id: 'task-patch-clear-summary', title: 'patch naming summary without a value', settles: ['Patch'] },
  {
    id: 'subtask-create-second',
    title: "create a second subtask: does the parent's updated_at move?",
    settles: ['`updated_at`', 'Subtask create'],
  },
  { id: 'subtask-list-order', title: 'list the two subtasks: their order', settles: ['Subtask list'] },
  {
    id: 'task-create-in-tasklist',
    title: 'create a task in the tasklist given with --tasklist-guid',
    settles: ['Tasklists and custom fields'],
  },
  {
    id: 'task-create-unknown-tasklist',
    title: 'create a task in a tasklist guid that names nothing',
    settles: ['Tasklists and custom fields'],
  },
  {
    id: 'task-create-unknown-custom-field',
    title: 'create a task with a custom field guid that names nothing',
    settles: ['Tasklists and custom fields'],
  },
  {
    id: 'task-delete-with-attachment',
    title: 'delete a task that has an attachment',
    settles: ['Delete', 'Delete cascade'],
  },
  { id: 'task-delete-again', title: 'delete that task again', settles: ['Delete'] },
  {
    id: 'attachment-list-after-task-delete',
    title: "list the deleted task's attachments",
    settles: ['Delete cascade'],
  },
  {
    id: 'attachment-get-after-task-delete',
    title: "get the deleted task's attachment",
    settles: ['Delete cascade'],
  },
  {
    id: 'download-after-task-delete',
    title: "download a URL of the attachment issued before its task's delete",
    settles: ['Delete cascade', 'Refusal'],
    hint: refusalStatusHint,
  },
  {
    id: 'attachment-delete-after-task-delete',
    title: "delete the deleted task's attachment",
    settles: ['Delete cascade'],
  },
  {
    id: 'read-app-add-follower',
    title: 'the app adds a second app, holding only task:task:read, as a follower (--read-app-id)',
    settles: ['Add members'],
  },
  { id: 'read-app-task-get', title: 'the read-only app gets the task', settles: ['Scopes per API'] },
  {
    id: 'read-app-subtask-list',
    title: 'the read-only app lists the subtasks',
    settles: ['Scopes per API'],
  },
  {
    id: 'read-app-patch',
    title: 'the read-only app patches the task',
    settles: ['Scopes per API', 'App lacks scope (tenant token)'],
  },
  {
    id: 'read-app-add-members',
    title: 'the read-only app adds itself as an assignee',
    settles: ['Scopes per API', 'App lacks scope (tenant token)'],
  },
  {
    id: 'read-app-remove-members',
    title: 'the read-only app removes itself as a follower',
    settles: ['Scopes per API', 'App lacks scope (tenant token)'],
  },
  {
    id: 'read-app-subtask-create',
    title: 'the read-only app creates a subtask',
    settles: ['Scopes per API', 'App lacks scope (tenant token)'],
  },
  {
    id: 'fine-app-add-assignee',
    title:
      'the app makes a task and adds an app holding only task:attachment:upload and task:attachment:delete as an assignee (--fine-app-id)',
    settles: ['Add members'],
  },
  {
    id: 'fine-app-upload',
    title: 'the fine-grained-scope app uploads 1 file',
    settles: ['Scopes per API', 'App lacks scope (tenant token)'],
  },
  {
    id: 'fine-app-list',
    title: "the fine-grained-scope app lists the task's attachments",
    settles: ['Scopes per API', 'App lacks scope (tenant token)'],
  },
  {
    id: 'fine-app-delete',
    title:
      'the fine-grained-scope app deletes its attachment (or, its upload refused, one the app put there)',
    settles: ['Scopes per API', 'App lacks scope (tenant token)'],
  },
  { id: 'user-task-create', title: 'create a task (user token)', settles: ['Create'] },
  { id: 'user-upload', title: 'upload 1 file (user token)', settles: ['Uploader'] },
  { id: 'user-list', title: 'list (user token)', settles: ['Uploader'] },
  { id: 'user-add-follower', title: 'the app adds the user as a follower', settles: ['Add members'] },
  {
    id: 'user-follower-list',
    title: 'the follower lists the attachments',
    settles: ['Who holds read / edit', 'Membership takes effect'],
  },
  {
    id: 'user-follower-upload',
    title: 'the follower uploads a file',
    settles: ['Who holds read / edit'],
  },
  {
    id: 'user-follower-get-subtask',
    title: "the parent's follower gets the subtask",
    settles: ['Subtask permissions'],
  },
  { id: 'user-remove-follower', title: 'the app removes the follower', settles: ['Remove members'] },
  {
    id: 'user-removed-follower-list',
    title: 'the removed follower lists the attachments',
    settles: ['Membership takes effect'],
  },
  { id: 'user-add-assignee', title: 'the app adds the user as an assignee', settles: ['Add members'] },
  { id: 'user-task-list', title: "the user's task list (user token)", settles: ['List'] },
  {
    id: 'user-add-follower-updated-at',
    title: 'the app adds the user as a follower again: does updated_at move?',
    settles: ['`updated_at`', 'Add members'],
  },
  {
    id: 'user-add-follower-again',
    title: 'the app adds the same follower once more: does updated_at move?',
    settles: ['`updated_at`', 'Add members'],
  },
  {
    id: 'user-remove-follower-updated-at',
    title: 'the app removes the follower: does updated_at move?',
    settles: ['`updated_at`', 'Remove members'],
  },
  {
    id: 'user-task-list-order',
    title: "the user's task list: the order of two tasks assigned one after the other",
    settles: ['List'],
  },
  {
    id: 'expired-user-token',
    title: 'list with an expired user token',
    settles: ['Expired user token'],
    hint: expiredUserTokenHint,
  },
];

export const stepSpec = (id: string): StepSpec => {
  const spec = STEPS.find((step) => step.id === id);
  if (!spec) throw new Error(`unknown parity step ${id}`);
  return spec;
};
