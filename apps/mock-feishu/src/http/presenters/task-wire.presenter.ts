import { Injectable } from '@nestjs/common';
import type { Task, UserIdType } from '@feishu-attachments/api-client/wire';
import { AttachmentsService } from '../../core/attachments/attachments.service.js';
import { TasksService } from '../../core/tasks/tasks.service.js';
import type { TaskRecord } from '../../core/tasks/task.js';
import { FeishuWirePresenter } from './feishu-wire.presenter.js';

/**
 * Tasks as every task route answers them: each with its attachments (without URLs) and its
 * `subtask_count`, gathered here so the routes that answer a task, or a page of them, agree.
 */
@Injectable()
export class TaskWirePresenter {
  constructor(
    private readonly tasks: TasksService,
    private readonly attachments: AttachmentsService,
    private readonly presenter: FeishuWirePresenter,
  ) {}

  async one(record: TaskRecord, userIdType: UserIdType): Promise<Task> {
    return (await this.many([record], userIdType))[0];
  }

  async many(records: readonly TaskRecord[], userIdType: UserIdType): Promise<Task[]> {
    const counts = await this.tasks.subtaskCounts(records.map((record) => record.guid));
    return Promise.all(
      records.map(async (record) =>
        this.presenter.task(
          record,
          await this.attachments.allOf(record.guid),
          userIdType,
          counts.get(record.guid) ?? 0,
        ),
      ),
    );
  }
}
