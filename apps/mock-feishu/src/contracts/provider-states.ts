import type { RunningMockFeishu } from '../start-mock-feishu.js';
import { emulatedCalls } from './emulated-calls.js';
import type { StateSetup } from './strict-states.js';
import type { ProviderStateInfo } from './provider-state-info.js';
import { TASK_SURFACE_STATES, taskSurfaceStates } from './task-surface.states.js';

export type { ProviderStateInfo } from './provider-state-info.js';

/**
 * The provider states the emulator knows, by the exact sentence a pact names (`given(...)`). Each
 * starts from a reset emulator with the default app (`cli_mock_app`); tokens, guids, page tokens
 * and download codes are generated, so a pact takes them from the state (`${taskGuid}`) rather
 * than as literals. `mock-feishu verify-pacts` sets these up; an unknown state fails the run.
 */
export const PROVIDER_STATES = {
  'the app cli_mock_app is registered': {
    description: 'No tasks; the default app cli_mock_app can get a tenant token.',
    values: ['tenantAccessToken'],
  },
  'task T exists': {
    description: 'Task T with no attachments.',
    values: ['tenantAccessToken', 'taskGuid'],
  },
  'task T has an attachment A': {
    description: 'Task T with one attachment A, notes.txt (text/plain, 14 bytes).',
    values: ['tenantAccessToken', 'taskGuid', 'attachmentGuid'],
  },
  'task T has 3 attachments, listed 2 per page': {
    description:
      'Task T with a.txt, b.txt and c.txt; pageToken continues a list of page_size 2 after its first page.',
    values: ['tenantAccessToken', 'taskGuid', 'pageToken'],
  },
  'task T has 3 attachments, and task U gave out a page token': {
    description:
      "Tasks T and U with 3 attachments each; foreignPageToken is U's token after its first 2 (refused for T).",
    values: ['tenantAccessToken', 'taskGuid', 'foreignPageToken'],
  },
  'attachment A has a temporary download URL': {
    description:
      'Task T with attachment A ("Hello, Feishu!\\n"); downloadCode is the code of A\'s fresh download URL.',
    values: ['tenantAccessToken', 'taskGuid', 'attachmentGuid', 'downloadCode'],
  },
  'task T belongs to another user': {
    description: 'Task T created by another user, so the app may not read its attachments.',
    values: ['tenantAccessToken', 'taskGuid'],
  },
  'attachment A was deleted': {
    description: 'Task T whose only attachment A was deleted.',
    values: ['tenantAccessToken', 'taskGuid', 'attachmentGuid'],
  },
  'task T has an attachment A, and reading it is rate limited once': {
    description: 'Task T with attachment A; the next get of an attachment answers 429 (99991400) once.',
    values: ['tenantAccessToken', 'taskGuid', 'attachmentGuid'],
  },
  'the tenant token was revoked': {
    description:
      'Task T with attachment A; tenantAccessToken was issued before a reset and is no longer valid.',
    values: ['tenantAccessToken', 'taskGuid', 'attachmentGuid'],
  },
  ...TASK_SURFACE_STATES,
} as const satisfies Record<string, ProviderStateInfo>;

export type ProviderStateName = keyof typeof PROVIDER_STATES;

const SUMMARY = 'Prepare the quarterly report';
const NOTES = { name: 'notes.txt', content: 'Meeting notes\n', contentType: 'text/plain' };

/**
 * The handlers of {@link PROVIDER_STATES} for one running emulator. Every handler starts from a
 * reset emulator, seeds through `feishu.seeder` and returns what the emulator generated (guids,
 * tokens, page tokens, download codes) for the pacts' `fromProviderState` expressions. Values
 * the seeder cannot make (a tenant token, a signed page token, a download URL) come from the
 * emulated API itself, the way a client would get them.
 */
export function feishuProviderStates(feishu: RunningMockFeishu): Record<ProviderStateName, StateSetup> {
  const { call, fresh } = emulatedCalls(feishu);

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

  return {
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

    ...taskSurfaceStates(feishu),
  };
}
