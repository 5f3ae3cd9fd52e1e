import type { HttpResult, MockFeishuFixture } from './mock-feishu.fixture.js';

export const TASKS_PATH = '/open-apis/task/v2/tasks';
export const ATTACHMENTS_PATH = '/open-apis/task/v2/attachments';

/** Feishu's Task v2 error shape: `{code, msg, error:{log_id}}`, the log id echoed in X-Tt-Logid. */
export function expectFeishuError(result: HttpResult, status: number, code: number, msg?: RegExp): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status, code });
  expect(result.body).toEqual({
    code,
    msg: msg ? expect.stringMatching(msg) : expect.any(String),
    error: expect.objectContaining({ log_id: result.headers.get('x-tt-logid') }),
  });
}

/** The `data` of a success answer, after checking it is one. */
export function dataOf(result: HttpResult) {
  expect({ status: result.status, code: result.body?.code, msg: result.body?.msg }).toEqual({
    status: 200,
    code: 0,
    msg: 'success',
  });
  return result.body.data;
}

type Query = Record<string, string | number | undefined>;

/** The task routes, called over HTTP with one token (the emulated API as a client calls it). */
export function taskCalls(feishu: MockFeishuFixture) {
  return {
    create: (token: string, body: unknown, query?: Query) =>
      feishu.call('POST', TASKS_PATH, { token, json: body, query }),
    get: (token: string, guid: string, query?: Query) =>
      feishu.call('GET', `${TASKS_PATH}/${guid}`, { token, query }),
    patch: (token: string, guid: string, body: unknown, query?: Query) =>
      feishu.call('PATCH', `${TASKS_PATH}/${guid}`, { token, json: body, query }),
    remove: (token: string, guid: string) => feishu.call('DELETE', `${TASKS_PATH}/${guid}`, { token }),
    list: (token: string, query?: Query) => feishu.call('GET', TASKS_PATH, { token, query }),
    addMembers: (token: string, guid: string, body: unknown, query?: Query) =>
      feishu.call('POST', `${TASKS_PATH}/${guid}/add_members`, { token, json: body, query }),
    removeMembers: (token: string, guid: string, body: unknown, query?: Query) =>
      feishu.call('POST', `${TASKS_PATH}/${guid}/remove_members`, { token, json: body, query }),
    createSubtask: (token: string, parentGuid: string, body: unknown, query?: Query) =>
      feishu.call('POST', `${TASKS_PATH}/${parentGuid}/subtasks`, { token, json: body, query }),
    listSubtasks: (token: string, parentGuid: string, query?: Query) =>
      feishu.call('GET', `${TASKS_PATH}/${parentGuid}/subtasks`, { token, query }),
    listAttachments: (token: string, taskGuid: string) =>
      feishu.call('GET', ATTACHMENTS_PATH, {
        token,
        query: { resource_type: 'task', resource_id: taskGuid },
      }),
  };
}

/** Every page of a list, following `page_token` while `has_more`: the items' guids in order. */
export async function allPages(
  page: (pageToken: string | undefined) => Promise<HttpResult>,
): Promise<{ guids: string[]; pages: number }> {
  const guids: string[] = [];
  let pageToken: string | undefined;
  for (let pages = 1; pages <= 50; pages++) {
    const data = dataOf(await page(pageToken));
    guids.push(...data.items.map((item: { guid: string }) => item.guid));
    if (!data.has_more) {
      expect(data).not.toHaveProperty('page_token');
      return { guids, pages };
    }
    expect(data.page_token).toEqual(expect.any(String));
    pageToken = data.page_token;
  }
  throw new Error('more than 50 pages');
}
