import { json } from './answer-body.js';
import { observe } from './observation.js';
import { secondAppToken, type SecondApp } from './second-app.js';
import type { SuiteContext, TaskSurfaceState } from './task-surface.steps.js';

const TASKS = '/open-apis/task/v2/tasks';

/** What the run needs for the read-app steps; a step without it is skipped with this reason. */
const READ_APP = '--read-app-id and PARITY_READ_APP_SECRET (a second app holding only task:task:read)';

/**
 * The scopes of the task surface beyond create, get and delete, with a second app that holds only
 * `task:task:read`: the run's app makes it a follower of the run's task (so a refusal can only be
 * the scope's), then it reads the task and its subtasks and tries each call that writes.
 */
export async function readAppSteps(
  ctx: SuiteContext,
  tenantToken: string | undefined,
  state: TaskSurfaceState,
  readApp: SecondApp | undefined,
): Promise<void> {
  const token = () => ctx.need(tenantToken, 'a tenant token');
  const task = () => ctx.need(state.taskGuid, 'the task');
  let readToken: string | undefined;
  const reader = () => {
    ctx.need(readApp, READ_APP);
    return ctx.need(readToken, "the read app's tenant token");
  };
  const asReader = (method: string, path: string, body?: unknown) =>
    ctx.call(method, path, { token: reader(), json: body });
  const self = (role: 'assignee' | 'follower') => ({
    members: [{ id: ctx.need(readApp, READ_APP).appId, type: 'app', role }],
  });

  await ctx.step('read-app-add-follower', async () => {
    const app = ctx.need(readApp, READ_APP);
    readToken = await secondAppToken(ctx, app);
    reader();
    return observe(
      await ctx.call('POST', `${TASKS}/${task()}/add_members`, { token: token(), json: self('follower') }),
    );
  });
  await ctx.step('read-app-task-get', async () => observe(await asReader('GET', `${TASKS}/${task()}`)));
  await ctx.step('read-app-subtask-list', async () =>
    observe(await asReader('GET', `${TASKS}/${task()}/subtasks`)),
  );
  await ctx.step('read-app-patch', async () =>
    observe(
      await asReader('PATCH', `${TASKS}/${task()}`, {
        task: { description: 'parity: patched by the read app' },
        update_fields: ['description'],
      }),
    ),
  );
  await ctx.step('read-app-add-members', async () =>
    observe(await asReader('POST', `${TASKS}/${task()}/add_members`, self('assignee'))),
  );
  await ctx.step('read-app-remove-members', async () =>
    observe(await asReader('POST', `${TASKS}/${task()}/remove_members`, self('follower'))),
  );
  await ctx.step('read-app-subtask-create', async () => {
    const exchange = await asReader('POST', `${TASKS}/${task()}/subtasks`, {
      summary: 'parity: a subtask by the read app',
    });
    // Should the scope not stop it: the subtask goes with its parent, or with the run app's delete.
    const made = json(exchange)?.data?.subtask?.guid;
    if (typeof made === 'string') ctx.keepTask(made, token(), { first: true });
    return observe(exchange);
  });
}
