import { randomBytes, randomUUID } from 'node:crypto';
import type { CallOptions } from './http-side.js';
import type { SideDriver } from './side-driver.js';
import { json } from './answer-body.js';
import { cleanUp, type CleanupCall } from './cleanup.js';
import { failedObservation, observe, type Exchange, type Observation } from './observation.js';
import { fineAppSteps } from './fine-app.steps.js';
import { readAppSteps } from './read-app.steps.js';
import { STEPS } from './steps.catalog.js';
import {
  taskLifecycleSteps,
  userTaskLifecycleSteps,
  USER_TASK_LIFECYCLE_STEPS,
} from './task-lifecycle.steps.js';
import {
  taskSurfaceSteps,
  userTaskSurfaceSteps,
  USER_TASK_SURFACE_STEPS,
  type SuiteContext,
  type TaskSurfaceState,
} from './task-surface.steps.js';

export interface SuiteOptions {
  slow: boolean;
}

export interface StepResult {
  id: string;
  observation?: Observation;
  /** Why the step did not run (an earlier step it needs did not succeed, or no --slow). */
  skipped?: string;
}

export type { CleanupCall };

export interface SuiteRun {
  steps: StepResult[];
  cleanup: CleanupCall[];
  /** Every credential the run saw, so outputs can be scrubbed of them. */
  secrets: string[];
}

/** Three minutes and a second: past the download URL's validity. */
const URL_EXPIRY_WAIT_MS = 181_000;
const MAX_PAGES = 20;
const UPLOAD = '/open-apis/task/v2/attachments/upload';
const ATTACHMENTS = '/open-apis/task/v2/attachments';

class Skip extends Error {}

/** The bytes of each file the suite uploads; small and fixed, so both sides store the same. */
const file = (name: string) => ({ name, content: `feishu-attachments parity file ${name}\n` });
const FIRST = file('parity-1.txt');
const FIVE = [
  file('parity-2.txt'),
  file('报告-ü-3.txt'),
  file('parity-4.txt'),
  file('parity-5.txt'),
  file('parity-6.txt'),
];

function form(resourceId: string, files: { name: string; content: string }[]): FormData {
  const data = new FormData();
  data.append('resource_type', 'task');
  data.append('resource_id', resourceId);
  for (const part of files) data.append('file', new Blob([part.content], { type: 'text/plain' }), part.name);
  return data;
}

/**
 * What oapi-sdk-python sends for its upload sample's bare file object: requests_toolbelt writes
 * the file part with neither a filename nor a Content-Type (feishu-api.md §3.x).
 */
