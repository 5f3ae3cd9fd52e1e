import type { RunningMockFeishu } from '../start-mock-feishu.js';
import { emulatedCalls } from './emulated-calls.js';
import type { ProviderStateInfo } from './provider-state-info.js';
import type { StateSetup } from './strict-states.js';

/** The provider states of the task surface beyond create/get/delete: patch, list, members, subtasks. */
export const TASK_SURFACE_STATES = {
  'task T is completed': {
    description: 'Task T, completed by the app through the emulated patch.',
    values: ['tenantAccessToken', 'taskGuid'],
  },
  'task T has a subtask S': {
    description: 'Task T with one subtask S, created by the app through the emulated API.',
    values: ['tenantAccessToken', 'taskGuid', 'subtaskGuid'],
  },
  'user Alice is registered, and task T exists': {
    description: 'User Alice (userOpenId) and task T, of which Alice is not a member.',
    values: ['tenantAccessToken', 'taskGuid', 'userOpenId'],
  },
  'user Alice is an assignee of task T': {
    description: 'Task T whose one member is user Alice (userOpenId), as an assignee.',
    values: ['tenantAccessToken', 'taskGuid', 'userOpenId'],
  },
  'user Alice is an assignee of 3 tasks, listed 2 per page': {
    description:
      'Three tasks assigned to user Alice; pageToken continues her my_tasks list (page_size 2) after page 1.',
    values: ['userAccessToken', 'userOpenId', 'pageToken'],
  },
} as const satisfies Record<string, ProviderStateInfo>;

export type TaskSurfaceStateName = keyof typeof TASK_SURFACE_STATES;

const SUMMARY = 'Prepare the quarterly report';

/** The handlers of {@link TASK_SURFACE_STATES}; like every state, each starts from a reset emulator. */
export function taskSurfaceStates(feishu: RunningMockFeishu): Record<TaskSurfaceStateName, StateSetup> {
  const { call, fresh } = emulatedCalls(feishu);

  async function alice(): Promise<string> {
    return (await feishu.seeder.createUser('Alice')).openId;
  }

  return {
    'task T is completed': async () => {
      const tenantAccessToken = await fresh();
      const taskGuid = await feishu.seeder.createTask({ summary: SUMMARY });
      await call('PATCH', `/open-apis/task/v2/tasks/${taskGuid}`, {
        token: tenantAccessToken,
        json: { task: { completed_at: String(Date.now()) }, update_fields: ['completed_at'] },
      });
      return { tenantAccessToken, taskGuid };
    },

    'task T has a subtask S': async () => {
      const tenantAccessToken = await fresh();
      const taskGuid = await feishu.seeder.createTask({ summary: SUMMARY });
      const body = await call('POST', `/open-apis/task/v2/tasks/${taskGuid}/subtasks`, {
        token: tenantAccessToken,
        json: { summary: 'Collect the figures' },
      });
      return { tenantAccessToken, taskGuid, subtaskGuid: body.data.subtask.guid };
    },

    'user Alice is registered, and task T exists': async () => {
      const tenantAccessToken = await fresh();
      const userOpenId = await alice();
      return {
        tenantAccessToken,
        taskGuid: await feishu.seeder.createTask({ summary: SUMMARY }),
        userOpenId,
      };
    },

    'user Alice is an assignee of task T': async () => {
      const tenantAccessToken = await fresh();
      const userOpenId = await alice();
      const taskGuid = await feishu.seeder.createTask({
        summary: SUMMARY,
        members: [{ openId: userOpenId, role: 'assignee' }],
      });
      return { tenantAccessToken, taskGuid, userOpenId };
    },

    'user Alice is an assignee of 3 tasks, listed 2 per page': async () => {
      await feishu.reset();
      const userOpenId = await alice();
      for (const letter of ['a', 'b', 'c']) {
        await feishu.seeder.createTask({
          summary: `${SUMMARY} (${letter})`,
          members: [{ openId: userOpenId, role: 'assignee' }],
        });
      }
      const userAccessToken = (await feishu.seeder.issueUserToken(userOpenId)).accessToken;
      const body = await call('GET', '/open-apis/task/v2/tasks?page_size=2&type=my_tasks', {
        token: userAccessToken,
      });
      if (!body.data.page_token) throw new Error(`no page_token after 2 of Alice's tasks`);
      return { userAccessToken, userOpenId, pageToken: body.data.page_token };
    },
  };
}
