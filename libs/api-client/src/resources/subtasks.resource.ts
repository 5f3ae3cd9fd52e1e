import type { CreateTaskBody, Page, SubtaskData, Task, UserIdType } from '../wire/index.js';
import type { CallOptions, Transport } from '../core/transport.js';
import { paginate } from '../core/pagination.js';
import { checkGuid } from '../internal/guid.js';
import { path } from '../internal/path.js';
import type { TaskCallOptions } from './task-call-options.js';

export interface ListSubtasksParams {
  /** The parent task. */
  taskGuid: string;
  /** 1–100. @default 50 */
  pageSize?: number;
  pageToken?: string;
  userIdType?: UserIdType;
}

const subtasksOf = (taskGuid: string) => path`/open-apis/task/v2/tasks/${taskGuid}/subtasks`;

/** Subtasks of a task (`tasks.subtasks`): tasks with `parent_task_guid`, made and listed under it. */
export class Subtasks {
  constructor(private readonly transport: Transport) {}

  /**
   * Creates a subtask under `taskGuid`; the body is a task's, as in `tasks.create`. Like a create,
   * it is not sent again after a 5xx or a lost answer: the first may have made the subtask.
   */
  async create(taskGuid: string, body: CreateTaskBody, options: TaskCallOptions = {}): Promise<Task> {
    checkGuid(taskGuid, 'taskGuid');
    const envelope = await this.transport.request<SubtaskData>(
      {
        method: 'POST',
        path: subtasksOf(taskGuid),
        query: { user_id_type: options.userIdType },
        json: body,
      },
      options,
    );
    return envelope.data!.subtask;
  }

  /** One page of a task's subtasks, in Feishu's order, and the cursor for the next one. */
  async listPage(params: ListSubtasksParams, options: CallOptions = {}): Promise<Page<Task>> {
    checkGuid(params.taskGuid, 'taskGuid');
    const envelope = await this.transport.request<Page<Task>>(
      {
        method: 'GET',
        path: subtasksOf(params.taskGuid),
        query: {
          page_size: params.pageSize,
          page_token: params.pageToken,
          user_id_type: params.userIdType,
        },
      },
      options,
    );
    return envelope.data!;
  }

  /** Every subtask of a task, page after page; an error on any page is thrown to the loop. */
  async *listAll(
    params: Omit<ListSubtasksParams, 'pageToken'>,
    options: CallOptions = {},
  ): AsyncGenerator<Task> {
    yield* paginate((pageToken) => this.listPage({ ...params, pageToken }, options));
  }
}
