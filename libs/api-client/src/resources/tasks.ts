import type { CreateTaskBody, Task, TaskData, UserIdType } from '../wire/index.js';
import type { CallOptions, Transport } from '../core/transport.js';
import { checkGuid } from '../internal/guid.js';
import { path } from '../internal/path.js';

export interface TaskCallOptions extends CallOptions {
  /** How user ids are written in the answer. @default 'open_id' */
  userIdType?: UserIdType;
}

/** The minimal Task v2 calls that attachments need. */
export class Tasks {
  constructor(private readonly transport: Transport) {}

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

  async delete(taskGuid: string, options: CallOptions = {}): Promise<void> {
    checkGuid(taskGuid, 'taskGuid');
    await this.transport.request(
      { method: 'DELETE', path: path`/open-apis/task/v2/tasks/${taskGuid}` },
      options,
    );
  }
}
