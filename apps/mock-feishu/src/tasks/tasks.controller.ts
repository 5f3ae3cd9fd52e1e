import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { FeishuPath, type FeishuEnvelope, type TaskData } from '@feishu-attachments/api-client/wire';
import { principalOf } from '../common/request-context.js';
import { parseGuid } from '../common/guid.js';
import { FeishuOperation, OperationScopes } from '../gateway/feishu-operation.decorator.js';
import { FeishuWirePresenter } from '../presentation/feishu-wire.presenter.js';
import { ok } from '../presentation/envelope.js';
import { parseUserIdType } from '../attachments/attachment.js';
import { AttachmentRepository } from '../attachments/attachment.repository.js';
import { TasksService } from './tasks.service.js';
import type { TaskRecord } from './task.js';
import type { UserIdType } from '@feishu-attachments/api-client/wire';

@Controller()
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly attachments: AttachmentRepository,
    private readonly presenter: FeishuWirePresenter,
  ) {}

  @Post(FeishuPath.Tasks)
  @HttpCode(200)
  @FeishuOperation('task.create', OperationScopes.taskWrite)
  create(
    @Req() req: Request,
    @Body() body: unknown,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): FeishuEnvelope<TaskData> {
    const userIdType = parseUserIdType(userIdTypeParam);
    return ok({ task: this.present(this.tasks.create(principalOf(req), body, userIdType), userIdType) });
  }

  @Get(FeishuPath.Task)
  @FeishuOperation('task.get', OperationScopes.taskRead)
  get(
    @Req() req: Request,
    @Param('task_guid') guid: string,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): FeishuEnvelope<TaskData> {
    const userIdType = parseUserIdType(userIdTypeParam);
    return ok({
      task: this.present(this.tasks.getReadable(principalOf(req), parseGuid(guid, 'task_guid')), userIdType),
    });
  }

  @Delete(FeishuPath.Task)
  @FeishuOperation('task.delete', OperationScopes.taskWrite)
  async delete(@Req() req: Request, @Param('task_guid') guid: string): Promise<FeishuEnvelope<object>> {
    await this.tasks.delete(principalOf(req), parseGuid(guid, 'task_guid'));
    return ok({});
  }

  private present(task: TaskRecord, userIdType: UserIdType) {
    return this.presenter.task(task, this.attachments.listAll(task.guid), userIdType);
  }
}
