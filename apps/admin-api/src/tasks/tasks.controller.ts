import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { CallOptions } from '@feishu-attachments/api-client';
import { FeishuCall } from '../auth/feishu-call.decorator.js';
import { FeishuBackedRoutes } from '../common/api-docs.decorators.js';
import { GuidPipe, ZodPipe } from '../common/validation.pipes.js';
import { ErrorBodyDto } from '../errors/error.dto.js';
import { createTaskSchema, CreateTaskDto, TaskDto } from './task.dto.js';
import { patchTaskSchema, PatchTaskDto } from './task-patch.dto.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@FeishuBackedRoutes()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a task',
    description: 'Created by the app, or by the user of X-Feishu-User-Access-Token.',
  })
  @ApiBody({ type: CreateTaskDto })
  @ApiCreatedResponse({ type: TaskDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'A missing or empty summary, or an unknown field',
  })
  async create(
    @Body(new ZodPipe(createTaskSchema, 'body')) body: CreateTaskDto,
    @FeishuCall() call: CallOptions,
  ): Promise<TaskDto> {
    return this.tasks.create(body, call);
  }

  @Get(':taskGuid')
  @ApiOperation({ summary: 'Get a task, with its attachments' })
  @ApiParam({ name: 'taskGuid', format: 'uuid' })
  @ApiOkResponse({ type: TaskDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'taskGuid is not a GUID' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'The caller may not read this task' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such task' })
  async get(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @FeishuCall() call: CallOptions,
  ): Promise<TaskDto> {
    return this.tasks.get(taskGuid, call);
  }

  @Patch(':taskGuid')
  @ApiOperation({
    summary: "Change a task's summary, description or due time",
    description:
      'Only the fields given change; `"description": ""` and `"due": null` clear them. Completing and reopening have routes of their own.',
  })
  @ApiParam({ name: 'taskGuid', format: 'uuid' })
  @ApiBody({ type: PatchTaskDto })
  @ApiOkResponse({ type: TaskDto, description: 'the task as it now is' })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'taskGuid is not a GUID; no field, an unknown field, or a field Feishu would refuse',
  })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'The caller may not edit this task' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such task' })
  async change(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @Body(new ZodPipe(patchTaskSchema, 'body')) body: PatchTaskDto,
    @FeishuCall() call: CallOptions,
  ): Promise<TaskDto> {
    return this.tasks.change(taskGuid, body, call);
  }

  @Post(':taskGuid/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a task', description: 'The whole task, now; no body.' })
  @ApiParam({ name: 'taskGuid', format: 'uuid' })
  @ApiOkResponse({ type: TaskDto, description: 'the task, done' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'taskGuid is not a GUID' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'The caller may not edit this task' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such task' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'The task is already completed' })
  async complete(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @FeishuCall() call: CallOptions,
  ): Promise<TaskDto> {
    return this.tasks.complete(taskGuid, call);
  }

  @Post(':taskGuid/reopen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reopen a task', description: 'An open task stays as it is; no body.' })
  @ApiParam({ name: 'taskGuid', format: 'uuid' })
  @ApiOkResponse({ type: TaskDto, description: 'the task, open' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'taskGuid is not a GUID' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'The caller may not edit this task' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such task' })
  async reopen(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @FeishuCall() call: CallOptions,
  ): Promise<TaskDto> {
    return this.tasks.reopen(taskGuid, call);
  }
}
