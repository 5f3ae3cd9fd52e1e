import type {
  CreateTaskBody,
  Page,
  PatchTaskBody,
  Task,
  TaskData,
  TaskMembersBody,
  UserIdType,
} from '../wire/index.js';
import type { CallOptions, Transport } from '../core/transport.js';
import { paginate } from '../core/pagination.js';
import { checkGuid } from '../internal/guid.js';
import { path } from '../internal/path.js';
import { checkMembers, checkPatch, completesTask } from '../internal/task-input.checks.js';
import { Subtasks } from './subtasks.resource.js';
import type { TaskCallOptions } from './task-call-options.js';

export type { TaskCallOptions } from './task-call-options.js';

export interface ListTasksParams {
  /** 1–100. @default 50 */
  pageSize?: number;
  pageToken?: string;
  /** Only completed tasks (`true`) or only open ones (`false`); both when absent. */
  completed?: boolean;
  /** Which list; Feishu documents only `my_tasks` (the tasks the user is responsible for). */
  type?: string;
  userIdType?: UserIdType;
}

/** Task v2 tasks: create, get, patch, delete, list, members, and (as `subtasks`) subtasks. */
export class Tasks {
  /** Subtasks of a task: tasks with a `parent_task_guid`. */
  readonly subtasks: Subtasks;

  constructor(private readonly transport: Transport) {
    this.subtasks = new Subtasks(transport);
  }

  async create(body: CreateTaskBody, options: TaskCallOptions = {}): Promise<Task> {
    const envelope = await this.transport.request<TaskData>(
      {
        method: 'POST',
        path: '/open-apis/task/v2/tasks',
        query: { user_id_type: options.userIdType },
        json: body,
      },
      options,
    );
    return envelope.data!.task;
  }

  async get(taskGuid: string, options: TaskCallOptions = {}): Promise<Task> {
    checkGuid(taskGuid, 'taskGuid');
    const envelope = await this.transport.request<TaskData>(
      {
        method: 'GET',
        path: path`/open-apis/task/v2/tasks/${taskGuid}`,
        query: { user_id_type: options.userIdType },
      },
      options,
    );
    return envelope.data!.task;
  }

  /**
   * Changes the fields named in `update_fields` to their values in `task`; one named there but
   * absent from `task` is cleared. `completed_at` completes the task (a millisecond timestamp)
   * or reopens it (`"0"`). Answers the task as it now is.
   */
  async patch(taskGuid: string, body: PatchTaskBody, options: TaskCallOptions = {}): Promise<Task> {
    checkGuid(taskGuid, 'taskGuid');
    checkPatch(body);
    const envelope = await this.transport.request<TaskData>(
      {
        method: 'PATCH',
        path: path`/open-apis/task/v2/tasks/${taskGuid}`,
        query: { user_id_type: options.userIdType },
        json: body,
        // Setting fields to given values twice leaves the task as once did; completing does not
        // (task-input.checks.ts, completesTask).
        idempotent: !completesTask(body),
      },
      options,
    );
    return envelope.data!.task;
  }

  async delete(taskGuid: string, options: CallOptions = {}): Promise<void> {
    checkGuid(taskGuid, 'taskGuid');
    await this.transport.request(
      { method: 'DELETE', path: path`/open-apis/task/v2/tasks/${taskGuid}` },
      options,
    );
  }

  /**
   * One page of the calling user's tasks and the cursor for the next one. Feishu answers this
   * list only to a user access token (the client's `auth` or the call's `userAccessToken`).
   */
  async listPage(params: ListTasksParams = {}, options: CallOptions = {}): Promise<Page<Task>> {
    const envelope = await this.transport.request<Page<Task>>(
      {
        method: 'GET',
        path: '/open-apis/task/v2/tasks',
        query: {
          page_size: params.pageSize,
          page_token: params.pageToken,
          completed: params.completed === undefined ? undefined : String(params.completed),
          type: params.type,
          user_id_type: params.userIdType,
        },
      },
      options,
    );
    return envelope.data!;
  }

  /** Every task of the calling user, page after page; an error on any page is thrown to the loop. */
  async *listAll(
    params: Omit<ListTasksParams, 'pageToken'> = {},
    options: CallOptions = {},
  ): AsyncGenerator<Task> {
    yield* paginate((pageToken) => this.listPage({ ...params, pageToken }, options));
  }

  /**
   * Adds assignees or followers (users by `userIdType`, apps by app id); one already there is
   * left as it is. Answers the task with its members. Adding twice adds nothing more, so the
   * call is retried like a GET.
   */
  async addMembers(taskGuid: string, body: TaskMembersBody, options: TaskCallOptions = {}): Promise<Task> {
    return this.changeMembers('add_members', taskGuid, body, options);
  }

  /** Removes members; one that is not a member is ignored. Answers the task with its members. */
  async removeMembers(
    taskGuid: string,
    body: Pick<TaskMembersBody, 'members'>,
    options: TaskCallOptions = {},
  ): Promise<Task> {
    return this.changeMembers('remove_members', taskGuid, body, options);
  }

  private async changeMembers(
    action: 'add_members' | 'remove_members',
    taskGuid: string,
    body: TaskMembersBody,
    options: TaskCallOptions,
  ): Promise<Task> {
    checkGuid(taskGuid, 'taskGuid');
    checkMembers(body?.members);
    const envelope = await this.transport.request<TaskData>(
      {
        method: 'POST',
        path: path`/open-apis/task/v2/tasks/${taskGuid}/${action}`,
        query: { user_id_type: options.userIdType },
        json: body,
        // Feishu ignores a member already added, and one already removed: running twice is safe.
        idempotent: true,
      },
      options,
    );
    return envelope.data!.task;
  }
}
