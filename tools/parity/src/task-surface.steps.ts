import { randomBytes } from 'node:crypto';
import { json } from './answer-body.js';
import type { CallOptions } from './http-side.js';
import { observe, type Exchange, type Observation } from './observation.js';

/** What the suite lends the task-surface steps: its calls, its step recorder and its clean-up lists. */
export interface SuiteContext {
  call(method: string, path: string, options?: CallOptions): Promise<Exchange>;
  step(id: string, run: () => Promise<Observation>): Promise<void>;
  need<T>(value: T | undefined, what: string): T;
  /** Remembers the attachments an upload answered, for the clean-up. */
  remember(exchange: Exchange, token: string): void;
  /** Remembers a task for the clean-up; subtasks go `first`, before the parents whose delete may take them. */
  keepTask(guid: string, token: string, options?: { first?: boolean }): void;
  /** A task or attachment a step deleted itself: the clean-up leaves it. */
  forget(kind: 'task' | 'attachment', guid: string): void;
  /** A value no output may show (a download URL, another app's token). */
  secret(value: string): void;
  /** Lets time pass: a real wait against Feishu, the emulator's clock moved on the emulator. */
  wait(ms: number): Promise<void>;
}

export interface TaskSurfaceState {
  /** The run's task (tenant token), with its attachments. */
  taskGuid?: string;
  fullTaskGuid?: string;
  subtaskGuid?: string;
  /** The user token's own open_id, read off the task that user created. */
  userOpenId?: string;
}

const TASKS = '/open-apis/task/v2/tasks';
const ATTACHMENTS = '/open-apis/task/v2/attachments';
// Fixed times, the same on both sides, so the answers' values compare.
const DUE = '1767225600000';
const START = '1767139200000';
const COMPLETED = '1767200000000';

/** The steps of the user-token slice below: skipped, with the others, without a user token. */
export const USER_TASK_SURFACE_STEPS = [
  'user-add-follower',
  'user-follower-list',
  'user-follower-upload',
  'user-follower-get-subtask',
  'user-remove-follower',
  'user-removed-follower-list',
  'user-add-assignee',
  'user-task-list',
] as const;

/**
 * The task surface beyond create/get/delete, with a tenant token: every field create models, the
 * client_token, patch and its refusals, subtasks and a parent's delete, the list's token rule.
 * Fields that name tenant objects the suite cannot know (tasklists, custom fields) are left out.
 */
export async function taskSurfaceSteps(
  ctx: SuiteContext,
  tenantToken: string | undefined,
  state: TaskSurfaceState,
): Promise<void> {
  const token = () => ctx.need(tenantToken, 'a tenant token');
  const clientToken = `parity-${randomBytes(8).toString('hex')}`;
  const full = {
    summary: `feishu-attachments parity run (every field) ${new Date().toISOString()}`,
    description: 'parity',
    due: { timestamp: DUE, is_all_day: false },
    start: { timestamp: START, is_all_day: false },
    reminders: [{ relative_fire_minute: 30 }],
    extra: '{"parity":true}',
    repeat_rule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO',
    mode: 2,
    is_milestone: false,
    origin: {
      platform_i18n_name: { en_us: 'feishu-attachments parity' },
      href: { url: 'https://example.com/parity' },
    },
    custom_complete: { pc: { href: 'https://example.com/parity/done' } },
    client_token: clientToken,
  };
  const patchFull = (body: unknown) =>
    ctx.call('PATCH', `${TASKS}/${ctx.need(state.fullTaskGuid, 'the full task')}`, {
      token: token(),
      json: body,
    });

  await ctx.step('task-create-full', async () => {
    const exchange = await ctx.call('POST', TASKS, { token: token(), json: full });
    state.fullTaskGuid = json(exchange)?.data?.task?.guid;
    if (state.fullTaskGuid) ctx.keepTask(state.fullTaskGuid, token());
    return observe(exchange);
  });
  await ctx.step('task-create-same-token', async () => {
    const exchange = await ctx.call('POST', TASKS, { token: token(), json: { ...full, summary: 'a retry' } });
    const guid = json(exchange)?.data?.task?.guid;
    if (guid && guid !== state.fullTaskGuid) ctx.keepTask(guid, token());
    const observation = observe(exchange);
    observation.values['the first create’s task'] = guid !== undefined && guid === state.fullTaskGuid;
    return observation;
  });
  await ctx.step('task-patch', async () =>
    observe(
      await patchFull({ task: { summary: 'parity: patched' }, update_fields: ['summary', 'description'] }),
    ),
  );
  await ctx.step('task-patch-start-after-due', async () =>
    observe(
      await patchFull({ task: { start: { timestamp: String(Number(DUE) + 1) } }, update_fields: ['start'] }),
    ),
  );
  await ctx.step('task-patch-members', async () =>
    observe(await patchFull({ task: { summary: 'no' }, update_fields: ['members'] })),
  );
  await ctx.step('task-complete', async () =>
    observe(await patchFull({ task: { completed_at: COMPLETED }, update_fields: ['completed_at'] })),
  );
  await ctx.step('task-complete-again', async () =>
    observe(
      await patchFull({
        task: { completed_at: String(Number(COMPLETED) + 1) },
        update_fields: ['completed_at'],
      }),
    ),
  );
  await ctx.step('task-reopen', async () =>
    observe(await patchFull({ task: { completed_at: '0' }, update_fields: ['completed_at'] })),
  );

  await ctx.step('subtask-create', async () => {
    const parent = ctx.need(state.taskGuid, 'the task');
    const exchange = await ctx.call('POST', `${TASKS}/${parent}/subtasks`, {
      token: token(),
      json: { summary: 'parity: a subtask' },
    });
    state.subtaskGuid = json(exchange)?.data?.subtask?.guid;
    if (state.subtaskGuid) ctx.keepTask(state.subtaskGuid, token(), { first: true });
    return observe(exchange);
  });
  await ctx.step('subtask-list', async () =>
    observe(
      await ctx.call('GET', `${TASKS}/${ctx.need(state.taskGuid, 'the task')}/subtasks`, { token: token() }),
    ),
  );
  // Whether a parent's delete takes its subtasks: the answer for the child once the parent is gone.
  await ctx.step('subtask-after-parent-delete', async () => {
    const parent = json(
      await ctx.call('POST', TASKS, { token: token(), json: { summary: 'parity: a parent to delete' } }),
    )?.data?.task?.guid;
    const child = json(
      await ctx.call('POST', `${TASKS}/${ctx.need(parent, 'the parent')}/subtasks`, {
        token: token(),
        json: { summary: 'parity: its subtask' },
      }),
    )?.data?.subtask?.guid;
    ctx.keepTask(ctx.need(child, 'the subtask'), token(), { first: true });
    await ctx.call('DELETE', `${TASKS}/${parent}`, { token: token() });
    return observe(await ctx.call('GET', `${TASKS}/${child}`, { token: token() }));
  });
  await ctx.step('task-list-tenant-token', async () =>
    observe(await ctx.call('GET', TASKS, { token: token() })),
  );
}

