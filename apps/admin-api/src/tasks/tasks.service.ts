import { ConflictException, Inject, Injectable } from '@nestjs/common';
import {
  isFeishuApiError,
  type CallOptions,
  type FeishuClient,
  type TaskMemberInput,
} from '@feishu-attachments/api-client';
import { FEISHU_CLIENT } from '../feishu/feishu-client.provider.js';
import { toTaskDto, type CreateTaskDto, type TaskDto } from './task.dto.js';
import { toPatchBody, type PatchTaskDto } from './task-patch.dto.js';

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

  async change(taskGuid: string, change: PatchTaskDto, call: CallOptions): Promise<TaskDto> {
    return toTaskDto(await this.feishu.tasks.patch(taskGuid, toPatchBody(change), call));
  }

  /**
   * Completes the task now. Feishu refuses to complete a completed task (a 400); when it refuses,
   * the task is read, and if it is done the answer is a 409 that says so rather than Feishu's 400,
   * which would blame the request. Any other refusal is Feishu's, as it is.
   */
  async complete(taskGuid: string, call: CallOptions): Promise<TaskDto> {
    try {
      return toTaskDto(
        await this.feishu.tasks.patch(
          taskGuid,
          { task: { completed_at: String(Date.now()) }, update_fields: ['completed_at'] },
          call,
        ),
      );
    } catch (error) {
      if (isFeishuApiError(error) && error.httpStatus === 400) {
        // Reading it is only to explain the refusal: if that fails too, Feishu's refusal stands.
        const task = await this.feishu.tasks.get(taskGuid, call).catch(() => undefined);
        if (task?.status === 'done') {
          throw new ConflictException(`Task ${taskGuid} is already completed; reopen it first.`);
        }
      }
      throw error;
    }
  }

  /** Reopens the task; reopening an open task changes nothing and answers it as it is. */
  async reopen(taskGuid: string, call: CallOptions): Promise<TaskDto> {
    return toTaskDto(
      await this.feishu.tasks.patch(
        taskGuid,
        { task: { completed_at: '0' }, update_fields: ['completed_at'] },
        call,
      ),
    );
  }

  async addMembers(taskGuid: string, members: TaskMemberInput[], call: CallOptions): Promise<TaskDto> {
    return toTaskDto(await this.feishu.tasks.addMembers(taskGuid, { members }, call));
  }

  async removeMembers(taskGuid: string, members: TaskMemberInput[], call: CallOptions): Promise<TaskDto> {
    return toTaskDto(await this.feishu.tasks.removeMembers(taskGuid, { members }, call));
  }
}
