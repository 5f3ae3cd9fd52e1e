import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Task } from '@feishu-attachments/api-client';
import { z } from 'zod';
import { AttachmentDto, toAttachmentDto } from '../attachments/attachment.dto.js';
import { isoTime, MemberDto, toMemberDto } from '../common/member.dto.js';

/** Feishu's limits on a task's text (task-v2/task/create). */
const MAX_SUMMARY = 3000;
const MAX_DESCRIPTION = 3000;

export const createTaskSchema = z
  .object({
    summary: z
      .string({ error: 'summary is required and must be a string' })
      .refine((value) => value.trim() !== '', 'summary must not be empty')
      .refine(
        (value) => [...value].length <= MAX_SUMMARY,
        `summary must be at most ${MAX_SUMMARY} characters`,
      ),
    description: z
      .string({ error: 'description must be a string' })
      .refine(
        (value) => [...value].length <= MAX_DESCRIPTION,
        `description must be at most ${MAX_DESCRIPTION} characters`,
      )
      .optional(),
  })
  .strict();

export class CreateTaskDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_SUMMARY, example: 'Quarterly report' })
  summary: string;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION, example: 'Figures for Q3' })
  description?: string;
}

export class TaskDto {
  @ApiProperty({ format: 'uuid' })
  guid: string;

  @ApiProperty({ example: 't100001' })
  taskId: string;

  @ApiProperty()
  summary: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ enum: ['todo', 'done'] })
  status: 'todo' | 'done';

  @ApiProperty({ type: () => MemberDto })
  creator: MemberDto;

  @ApiProperty({ type: () => MemberDto, isArray: true })
  members: MemberDto[];

  @ApiProperty({ type: () => AttachmentDto, isArray: true })
  attachments: AttachmentDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  createdAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  updatedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while not done' })
  completedAt: string | null;

  @ApiProperty({ description: "the task in Feishu's apps" })
  appLink: string;
}

export function toTaskDto(task: Task): TaskDto {
  return {
    guid: task.guid,
    taskId: task.task_id,
    summary: task.summary,
    description: task.description ?? '',
    status: task.status,
    creator: toMemberDto(task.creator),
    members: (task.members ?? []).map(toMemberDto),
    attachments: (task.attachments ?? []).map(toAttachmentDto),
    createdAt: isoTime(task.created_at),
    updatedAt: isoTime(task.updated_at),
    completedAt: isoTime(task.completed_at),
    appLink: task.url,
  };
}