/**
 * With the user token: what membership grants, given and taken by the app (the user's id comes
 * from the task the user created), and the user's own task list.
 */
export async function userTaskSurfaceSteps(
  ctx: SuiteContext,
  tenantToken: string | undefined,
  userToken: string,
  state: TaskSurfaceState,
): Promise<void> {
  const token = () => ctx.need(tenantToken, 'a tenant token');
  const user = () => ctx.need(state.userOpenId, "the user's open_id");
  const task = () => ctx.need(state.taskGuid, 'the task');
  const follower = () => ({ members: [{ id: user(), type: 'user', role: 'follower' }] });
  const listAsUser = async () =>
    observe(await ctx.call('GET', ATTACHMENTS, { token: userToken, query: { resource_id: task() } }));

  await ctx.step('user-add-follower', async () =>
    observe(await ctx.call('POST', `${TASKS}/${task()}/add_members`, { token: token(), json: follower() })),
  );
  await ctx.step('user-follower-list', listAsUser);
  await ctx.step('user-follower-upload', async () => {
    const form = new FormData();
    form.append('resource_id', task());
    form.append('file', new Blob(['parity follower file\n'], { type: 'text/plain' }), 'parity-follower.txt');
    const exchange = await ctx.call('POST', `${ATTACHMENTS}/upload`, { token: userToken, form });
    ctx.remember(exchange, userToken);
    return observe(exchange);
  });
  await ctx.step('user-follower-get-subtask', async () =>
    observe(
      await ctx.call('GET', `${TASKS}/${ctx.need(state.subtaskGuid, 'the subtask')}`, { token: userToken }),
    ),
  );
  await ctx.step('user-remove-follower', async () =>
    observe(
      await ctx.call('POST', `${TASKS}/${task()}/remove_members`, { token: token(), json: follower() }),
    ),
  );
  await ctx.step('user-removed-follower-list', listAsUser);
  await ctx.step('user-add-assignee', async () =>
    observe(
      await ctx.call('POST', `${TASKS}/${ctx.need(state.fullTaskGuid, 'the full task')}/add_members`, {
        token: token(),
        json: { members: [{ id: user(), type: 'user', role: 'assignee' }] },
      }),
    ),
  );
  // A real user has tasks of their own: only the answer's shape compares, not how many there are.
  await ctx.step('user-task-list', async () => ({
    ...observe(await ctx.call('GET', TASKS, { token: userToken, query: { page_size: 1 } })),
    values: {},
  }));
}
