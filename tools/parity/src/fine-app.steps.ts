import { json } from './answer-body.js';
import { observe } from './observation.js';
import { secondAppToken, type SecondApp } from './second-app.js';
import type { SuiteContext } from './task-surface.steps.js';

const TASKS = '/open-apis/task/v2/tasks';
const ATTACHMENTS = '/open-apis/task/v2/attachments';

/**
 * The newer fine-grained attachment scopes Feishu's scope catalog lists (reference §1: upload and
 * delete), the ones the "Scopes per API" row of docs/fidelity.md says the emulator refuses.
 */
export const FINE_GRAINED_SCOPES = ['task:attachment:upload', 'task:attachment:delete'] as const;

/** What the run needs for the fine-app steps; a step without it is skipped with this reason. */
const FINE_APP = `--fine-app-id and PARITY_FINE_APP_SECRET (an app holding only ${FINE_GRAINED_SCOPES.join(' and ')})`;

/** One small file, the same bytes on both sides. */
function form(taskGuid: string, name: string): FormData {
  const data = new FormData();
  data.append('resource_type', 'task');
  data.append('resource_id', taskGuid);
  data.append('file', new Blob([`feishu-attachments parity file ${name}\n`], { type: 'text/plain' }), name);
  return data;
}

/**
 * The fine-grained attachment scopes, with an app that holds only them: the run's app makes a task
 * and adds that app as an assignee (edit permission, which upload and delete need: a refusal can
 * then only be the scope's), then that app uploads a file, lists the task's attachments and
 * deletes its attachment.
 *
 * A task of their own, not the run's: the user-token steps list the run's task, and what they see
 * must not hang on whether this app's upload went through on one side only.
 */
export async function fineAppSteps(
  ctx: SuiteContext,
  tenantToken: string | undefined,
  fineApp: SecondApp | undefined,
): Promise<void> {
  const token = () => ctx.need(tenantToken, 'a tenant token');
  let taskGuid: string | undefined;
  let fineToken: string | undefined;
  let uploaded: string | undefined;
  const task = () => ctx.need(taskGuid, "the fine app's task");
  const fine = () => {
    ctx.need(fineApp, FINE_APP);
    return ctx.need(fineToken, "the fine app's tenant token");
  };

  await ctx.step('fine-app-add-assignee', async () => {
    const app = ctx.need(fineApp, FINE_APP);
    fineToken = await secondAppToken(ctx, app);
    fine();
    const created = await ctx.call('POST', TASKS, {
      token: token(),
      json: { summary: 'parity: a task for the fine-grained-scope app' },
    });
    taskGuid = json(created)?.data?.task?.guid;
    if (taskGuid) ctx.keepTask(taskGuid, token());
    return observe(
      await ctx.call('POST', `${TASKS}/${task()}/add_members`, {
        token: token(),
        json: { members: [{ id: app.appId, type: 'app', role: 'assignee' }] },
      }),
    );
  });
  await ctx.step('fine-app-upload', async () => {
    const exchange = await ctx.call('POST', `${ATTACHMENTS}/upload`, {
      token: fine(),
      form: form(task(), 'parity-fine.txt'),
    });
    // Should the scope admit it, the clean-up deletes it (with the run app's token, the task's creator).
    ctx.remember(exchange, fine());
    uploaded = json(exchange)?.data?.items?.[0]?.guid;
    return observe(exchange);
  });
  await ctx.step('fine-app-list', async () => {
    const exchange = await ctx.call('GET', ATTACHMENTS, {
      token: fine(),
      query: { resource_type: 'task', resource_id: task() },
    });
    for (const item of json(exchange)?.data?.items ?? [])
      if (typeof item?.url === 'string') ctx.secret(item.url);
    return observe(exchange);
  });
  await ctx.step('fine-app-delete', async () => {
    const asFine = fine();
    let target = uploaded;
    if (target === undefined) {
      // Its upload was refused: the run's app puts a file there for it, so the delete is still
      // asked, and its answer is the delete scope's alone (an assignee may delete any attachment).
      const placed = await ctx.call('POST', `${ATTACHMENTS}/upload`, {
        token: token(),
        form: form(task(), 'parity-fine-target.txt'),
      });
      ctx.remember(placed, token());
      target = ctx.need(json(placed)?.data?.items?.[0]?.guid, 'an attachment to delete');
    }
    const exchange = await ctx.call('DELETE', `${ATTACHMENTS}/${target}`, { token: asFine });
    if (exchange.status === 200) ctx.forget('attachment', target);
    return observe(exchange);
  });
}
