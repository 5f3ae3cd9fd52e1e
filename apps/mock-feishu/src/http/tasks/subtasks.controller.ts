import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  FeishuPath,
  type FeishuEnvelope,
  type Page,
  type SubtaskData,
  type Task,
} from '@feishu-attachments/api-client/wire';
import { principalOf, sandboxOf } from '../request/request-context.js';
import { parseGuid } from '../request/guid.js';
import { FeishuOperation, OperationScopes } from '../gateway/feishu-operation.decorator.js';
import { presentersOf } from '../presenters/sandbox-presenters.js';
import { ok } from '../presenters/envelope.js';
import { parseUserIdType } from '../request/user-id-type.js';
import { parseCreateTask } from './task.params.js';
import { parseTaskPage } from './task-list.params.js';

/** Feishu's `task.v2.taskSubtask`: a subtask is a task with a parent, made and listed under it. */
/** The use case and presenter of the sandbox the gateway found for the call's token. */
function on(req: Request) {
  const sandbox = sandboxOf(req);
  return { tasks: sandbox.tasks, presenter: presentersOf(sandbox).tasks };
}

@Controller()
export class SubtasksController {
  /** Feishu: the create body, answered as `data.subtask` (task-v2/task-subtask/create). */
  @Post(FeishuPath.TaskSubtasks)
  @HttpCode(200)
  @FeishuOperation('subtask.create', OperationScopes.taskWrite)
  async create(
    @Req() req: Request,
    @Param('task_guid') guid: string,
    @Body() body: unknown,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<SubtaskData>> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const parentGuid = parseGuid(guid, 'task_guid');
    const subtask = await on(req).tasks.createSubtask(
      principalOf(req),
      parentGuid,
      parseCreateTask(body, userIdType),
    );
    return ok({ subtask: await on(req).presenter.one(subtask, userIdType) });
  }

  /** Feishu: the parent's subtasks, paged like every list, oldest first (assumed: the app shows a drag order). */
  @Get(FeishuPath.TaskSubtasks)
  @FeishuOperation('subtask.list', OperationScopes.taskRead)
  async list(
    @Req() req: Request,
    @Param('task_guid') guid: string,
    @Query() query: Record<string, unknown>,
  ): Promise<FeishuEnvelope<Page<Task>>> {
    const userIdType = parseUserIdType(query.user_id_type);
    const parentGuid = parseGuid(guid, 'task_guid');
    const page = await on(req).tasks.listSubtasks(principalOf(req), parentGuid, parseTaskPage(query));
    return ok({
      items: await on(req).presenter.many(page.items, userIdType),
      has_more: page.hasMore,
      ...(page.pageToken === undefined ? {} : { page_token: page.pageToken }),
    });
  }
}
