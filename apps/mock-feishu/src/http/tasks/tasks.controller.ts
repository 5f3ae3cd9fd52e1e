import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  FeishuPath,
  type FeishuEnvelope,
  type Page,
  type Task,
  type TaskData,
} from '@feishu-attachments/api-client/wire';
import { principalOf, sandboxOf } from '../request/request-context.js';
import { parseGuid } from '../request/guid.js';
import { FeishuOperation, OperationScopes, UserTokenOnly } from '../gateway/feishu-operation.decorator.js';
import { presentersOf } from '../presenters/sandbox-presenters.js';
import { ok } from '../presenters/envelope.js';
import { parseUserIdType } from '../request/user-id-type.js';
import { parseCreateTask, parsePatchTask, parseTaskMembers } from './task.params.js';
import { parseListMyTasks } from './task-list.params.js';

/** The use case and presenter of the sandbox the gateway found for the call's token. */
function on(req: Request) {
  const sandbox = sandboxOf(req);
  return { tasks: sandbox.tasks, presenter: presentersOf(sandbox).tasks };
}

@Controller()
export class TasksController {
  @Post(FeishuPath.Tasks)
  @HttpCode(200)
  @FeishuOperation('task.create', OperationScopes.taskWrite)
  async create(
    @Req() req: Request,
    @Body() body: unknown,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<TaskData>> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const task = await on(req).tasks.create(principalOf(req), parseCreateTask(body, userIdType));
    return ok({ task: await on(req).presenter.one(task, userIdType) });
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
    const page = await on(req).tasks.listMine(principalOf(req), parseListMyTasks(query));
    return ok({
      items: await on(req).presenter.many(page.items, userIdType),
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
    const task = await on(req).tasks.getReadable(principalOf(req), parseGuid(guid, 'task_guid'));
    return ok({ task: await on(req).presenter.one(task, userIdType) });
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
    const task = await on(req).tasks.patch(principalOf(req), taskGuid, parsePatchTask(body));
    return ok({ task: await on(req).presenter.one(task, userIdType) });
  }

  @Delete(FeishuPath.Task)
  @FeishuOperation('task.delete', OperationScopes.taskWrite)
  async delete(@Req() req: Request, @Param('task_guid') guid: string): Promise<FeishuEnvelope<object>> {
    await on(req).tasks.delete(principalOf(req), parseGuid(guid, 'task_guid'));
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
    const task = await on(req).tasks.addMembers(
      principalOf(req),
      taskGuid,
      parseTaskMembers(body, userIdType),
    );
    return ok({ task: await on(req).presenter.one(task, userIdType) });
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
    const task = await on(req).tasks.removeMembers(
      principalOf(req),
      taskGuid,
      parseTaskMembers(body, userIdType),
    );
    return ok({ task: await on(req).presenter.one(task, userIdType) });
  }
}
