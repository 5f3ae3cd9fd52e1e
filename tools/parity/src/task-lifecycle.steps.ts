import { randomUUID } from 'node:crypto';
import { json } from './answer-body.js';
import { observe, timeRelation, type Exchange, type Observation } from './observation.js';
import type { SuiteContext, TaskSurfaceState } from './task-surface.steps.js';

const TASKS = '/open-apis/task/v2/tasks';
const ATTACHMENTS = '/open-apis/task/v2/attachments';
/** Past a whole second, so a time Feishu keeps in seconds would still move. */
const TICK_MS = 1_100;

const updatedAt = (exchange: Exchange): unknown => {
  const body = json(exchange)?.data;
  return (body?.task ?? body?.subtask)?.updated_at;
};

/** The steps of the user-token slice below: skipped, with the others, without a user token. */
export const USER_TASK_LIFECYCLE_STEPS = [
  'user-add-follower-updated-at',
  'user-add-follower-again',
  'user-remove-follower-updated-at',
  'user-task-list-order',
] as const;

/** A list's items as labels, in the order the pages gave them: only the items the run made. */
function labelled(items: unknown, labels: Map<string, string>): string[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const label = labels.get((item as { guid?: string })?.guid ?? '');
    return label === undefined ? [] : [label];
  });
}

/** An order observation: the answer's status and code, and the order; shapes and values are another step's. */
function orderObservation(first: Observation, order: string[]): Observation {
  return { ...first, shape: [], headers: {}, values: {}, order, message: undefined };
}

/**
 * What the task surface leaves to the emulator's choice and a step can still observe: when
 * `updated_at` moves, the order of the subtask list, tasklists and custom fields the emulator does
 * not know, a second delete, and what a task's delete does to its attachments.
 */
