import { z } from 'zod';
import {
  MAX_TASK_DESCRIPTION_LENGTH,
  MAX_TASK_EXTRA_LENGTH,
  MAX_TASK_MEMBERS,
  MAX_TASK_REMINDERS,
  MAX_TASK_SUMMARY_LENGTH,
} from '@feishu-attachments/api-client/wire';

/*
 * The task fields `POST /__mock/tasks` takes, in Feishu's own spelling and within Feishu's limits,
 * so a test seeds a task as task create would make it. Nested objects are Feishu's shapes; the
 * seeder then applies the rules task create applies (a reminder needs a due time, a start is not
 * after the due time). Like control-plane.schemas.ts, these are also the documented contract.
 */

const shortText = z.string().min(1).max(256);
const guid = z.guid().meta({ description: 'A GUID.' });
const millis = z
  .string()
  .regex(/^\d{1,16}$/, 'must be milliseconds since the epoch, as a string of digits')
  .meta({ description: 'Milliseconds since the epoch, as a string (as Feishu writes times).' });
/** One text per language, as Feishu writes `origin` names and completion tips. */
export const SeedI18nText = z
  .object({
    en_us: z.string().optional(),
    zh_cn: z.string().optional(),
    zh_hk: z.string().optional(),
    zh_tw: z.string().optional(),
    ja_jp: z.string().optional(),
    fr_fr: z.string().optional(),
    it_it: z.string().optional(),
    de_de: z.string().optional(),
    ru_ru: z.string().optional(),
    th_th: z.string().optional(),
    es_es: z.string().optional(),
    ko_kr: z.string().optional(),
  })
  .strict();
/** A due or start time. */
export const SeedTaskTime = z
  .object({ timestamp: millis, is_all_day: z.boolean().optional().meta({ default: false }) })
  .strict();
/** Bounds the lists Feishu states none for, as every control-plane input is bounded. */
const MAX_SEEDED_ENTRIES = 50;
const completeItem = z.object({ href: z.string().optional(), tip: SeedI18nText.optional() }).strict();

export const SeedTaskFields = {
  summary: z
    .string()
    .min(1)
    .max(MAX_TASK_SUMMARY_LENGTH)
    .refine((summary) => summary.trim() !== '', 'must not be blank')
    .meta({ description: `Non-blank, at most ${MAX_TASK_SUMMARY_LENGTH} characters.` }),
  description: z
    .string()
    .max(MAX_TASK_DESCRIPTION_LENGTH)
    .optional()
    .meta({ description: `At most ${MAX_TASK_DESCRIPTION_LENGTH} characters.` }),
  creator_open_id: shortText
    .optional()
    .meta({ description: 'The creating user. Omitted means the default app creates the task.' }),
  members: z
    .array(
      z
        .object({
          open_id: shortText.optional().meta({ description: 'A user created with `POST /__mock/users`.' }),
          app_id: shortText.optional().meta({ description: 'An app; give `open_id` or `app_id`, not both.' }),
          role: z.enum(['assignee', 'follower']),
        })
        .strict()
        .refine((member) => (member.open_id === undefined) !== (member.app_id === undefined), {
          message: 'give open_id or app_id, not both',
        })
        .meta({ oneOf: [{ required: ['open_id'] }, { required: ['app_id'] }] }),
    )
    .max(MAX_TASK_MEMBERS)
    .optional()
    .meta({ description: `Assignees and followers; at most ${MAX_TASK_MEMBERS}.` }),
  parent_task_guid: guid
    .optional()
    .meta({ description: 'Seeds the task as a subtask of this existing task.' }),
  due: SeedTaskTime.optional(),
  start: SeedTaskTime.optional().meta({ description: 'Not later than `due`.' }),
  completed_at: millis
    .optional()
    .meta({ description: 'When the task was completed; `"0"` or omitted: not completed (`status: todo`).' }),
  extra: z
    .string()
    .max(MAX_TASK_EXTRA_LENGTH)
    .optional()
    .meta({ description: `Any data, echoed as given; at most ${MAX_TASK_EXTRA_LENGTH} characters.` }),
  repeat_rule: z.string().max(1000).optional().meta({ description: 'An RRULE, stored as given.' }),
  custom_complete: z
    .object({ pc: completeItem.optional(), ios: completeItem.optional(), android: completeItem.optional() })
    .strict()
    .optional(),
  origin: z
    .object({
      platform_i18n_name: SeedI18nText.optional(),
      href: z.object({ url: z.string().optional(), title: z.string().optional() }).strict().optional(),
    })
    .strict()
    .optional(),
  mode: z
    .union([z.literal(1), z.literal(2)])
    .optional()
    .meta({ description: '1: every assignee completes it; 2: any one of them may.' }),
  is_milestone: z.boolean().optional(),
  reminders: z
    .array(z.object({ relative_fire_minute: z.number().int().min(0) }).strict())
    .max(MAX_TASK_REMINDERS)
    .optional()
    .meta({ description: 'Minutes before `due` (which it needs); at most one.' }),
  tasklists: z
    .array(z.object({ tasklist_guid: guid, section_guid: guid.optional() }).strict())
    .max(MAX_SEEDED_ENTRIES)
    .optional()
    .meta({ description: 'Stored and echoed as given: the emulator has no tasklists.' }),
  custom_fields: z
    .array(
      z
        .object({
          guid,
          number_value: z.string().optional(),
          datetime_value: z.string().optional(),
          single_select_value: z.string().optional(),
          multi_select_value: z.array(z.string()).optional(),
          text_value: z.string().optional(),
          member_value: z
            .array(
              z
                .object({
                  id: shortText,
                  type: z.enum(['user', 'app']).default('user'),
                  name: z.string().optional(),
                })
                .strict(),
            )
            .optional(),
        })
        .strict(),
    )
    .max(MAX_SEEDED_ENTRIES)
    .optional()
    .meta({ description: 'Stored and echoed as given: the emulator has no custom fields.' }),
};
