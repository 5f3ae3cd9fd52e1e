import { Body, Controller, Delete, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { CallOptions } from '@feishu-attachments/api-client';
import { FeishuCall } from '../auth/feishu-call.decorator.js';
import { FeishuBackedRoutes } from '../common/api-docs.decorators.js';
import { GuidPipe, PatternPipe, ZodPipe } from '../common/validation.pipes.js';
import { ErrorBodyDto } from '../errors/error.dto.js';
import { TaskDto } from './task.dto.js';
import {
  AddMembersDto,
  addMembersSchema,
  MEMBER_ID,
  MEMBER_ID_MESSAGE,
  removalOf,
  removeMemberQuerySchema,
  toMemberInputs,
  type RemoveMemberQuery,
} from './task-members.dto.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@FeishuBackedRoutes()
@ApiParam({ name: 'taskGuid', format: 'uuid' })
@ApiForbiddenResponse({ type: ErrorBodyDto, description: 'The caller may not edit this task' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such task' })
@Controller('tasks/:taskGuid/members')
export class TaskMembersController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add assignees or followers to a task',
    description:
      'Users by open_id (ou_…), apps by app id (cli_…). A member already there in that role is left as it is.',
  })
  @ApiBody({ type: AddMembersDto })
  @ApiOkResponse({ type: TaskDto, description: 'the task with its members' })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description:
      'taskGuid is not a GUID; no member, more than 50, a bad id or role, or a user Feishu does not know',
  })
  async add(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @Body(new ZodPipe(addMembersSchema, 'body')) body: AddMembersDto,
    @FeishuCall() call: CallOptions,
  ): Promise<TaskDto> {
    return this.tasks.addMembers(taskGuid, toMemberInputs(body.members), call);
  }

  @Delete(':memberId')
  @ApiOperation({
    summary: 'Remove a member from a task',
    description:
      'In the `role` given, or in every role it holds when none is. A member that is not on the task is not an error.',
  })
  @ApiParam({ name: 'memberId', description: "a user's open_id (ou_…) or an app id (cli_…)" })
  @ApiQuery({ name: 'role', required: false, enum: ['assignee', 'follower'] })
  @ApiOkResponse({ type: TaskDto, description: 'the task with its remaining members' })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'taskGuid is not a GUID, memberId is not an open_id or app id, or a bad role',
  })
  async remove(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @Param('memberId', new PatternPipe('memberId', MEMBER_ID, MEMBER_ID_MESSAGE))
    memberId: string,
    @Query(new ZodPipe(removeMemberQuerySchema, 'query')) query: RemoveMemberQuery,
    @FeishuCall() call: CallOptions,
  ): Promise<TaskDto> {
    return this.tasks.removeMembers(taskGuid, removalOf(memberId, query), call);
  }
}