export async function taskLifecycleSteps(
  ctx: SuiteContext,
  tenantToken: string | undefined,
  state: TaskSurfaceState,
  inputs: { tasklistGuid?: string },
): Promise<void> {
  const token = () => ctx.need(tenantToken, 'a tenant token');
  const getTask = (guid: string) => ctx.call('GET', `${TASKS}/${guid}`, { token: token() });
  const fullTask = () => ctx.need(state.fullTaskGuid, 'the full task');

  /** Reads `updated_at`, lets a second pass, makes the call, and records how `updated_at` moved. */
  const movedBy = async (guid: string, run: () => Promise<Exchange>, after?: () => Promise<Exchange>) => {
    const before = updatedAt(await getTask(guid));
    await ctx.wait(TICK_MS);
    const exchange = await run();
    const observation = observe(exchange);
    observation.values.updated_at = timeRelation(before, updatedAt(after ? await after() : exchange));
    return observation;
  };

  await ctx.step('task-patch-same-value', async () => {
    const guid = fullTask();
    const summary = json(await getTask(guid))?.data?.task?.summary;
    return movedBy(guid, () =>
      ctx.call('PATCH', `${TASKS}/${guid}`, {
        token: token(),
        json: { task: { summary: ctx.need(summary, "the task's summary") }, update_fields: ['summary'] },
      }),
    );
  });
  await ctx.step('task-patch-new-value', async () => {
    const guid = fullTask();
    return movedBy(guid, () =>
      ctx.call('PATCH', `${TASKS}/${guid}`, {
        token: token(),
        json: { task: { description: 'parity: changed' }, update_fields: ['description'] },
      }),
    );
  });
  await ctx.step('task-patch-clear-summary', async () =>
    observe(
      await ctx.call('PATCH', `${TASKS}/${fullTask()}`, {
        token: token(),
        json: { task: {}, update_fields: ['summary'] },
      }),
    ),
  );

  // A second subtask of the run's task: whether the parent's updated_at moves, then the list's order.
  let secondSubtask: string | undefined;
  await ctx.step('subtask-create-second', async () => {
    const parent = ctx.need(state.taskGuid, 'the task');
    ctx.need(state.subtaskGuid, 'the first subtask');
    return movedBy(
      parent,
      async () => {
        const exchange = await ctx.call('POST', `${TASKS}/${parent}/subtasks`, {
          token: token(),
          json: { summary: 'parity: a second subtask' },
        });
        secondSubtask = json(exchange)?.data?.subtask?.guid;
        if (secondSubtask) ctx.keepTask(secondSubtask, token(), { first: true });
        return exchange;
      },
      () => getTask(parent),
    );
  });
  await ctx.step('subtask-list-order', async () => {
    const parent = ctx.need(state.taskGuid, 'the task');
    const labels = new Map([
      [ctx.need(state.subtaskGuid, 'the first subtask'), 'first subtask'],
      [ctx.need(secondSubtask, 'the second subtask'), 'second subtask'],
    ]);
    const exchange = await ctx.call('GET', `${TASKS}/${parent}/subtasks`, {
      token: token(),
      query: { page_size: 50 },
    });
    return orderObservation(observe(exchange), labelled(json(exchange)?.data?.items, labels));
  });

  const createTask = async (body: Record<string, unknown>) => {
    const exchange = await ctx.call('POST', TASKS, { token: token(), json: body });
    const guid = json(exchange)?.data?.task?.guid;
    if (typeof guid === 'string') ctx.keepTask(guid, token());
    return observe(exchange);
  };
  // Skipped ("needs …") unless the run was given a tasklist of the tenant.
  await ctx.step('task-create-in-tasklist', () =>
    createTask({
      summary: 'parity: a task in the given tasklist',
      tasklists: [
        { tasklist_guid: ctx.need(inputs.tasklistGuid, '--tasklist-guid (a tasklist of the tenant)') },
      ],
    }),
  );
  // Guids that name nothing on the tenant: Feishu documents 404/1470404 for a tasklist not found.
  await ctx.step('task-create-unknown-tasklist', () =>
    createTask({ summary: 'parity: an unknown tasklist', tasklists: [{ tasklist_guid: randomUUID() }] }),
  );
  await ctx.step('task-create-unknown-custom-field', () =>
    createTask({
      summary: 'parity: an unknown custom field',
      custom_fields: [{ guid: randomUUID(), text_value: 'parity' }],
    }),
  );

  // A task with an attachment, deleted: the delete's answer, a second delete, then the attachment.
  let doomed: string | undefined;
  let attachment: string | undefined;
  let url: string | undefined;
  await ctx.step('task-delete-with-attachment', async () => {
    const created = json(
      await ctx.call('POST', TASKS, { token: token(), json: { summary: 'parity: a task to delete' } }),
    )?.data?.task?.guid;
    doomed = ctx.need(typeof created === 'string' ? created : undefined, 'the task to delete');
    ctx.keepTask(doomed, token());
    const form = new FormData();
    form.append('resource_type', 'task');
    form.append('resource_id', doomed);
    form.append('file', new Blob(['parity file of a deleted task\n'], { type: 'text/plain' }), 'doomed.txt');
    const upload = await ctx.call('POST', `${ATTACHMENTS}/upload`, { token: token(), form });
    ctx.remember(upload, token());
    attachment = json(upload)?.data?.items?.[0]?.guid;
    // A download URL issued before the delete, tried after it; without one, only that step is skipped.
    if (attachment) {
      try {
        const got = json(await ctx.call('GET', `${ATTACHMENTS}/${attachment}`, { token: token() }));
        url = typeof got?.data?.attachment?.url === 'string' ? got.data.attachment.url : undefined;
        if (url) ctx.secret(url);
      } catch {
        url = undefined;
      }
    }
    const exchange = await ctx.call('DELETE', `${TASKS}/${doomed}`, { token: token() });
    if (exchange.status === 200) ctx.forget('task', doomed);
    return observe(exchange);
  });
  await ctx.step('task-delete-again', async () => {
    const guid = ctx.need(doomed, 'the deleted task');
    const exchange = await ctx.call('DELETE', `${TASKS}/${guid}`, { token: token() });
    // Should the first delete have failed, this one is the clean-up's.
    if (exchange.status === 200) ctx.forget('task', guid);
    return observe(exchange);
  });
  await ctx.step('attachment-list-after-task-delete', async () => {
    const exchange = await ctx.call('GET', ATTACHMENTS, {
      token: token(),
      query: { resource_type: 'task', resource_id: ctx.need(doomed, 'the deleted task') },
    });
    for (const item of json(exchange)?.data?.items ?? [])
      if (typeof item?.url === 'string') ctx.secret(item.url);
    return observe(exchange);
  });
  await ctx.step('attachment-get-after-task-delete', async () => {
    const exchange = await ctx.call('GET', `${ATTACHMENTS}/${ctx.need(attachment, 'its attachment')}`, {
      token: token(),
    });
    const kept = json(exchange)?.data?.attachment?.url;
    if (typeof kept === 'string') ctx.secret(kept);
    return observe(exchange);
  });
  await ctx.step('download-after-task-delete', async () =>
    observe(await ctx.call('GET', ctx.need(url, 'a download URL'), { absolute: true }), { download: true }),
  );
  await ctx.step('attachment-delete-after-task-delete', async () => {
    const guid = ctx.need(attachment, 'its attachment');
    const exchange = await ctx.call('DELETE', `${ATTACHMENTS}/${guid}`, { token: token() });
    // Deleted now or gone with its task: either way nothing is left for the clean-up.
    if (exchange.status === 200 || exchange.status === 404) ctx.forget('attachment', guid);
    return observe(exchange);
  });
}

