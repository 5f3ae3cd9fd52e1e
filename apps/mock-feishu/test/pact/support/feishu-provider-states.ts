import type { RunningMockFeishu } from '../../../src/index.js';
import type { StateSetup, StateValues } from './strict-states.js';

const SUMMARY = 'Prepare the quarterly report';
const NOTES = { name: 'notes.txt', content: 'Meeting notes\n', contentType: 'text/plain' };

/**
 * The provider states the consumer pacts name, each a sentence. Every handler starts from a
 * reset emulator, seeds through `feishu.seeder` and returns what the emulator generated (guids,
 * tokens, page tokens, download codes) for the pacts' `fromProviderState` expressions. Values
 * the seeder cannot make (a tenant token, a signed page token, a download URL) come from the
 * emulated API itself, the way a client would get them.
 */
export function feishuProviderStates(feishu: RunningMockFeishu): Record<string, StateSetup> {
  async function call(method: string, path: string, options: { token?: string; json?: unknown } = {}) {
    const response = await fetch(new URL(path, feishu.url), {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    });
    const body = await response.json();
    if (!response.ok || (typeof body.code === 'number' && body.code !== 0)) {
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    }
    return body;
  }

  /** A reset emulator and a tenant token of its default app. */
  async function fresh(): Promise<string> {
    await feishu.reset();
    const body = await call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      json: { app_id: feishu.app.appId, app_secret: feishu.app.appSecret },
    });
    return body.tenant_access_token;
  }

  async function taskWith(files: { name: string; content: string; contentType: string }[]) {
    const { taskGuid, attachments } = await feishu.seeder.createTaskWithAttachments({
      summary: SUMMARY,
      attachments: files,
    });
    return { taskGuid, attachmentGuids: attachments.map((attachment) => attachment.guid) };
  }

  const threeFiles = () =>
    ['a', 'b', 'c'].map((letter) => ({ ...NOTES, name: `${letter}.txt`, content: `${letter}\n` }));

  async function pageTokenAfterTwo(token: string, taskGuid: string): Promise<string> {
    const body = await call('GET', `/open-apis/task/v2/attachments?resource_id=${taskGuid}&page_size=2`, {
      token,
    });
    if (!body.data.page_token) throw new Error(`no page_token after 2 of ${taskGuid}`);
    return body.data.page_token;
  }

  const states: Record<string, () => Promise<StateValues>> = {
    'the app cli_mock_app is registered': async () => {
      if (feishu.app.appId !== 'cli_mock_app') throw new Error(`the emulator's app is ${feishu.app.appId}`);
      return { tenantAccessToken: await fresh() };
    },

    'task T exists': async () => {
      const tenantAccessToken = await fresh();
      return { tenantAccessToken, taskGuid: await feishu.seeder.createTask({ summary: SUMMARY }) };
    },

    'task T has an attachment A': async () => {
      const tenantAccessToken = await fresh();
      const { taskGuid, attachmentGuids } = await taskWith([NOTES]);
      return { tenantAccessToken, taskGuid, attachmentGuid: attachmentGuids[0] };
    },

    'task T has 3 attachments, listed 2 per page': async () => {
      const tenantAccessToken = await fresh();
      const { taskGuid } = await taskWith(threeFiles());
      return { tenantAccessToken, taskGuid, pageToken: await pageTokenAfterTwo(tenantAccessToken, taskGuid) };
    },

    'task T has 3 attachments, and task U gave out a page token': async () => {
      const tenantAccessToken = await fresh();
      const { taskGuid } = await taskWith(threeFiles());
      const other = await taskWith(threeFiles());
      return {
        tenantAccessToken,
        taskGuid,
        foreignPageToken: await pageTokenAfterTwo(tenantAccessToken, other.taskGuid),
      };
    },

    'attachment A has a temporary download URL': async () => {
      const tenantAccessToken = await fresh();
      const { taskGuid, attachmentGuids } = await taskWith([{ ...NOTES, content: 'Hello, Feishu!\n' }]);
      const body = await call('GET', `/open-apis/task/v2/attachments/${attachmentGuids[0]}`, {
        token: tenantAccessToken,
      });
      const downloadCode = new URL(body.data.attachment.url).searchParams.get('code');
      if (!downloadCode) throw new Error(`no code in ${body.data.attachment.url}`);
      return { tenantAccessToken, taskGuid, attachmentGuid: attachmentGuids[0], downloadCode };
    },

    'task T belongs to another user': async () => {
      const tenantAccessToken = await fresh();
      const owner = await feishu.seeder.createUser('Li Lei');
      const taskGuid = await feishu.seeder.createTask({
        summary: SUMMARY,
        creator: { openId: owner.openId },
      });
      return { tenantAccessToken, taskGuid };
    },

    'attachment A was deleted': async () => {
      const tenantAccessToken = await fresh();
      const { taskGuid, attachmentGuids } = await taskWith([NOTES]);
      await call('DELETE', `/open-apis/task/v2/attachments/${attachmentGuids[0]}`, {
        token: tenantAccessToken,
      });
      return { tenantAccessToken, taskGuid, attachmentGuid: attachmentGuids[0] };
    },

    'task T has an attachment A, and reading it is rate limited once': async () => {
      const tenantAccessToken = await fresh();
      const { taskGuid, attachmentGuids } = await taskWith([NOTES]);
      // The seeder has no faults; the control plane's fault is the emulator's own 429 (with its headers).
      await call('POST', '/__mock/faults', {
        json: {
          operation: 'attachment.get',
          times: 1,
          error: { status: 429, code: 99991400, msg: 'request trigger frequency limit' },
        },
      });
      return { tenantAccessToken, taskGuid, attachmentGuid: attachmentGuids[0] };
    },

    'the tenant token was revoked': async () => {
      // A reset forgets every token issued before it, as a revocation would.
      const tenantAccessToken = await fresh();
      await feishu.reset();
      const { taskGuid, attachmentGuids } = await taskWith([NOTES]);
      return { tenantAccessToken, taskGuid, attachmentGuid: attachmentGuids[0] };
    },
  };
  return states;
}
