import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import type { ListMyTasksQuery, TaskPageQuery } from '../../core/tasks/task.commands.js';
import { parsePageSize, parsePageToken } from '../request/page.js';

/** The one list type Feishu documents: the tasks the caller is an assignee of (task-v2/task/list). */
const MY_TASKS = 'my_tasks';

/** `GET …/tasks/:task_guid/subtasks`. */
export function parseTaskPage(query: Record<string, unknown>): TaskPageQuery {
  return { pageSize: parsePageSize(query.page_size), pageToken: parsePageToken(query.page_token) };
}

/** `GET /open-apis/task/v2/tasks`: `type` (only `my_tasks`, the default), `completed`, paging. */
export function parseListMyTasks(query: Record<string, unknown>): ListMyTasksQuery {
  if (query.type !== undefined && query.type !== '' && query.type !== MY_TASKS) {
    throw FeishuErrors.invalidParam('type', `must be ${MY_TASKS}`);
  }
  const page = parseTaskPage(query);
  if (query.completed === undefined || query.completed === '') return page;
  if (query.completed !== 'true' && query.completed !== 'false') {
    throw FeishuErrors.invalidParam('completed', 'must be true or false');
  }
  return { ...page, completed: query.completed === 'true' };
}