/**
 * With the user token: `updated_at` across member changes (one that alters the task and one that
 * does not), and the order of the user's task list, seen through two tasks the run assigns them.
 */
export async function userTaskLifecycleSteps(
  ctx: SuiteContext,
  tenantToken: string | undefined,
  userToken: string,
  state: TaskSurfaceState,
): Promise<void> {
  const token = () => ctx.need(tenantToken, 'a tenant token');
  const task = () => ctx.need(state.taskGuid, 'the task');
  const follower = () => ({
    members: [{ id: ctx.need(state.userOpenId, "the user's open_id"), type: 'user', role: 'follower' }],
  });
  const members = (path: 'add_members' | 'remove_members') => async () => {
    const before = updatedAt(await ctx.call('GET', `${TASKS}/${task()}`, { token: token() }));
    await ctx.wait(TICK_MS);
    const exchange = await ctx.call('POST', `${TASKS}/${task()}/${path}`, {
      token: token(),
      json: follower(),
    });
    const observation = observe(exchange);
    observation.values.updated_at = timeRelation(before, updatedAt(exchange));
    return observation;
  };

  // The user-token slice removed the follower: adding them again alters the task, a repeat does not.
  await ctx.step('user-add-follower-updated-at', members('add_members'));
  await ctx.step('user-add-follower-again', members('add_members'));
  await ctx.step('user-remove-follower-updated-at', members('remove_members'));

  // The task with every field was assigned to the user first; this one second.
  await ctx.step('user-task-list-order', async () => {
    const full = ctx.need(state.fullTaskGuid, 'the full task');
    const created = json(
      await ctx.call('POST', TASKS, { token: token(), json: { summary: 'parity: assigned second' } }),
    )?.data?.task?.guid;
    const second = ctx.need(typeof created === 'string' ? created : undefined, 'a second task');
    ctx.keepTask(second, token());
    await ctx.call('POST', `${TASKS}/${second}/add_members`, {
      token: token(),
      json: {
        members: [{ id: ctx.need(state.userOpenId, "the user's open_id"), type: 'user', role: 'assignee' }],
      },
    });
    const labels = new Map([
      [full, 'assigned first'],
      [second, 'assigned second'],
    ]);
    // A real user has tasks of their own: every page is read, only the run's two tasks are kept.
    const order: string[] = [];
    let first: Observation | undefined;
    let pageToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const exchange = await ctx.call('GET', TASKS, {
        token: userToken,
        query: { page_size: 100, page_token: pageToken },
      });
      first ??= observe(exchange);
      const body = json(exchange);
      order.push(...labelled(body?.data?.items, labels));
      pageToken = body?.data?.page_token;
      if (exchange.status !== 200 || body?.data?.has_more !== true || !pageToken) break;
    }
    return orderObservation(ctx.need(first, 'the task list'), order);
  });
}
