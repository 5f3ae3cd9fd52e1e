import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Task, TaskTime } from '@feishu-attachments/api-client';
import { z } from 'zod';
import { AttachmentDto, toAttachmentDto } from '../attachments/attachment.dto.js';
import { isoTime, MemberDto, toMemberDto } from '../common/member.dto.js';

/** Feishu's limits on a task's text (task-v2/task/create). */
export const MAX_SUMMARY = 3000;
export const MAX_DESCRIPTION = 3000;

/** A task's summary, as create and change take it. */
export const summarySchema = z
  .string({
    // A change may leave the summary out; only a create, where it is missing, calls it required.
    error: (issue) =>
      issue.input === undefined ? 'summary is required and must be a string' : 'summary must be a string',
  })
  .refine((value) => value.trim() !== '', 'summary must not be empty')
  .refine((value) => [...value].length <= MAX_SUMMARY, `summary must be at most ${MAX_SUMMARY} characters`);

/** A task's description; empty is allowed (Feishu stores no description as ""). */
export const descriptionSchema = z
  .string({ error: 'description must be a string' })
  .refine(
    (value) => [...value].length <= MAX_DESCRIPTION,
    `description must be at most ${MAX_DESCRIPTION} characters`,
  );

export const createTaskSchema = z
  .object({ summary: summarySchema, description: descriptionSchema.optional() })
  .strict();

export class CreateTaskDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_SUMMARY, example: 'Quarterly report' })
  summary: string;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION, example: 'Figures for Q3' })
  description?: string;
}

/** When a task is due: a moment, or a whole day (`allDay`, the day of `at`). */
export class DueDto {
  @ApiProperty({ format: 'date-time', example: '2026-01-30T18:00:00.000Z' })
  at: string;

  @ApiProperty({ description: 'due on the day of `at`, not at its time' })
  allDay: boolean;
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

  @ApiProperty({ type: () => DueDto, nullable: true, description: 'null when the task has no due time' })
  due: DueDto | null;

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
    due: toDueDto(task.due),
    completedAt: isoTime(task.completed_at),
    appLink: task.url,
  };
}

function toDueDto(due: TaskTime | undefined): DueDto | null {
  const at = isoTime(due?.timestamp);
  return at === null ? null : { at, allDay: due?.is_all_day === true };
}
