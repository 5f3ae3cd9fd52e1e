import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  FeishuPath,
  type FeishuEnvelope,
  type TaskData,
  type UserIdType,
} from '@feishu-attachments/api-client/wire';
import { principalOf } from '../request/request-context.js';
import { parseGuid } from '../request/guid.js';
import { FeishuOperation, OperationScopes } from '../gateway/feishu-operation.decorator.js';
import { FeishuWirePresenter } from '../presenters/feishu-wire.presenter.js';
import { ok } from '../presenters/envelope.js';
import { parseUserIdType } from '../request/user-id-type.js';
import { AttachmentsService } from '../../core/attachments/attachments.service.js';
import { TasksService } from '../../core/tasks/tasks.service.js';
import type { TaskRecord } from '../../core/tasks/task.js';
import { parseCreateTask } from './task.params.js';

@Controller()
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly attachments: AttachmentsService,
    private readonly presenter: FeishuWirePresenter,
  ) {}

  @Post(FeishuPath.Tasks)
  @HttpCode(200)
  @FeishuOperation('task.create', OperationScopes.taskWrite)
  async create(
    @Req() req: Request,
    @Body() body: unknown,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<TaskData>> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const task = await this.tasks.create(principalOf(req), parseCreateTask(body, userIdType));
    return ok({ task: await this.present(task, userIdType) });
  }

  @Get(FeishuPath.Task)
  @FeishuOperation('task.get', OperationScopes.taskRead)
  async get(
    @Req() req: Request,
    @Param('task_guid') guid: string,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<TaskData>> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const task = await this.tasks.getReadable(principalOf(req), parseGuid(guid, 'task_guid'));
    return ok({ task: await this.present(task, userIdType) });
  }

  @Delete(FeishuPath.Task)
  @FeishuOperation('task.delete', OperationScopes.taskWrite)
  async delete(@Req() req: Request, @Param('task_guid') guid: string): Promise<FeishuEnvelope<object>> {
    await this.tasks.delete(principalOf(req), parseGuid(guid, 'task_guid'));
    return ok({});
  }

  private async present(task: TaskRecord, userIdType: UserIdType) {
    return this.presenter.task(task, await this.attachments.allOf(task.guid), userIdType);
  }
}