function nameless(resourceId: string): { contentType: string; body: Buffer } {
  const boundary = 'parity0nameless0part';
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="resource_id"\r\n\r\n${resourceId}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\nno filename\r\n` +
        `--${boundary}--\r\n`,
    ),
  };
}

/**
 * Runs the fixed scenario suite on one side. Every step is recorded, failed or not; whatever the
 * run created (tasks, attachments) is deleted at the end, even when a step failed.
 */
export async function runSuite(side: SideDriver, options: SuiteOptions): Promise<SuiteRun> {
  const results = new Map<string, StepResult>();
  const secrets = new Set<string>(
    [side.appSecret, side.readApp?.appSecret, side.fineApp?.appSecret].filter(
      (secret): secret is string => secret !== undefined,
    ),
  );
  const created = { tasks: [] as { guid: string; token: string }[], attachments: new Map<string, string>() };
  const names = new Map<string, string>();
  let tenantToken: string | undefined;
  let taskGuid: string | undefined;
  let userTaskGuid: string | undefined;
  let downloadUrl: string | undefined;
  const firstGuid = () => [...names].find(([, name]) => name === FIRST.name)?.[0];

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Skip(`needs ${what}`);
    return value;
  };
  const call = async (method: string, path: string, callOptions: CallOptions = {}) => {
    if (callOptions.token) secrets.add(callOptions.token);
    return side.http.call(method, path, callOptions);
  };
  const remember = (exchange: Exchange, token: string) => {
    for (const item of json(exchange)?.data?.items ?? []) {
      if (typeof item?.guid === 'string') {
        created.attachments.set(item.guid, token);
        names.set(item.guid, item.name ?? '');
      }
    }
  };
  const step = async (id: string, run: () => Promise<Observation>) => {
    try {
      results.set(id, { id, observation: await run() });
    } catch (error) {
      results.set(
        id,
        error instanceof Skip
          ? { id, skipped: error.message }
          : { id, observation: failedObservation(error) },
      );
    }
  };
  const download = async (url: string) => {
    secrets.add(url);
    const exchange = await call('GET', url, { absolute: true });
    const observation = observe(exchange, { download: true });
    if (exchange.status === 200)
      observation.values['bytes match the upload'] = exchange.body.toString('utf8') === FIRST.content;
    return observation;
  };

  const surface: TaskSurfaceState = {};
  const ctx: SuiteContext = {
    call,
    step,
    need,
    remember,
    keepTask: (guid, token, { first = false } = {}) => {
      if (first) created.tasks.unshift({ guid, token });
      else created.tasks.push({ guid, token });
    },
    forget: (kind, guid) => {
      if (kind === 'attachment') created.attachments.delete(guid);
      else created.tasks = created.tasks.filter((task) => task.guid !== guid);
    },
    secret: (value) => void secrets.add(value),
    wait: (ms) => side.wait(ms),
  };

  let cleanup: CleanupCall[] = [];
  try {
    await step('tenant-token', async () => {
      const exchange = await call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
        json: { app_id: side.appId, app_secret: side.appSecret },
      });
      tenantToken = json(exchange)?.tenant_access_token;
      if (tenantToken) secrets.add(tenantToken);
      return observe(exchange);
    });
    await step('task-create', async () => {
      const token = need(tenantToken, 'a tenant token');
      const exchange = await call('POST', '/open-apis/task/v2/tasks', {
        token,
        json: { summary: `feishu-attachments parity run ${new Date().toISOString()}` },
      });
      taskGuid = surface.taskGuid = json(exchange)?.data?.task?.guid;
      if (taskGuid) created.tasks.push({ guid: taskGuid, token });
      return observe(exchange);
    });
    const uploadStep = (id: string, resourceId: () => string, files: { name: string; content: string }[]) =>
      step(id, async () => {
        const token = need(tenantToken, 'a tenant token');
        const exchange = await call('POST', UPLOAD, { token, form: form(resourceId(), files) });
        remember(exchange, token);
        return observe(exchange);
      });
    await uploadStep('upload-one', () => need(taskGuid, 'the task'), [FIRST]);
    await uploadStep('upload-five', () => need(taskGuid, 'the task'), FIVE);
    await uploadStep(
      'upload-sixth',
      () => need(taskGuid, 'the task'),
      Array.from({ length: 6 }, (_, index) => file(`sixth-${index + 1}.txt`)),
    );
    await uploadStep('upload-empty-resource-id', () => '', [file('parity-empty.txt')]);
    await uploadStep('upload-unknown-task', () => randomUUID(), [file('parity-unknown.txt')]);

    const pages: Observation[] = [];
    const order: string[] = [];
    await step('list-first-page', async () => {
      const token = need(tenantToken, 'a tenant token');
      let pageToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const exchange = await call('GET', ATTACHMENTS, {
          token,
          query: {
            resource_type: 'task',
            resource_id: need(taskGuid, 'the task'),
            page_size: 1,
            page_token: pageToken,
          },
        });
        pages.push(observe(exchange));
        const body = json(exchange);
        for (const item of body?.data?.items ?? []) {
          order.push(item.name ?? '(no name)');
          if (typeof item.url === 'string') secrets.add(item.url);
        }
        pageToken = body?.data?.page_token;
        if (exchange.status !== 200 || body?.data?.has_more !== true || !pageToken) break;
      }
      return pages[0];
    });
    await step('list-last-page', async () =>
      need(pages.length > 1 ? pages[pages.length - 1] : undefined, 'a second page'),
    );
    await step('list-order', async () => ({
      ...need(pages.length > 0 ? pages[pages.length - 1] : undefined, 'the list'),
      shape: [],
      headers: {},
      values: { pages: pages.length },
      order,
      message: undefined,
    }));

    const listWith = (id: string, query: Record<string, string>) =>
      step(id, async () => {
        const token = need(tenantToken, 'a tenant token');
        const resourceId = need(taskGuid, 'the task');
        return observe(
          await call('GET', ATTACHMENTS, { token, query: { resource_id: resourceId, ...query } }),
        );
      });
    // If updated_mesc filters by update time, a time one day ahead leaves nothing to list.
    await listWith('list-updated-mesc', { updated_mesc: String(Date.now() + 86_400_000) });
    await listWith('list-malformed-resource-id', { resource_id: 'not-a-guid' });
    await listWith('list-bad-user-id-type', { user_id_type: 'email' });

    const getFirst = async () => {
      const exchange = await call('GET', `${ATTACHMENTS}/${need(firstGuid(), 'the uploaded attachment')}`, {
        token: need(tenantToken, 'a tenant token'),
      });
      const url = json(exchange)?.data?.attachment?.url;
      if (typeof url === 'string') secrets.add(url);
      return { exchange, url: typeof url === 'string' ? url : undefined };
    };
    await step('get', async () => {
      const { exchange, url } = await getFirst();
      downloadUrl = url;
      return observe(exchange);
    });
    for (const id of ['download-1', 'download-2', 'download-3', 'download-4']) {
      await step(id, () => download(need(downloadUrl, 'a download URL')));
    }
    if (options.slow) {
      await step('download-after-3-minutes', async () => {
        const { url } = await getFirst();
        const fresh = need(url, 'a download URL');
        await side.wait(URL_EXPIRY_WAIT_MS);
        return download(fresh);
      });
    } else {
      results.set('download-after-3-minutes', {
        id: 'download-after-3-minutes',
        skipped: 'runs with --slow',
      });
    }

    const deleteFirst = async () => {
      const guid = need(firstGuid(), 'the uploaded attachment');
      const exchange = await call('DELETE', `${ATTACHMENTS}/${guid}`, {
        token: need(tenantToken, 'a tenant token'),
      });
      if (exchange.status === 200) created.attachments.delete(guid);
      return observe(exchange);
    };
    // After the list steps, so their pages and order stay those of the named files.
    await step('upload-without-filename', async () => {
      const token = need(tenantToken, 'a tenant token');
      const exchange = await call('POST', UPLOAD, { token, raw: nameless(need(taskGuid, 'the task')) });
      remember(exchange, token);
      return observe(exchange);
    });
    await step('delete', deleteFirst);
    await step('delete-again', deleteFirst);
    await step('get-after-delete', async () => observe((await getFirst()).exchange));

    const forged = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;
    await step('forged-tenant-token', async () =>
      observe(
        await call('GET', ATTACHMENTS, {
          token: forged('t-'),
          query: { resource_id: need(taskGuid, 'the task') },
        }),
      ),
    );
    await step('forged-user-token', async () =>
      observe(
        await call('GET', ATTACHMENTS, {
          token: forged('u-'),
          query: { resource_id: need(taskGuid, 'the task') },
        }),
      ),
    );

    await taskSurfaceSteps(ctx, tenantToken, surface);
    await taskLifecycleSteps(ctx, tenantToken, surface, { tasklistGuid: side.tasklistGuid });
    await readAppSteps(ctx, tenantToken, surface, side.readApp);
    await fineAppSteps(ctx, tenantToken, side.fineApp);

    if (side.userToken) {
      const userToken = side.userToken;
      secrets.add(userToken);
      await step('user-task-create', async () => {
        const exchange = await call('POST', '/open-apis/task/v2/tasks', {
          token: userToken,
          json: { summary: `feishu-attachments parity run (user) ${new Date().toISOString()}` },
        });
        userTaskGuid = json(exchange)?.data?.task?.guid;
        surface.userOpenId = json(exchange)?.data?.task?.creator?.id;
        if (userTaskGuid) created.tasks.push({ guid: userTaskGuid, token: userToken });
        return observe(exchange);
      });
      await step('user-upload', async () => {
        const exchange = await call('POST', UPLOAD, {
          token: userToken,
          form: form(need(userTaskGuid, 'the user task'), [file('parity-user.txt')]),
        });
        remember(exchange, userToken);
        return observe(exchange);
      });
      await step('user-list', async () => {
        const exchange = await call('GET', ATTACHMENTS, {
          token: userToken,
          query: { resource_id: need(userTaskGuid, 'the user task') },
        });
        for (const item of json(exchange)?.data?.items ?? [])
          if (typeof item.url === 'string') secrets.add(item.url);
        return observe(exchange);
      });
      await userTaskSurfaceSteps(ctx, tenantToken, userToken, surface);
      await userTaskLifecycleSteps(ctx, tenantToken, userToken, surface);
    } else {
      for (const id of [
        'user-task-create',
        'user-upload',
        'user-list',
        ...USER_TASK_SURFACE_STEPS,
        ...USER_TASK_LIFECYCLE_STEPS,
      ]) {
        results.set(id, { id, skipped: 'runs with PARITY_USER_ACCESS_TOKEN set' });
      }
    }
    if (side.expiredUserToken) {
      const expired = side.expiredUserToken;
      await step('expired-user-token', async () => {
        const token = await expired();
        return observe(
          await call('GET', ATTACHMENTS, { token, query: { resource_id: need(taskGuid, 'the task') } }),
        );
      });
    } else {
      results.set('expired-user-token', {
        id: 'expired-user-token',
        skipped: 'runs with PARITY_EXPIRED_USER_ACCESS_TOKEN set',
      });
    }
  } finally {
    cleanup = await cleanUp(side, created, secrets);
  }
  return {
    steps: STEPS.map((spec) => results.get(spec.id) ?? { id: spec.id, skipped: 'not reached' }),
    cleanup,
    secrets: [...secrets],
  };
}
