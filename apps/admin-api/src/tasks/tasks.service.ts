import { Inject, Injectable } from '@nestjs/common';
import type { CallOptions, FeishuClient } from '@feishu-attachments/api-client';
import { FEISHU_CLIENT } from '../feishu/feishu-client.provider.js';
import { toTaskDto, type CreateTaskDto, type TaskDto } from './task.dto.js';

/** Task use cases: what operators do with tasks, in this service's own shapes. */
@Injectable()
export class TasksService {
  constructor(@Inject(FEISHU_CLIENT) private readonly feishu: FeishuClient) {}

  async create(body: CreateTaskDto, call: CallOptions): Promise<TaskDto> {
    return toTaskDto(await this.feishu.tasks.create(body, call));
  }

  async get(taskGuid: string, call: CallOptions): Promise<TaskDto> {
    return toTaskDto(await this.feishu.tasks.get(taskGuid, call));
  }
}
