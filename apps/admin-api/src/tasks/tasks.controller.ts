import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
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
}
