import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  FeishuPath,
  type FeishuEnvelope,
  type Page,
  type Task,
  type TaskData,
} from '@feishu-attachments/api-client/wire';
import { principalOf } from '../request/request-context.js';
import { parseGuid } from '../request/guid.js';
import { FeishuOperation, OperationScopes, UserTokenOnly } from '../gateway/feishu-operation.decorator.js';
import { TaskWirePresenter } from '../presenters/task-wire.presenter.js';
import { ok } from '../presenters/envelope.js';
import { parseUserIdType } from '../request/user-id-type.js';
import { TasksService } from '../../core/tasks/tasks.service.js';
import { parseCreateTask, parsePatchTask, parseTaskMembers } from './task.params.js';
import { parseListMyTasks } from './task-list.params.js';

@Controller()
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly presenter: TaskWirePresenter,
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
    return ok({ task: await this.presenter.one(task, userIdType) });
  }

  /** Feishu: the calling user's tasks (task-v2/task/list); a tenant token is refused by the gateway. */
  @Get(FeishuPath.Tasks)
  @FeishuOperation('task.list', OperationScopes.taskRead)
  @UserTokenOnly()
  async list(
    @Req() req: Request,
    @Query() query: Record<string, unknown>,
  ): Promise<FeishuEnvelope<Page<Task>>> {
    const userIdType = parseUserIdType(query.user_id_type);
    const page = await this.tasks.listMine(principalOf(req), parseListMyTasks(query));
    return ok({
      items: await this.presenter.many(page.items, userIdType),
      has_more: page.hasMore,
      ...(page.pageToken === undefined ? {} : { page_token: page.pageToken }),
    });
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
    return ok({ task: await this.presenter.one(task, userIdType) });
  }

  @Patch(FeishuPath.Task)
  @FeishuOperation('task.patch', OperationScopes.taskWrite)
  async patch(
    @Req() req: Request,
    @Param('task_guid') guid: string,
    @Body() body: unknown,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<TaskData>> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const taskGuid = parseGuid(guid, 'task_guid');
    const task = await this.tasks.patch(principalOf(req), taskGuid, parsePatchTask(body));
    return ok({ task: await this.presenter.one(task, userIdType) });
  }

  @Delete(FeishuPath.Task)
  @FeishuOperation('task.delete', OperationScopes.taskWrite)
  async delete(@Req() req: Request, @Param('task_guid') guid: string): Promise<FeishuEnvelope<object>> {
    await this.tasks.delete(principalOf(req), parseGuid(guid, 'task_guid'));
    return ok({});
  }

  @Post(FeishuPath.TaskAddMembers)
  @HttpCode(200)
  @FeishuOperation('task.addMembers', OperationScopes.taskWrite)
  async addMembers(
    @Req() req: Request,
    @Param('task_guid') guid: string,
    @Body() body: unknown,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<TaskData>> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const taskGuid = parseGuid(guid, 'task_guid');
    const task = await this.tasks.addMembers(principalOf(req), taskGuid, parseTaskMembers(body, userIdType));
    return ok({ task: await this.presenter.one(task, userIdType) });
  }

  @Post(FeishuPath.TaskRemoveMembers)
  @HttpCode(200)
  @FeishuOperation('task.removeMembers', OperationScopes.taskWrite)
  async removeMembers(
    @Req() req: Request,
    @Param('task_guid') guid: string,
    @Body() body: unknown,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<TaskData>> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const taskGuid = parseGuid(guid, 'task_guid');
    const task = await this.tasks.removeMembers(
      principalOf(req),
      taskGuid,
      parseTaskMembers(body, userIdType),
    );
    return ok({ task: await this.presenter.one(task, userIdType) });
  }
}
