import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PatchableTaskField, PatchTaskBody, TaskInput } from '@feishu-attachments/api-client';
import { z } from 'zod';
import { descriptionSchema, MAX_DESCRIPTION, MAX_SUMMARY, summarySchema } from './task.dto.js';

const AT_MESSAGE = 'must be an ISO 8601 date-time with a time zone, like 2026-01-30T18:00:00Z';

const dueSchema = z
  .object(
    {
      at: z.iso
        .datetime({ offset: true, error: AT_MESSAGE })
        // Feishu writes times as milliseconds since 1970 in a string: nothing earlier is a due time.
        .refine((value) => Date.parse(value) > 0, 'must be after 1970-01-01T00:00:00Z'),
      allDay: z.boolean({ error: 'must be true or false' }).optional(),
    },
    { error: 'due must be an object {at, allDay?}, or null to clear it' },
  )
  .strict();

export const patchTaskSchema = z
  .object({
    summary: summarySchema.optional(),
    description: descriptionSchema.optional(),
    due: dueSchema.nullable().optional(),
  })
  .strict()
  .refine(
    (body) => Object.keys(body).length > 0,
    'name at least one of summary, description, due (complete and reopen have routes of their own)',
  );

export class DueInputDto {
  @ApiProperty({ format: 'date-time', example: '2026-01-30T18:00:00Z', description: 'with a time zone' })
  at: string;

  @ApiPropertyOptional({ default: false, description: 'due on the day of `at`, not at its time' })
  allDay?: boolean;
}

/** A change to a task: only the fields given change. */
export class PatchTaskDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_SUMMARY, example: 'Quarterly report, final' })
  summary?: string;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION, description: '"" clears it', example: 'Figures for Q3' })
  description?: string;

  @ApiPropertyOptional({ type: () => DueInputDto, nullable: true, description: 'null clears it' })
  due?: DueInputDto | null;
}

/** Feishu's patch: every field given is named in `update_fields`; a due of null is named and left out, which clears it. */
export function toPatchBody(change: PatchTaskDto): PatchTaskBody {
  const task: TaskInput = {};
  const fields: PatchableTaskField[] = [];
  if (change.summary !== undefined) {
    task.summary = change.summary;
    fields.push('summary');
  }
  if (change.description !== undefined) {
    task.description = change.description;
    fields.push('description');
  }
  if (change.due !== undefined) {
    fields.push('due');
    if (change.due !== null) {
      task.due = { timestamp: String(Date.parse(change.due.at)), is_all_day: change.due.allDay ?? false };
    }
  }
  return { task, update_fields: fields };
}
