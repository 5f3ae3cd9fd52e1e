import {
  CLIENT_TOKEN_MAX_LENGTH,
  CLIENT_TOKEN_MIN_LENGTH,
  MAX_TASK_DESCRIPTION_LENGTH,
  MAX_TASK_EXTRA_LENGTH,
  MAX_TASK_REMINDERS,
  MAX_TASK_SUMMARY_LENGTH,
  TASK_MEMBER_ROLES,
  type I18nText,
  type TaskCustomComplete,
  type TaskCustomCompleteItem,
  type TaskInTasklist,
  type TaskMemberRole,
  type TaskOrigin,
  type TaskTime,
} from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import type { TaskCustomFieldRecord } from '../../core/tasks/task.js';
import type { MemberRef } from '../../core/tasks/task.commands.js';

// One parser per field of Feishu's task input (oapi-sdk-go `InputTask`): wire values into the
// core's types, refusing what Feishu documents as invalid with 400/1470400 naming the field.
// `null` counts as absent, as the official SDKs leave unset fields out. Nested objects keep only
// the keys Feishu models, so what is stored is what a get can echo.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown): value is undefined | null => value === undefined || value === null;
const length = (text: string) => [...text].length;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MILLIS = /^\d{1,16}$/;
const I18N_KEYS = [
  'en_us',
  'zh_cn',
  'zh_hk',
  'zh_tw',
  'ja_jp',
  'fr_fr',
  'it_it',
  'de_de',
  'ru_ru',
  'th_th',
  'es_es',
  'ko_kr',
] as const;

function objectOf(name: string, value: unknown): Json {
  if (!isObject(value)) throw FeishuErrors.invalidParam(name, 'must be an object');
  return value;
}

function arrayOf(name: string, value: unknown): unknown[] {
  if (absent(value)) return [];
  if (!Array.isArray(value)) throw FeishuErrors.invalidParam(name, 'must be an array');
  return value;
}

function stringOf(name: string, value: unknown, max?: number): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'string') throw FeishuErrors.invalidParam(name, 'must be a string');
  if (max !== undefined && length(value) > max) {
    throw FeishuErrors.invalidParam(name, `must be at most ${max} characters`);
  }
  return value;
}

function booleanOf(name: string, value: unknown): boolean | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'boolean') throw FeishuErrors.invalidParam(name, 'must be true or false');
  return value;
}

function guidOf(name: string, value: unknown): string {
  if (typeof value !== 'string' || !GUID.test(value)) throw FeishuErrors.invalidParam(name, 'must be a GUID');
  return value.toLowerCase();
}

/** Copies the keys that are set, so an unset one stays absent rather than `undefined`. */
export function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function parseSummary(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw FeishuErrors.invalidParam('summary', 'must not be empty');
  }
  if (length(value) > MAX_TASK_SUMMARY_LENGTH) {
    throw FeishuErrors.invalidParam('summary', `must be at most ${MAX_TASK_SUMMARY_LENGTH} characters`);
  }
  return value;
}

export const parseDescription = (value: unknown) =>
  stringOf('description', value, MAX_TASK_DESCRIPTION_LENGTH);
export const parseExtra = (value: unknown) => stringOf('extra', value, MAX_TASK_EXTRA_LENGTH);
/** An RRULE, e.g. `FREQ=WEEKLY;INTERVAL=1;BYDAY=MO`; stored as given (the emulator repeats nothing). */
export const parseRepeatRule = (value: unknown) => stringOf('repeat_rule', value);
export const parseIsMilestone = (value: unknown) => booleanOf('is_milestone', value);

/** `due` and `start`: `{timestamp: "<ms>", is_all_day}`; the emulator writes `is_all_day` always. */
export function parseTime(name: 'due' | 'start', value: unknown): TaskTime | undefined {
  if (absent(value)) return undefined;
  const time = objectOf(name, value);
  if (typeof time.timestamp !== 'string' || !MILLIS.test(time.timestamp)) {
    throw FeishuErrors.invalidParam(`${name}.timestamp`, 'must be a millisecond timestamp as a string');
  }
  return { timestamp: time.timestamp, is_all_day: booleanOf(`${name}.is_all_day`, time.is_all_day) ?? false };
}

/** `"0"` (or none) is not completed; any other millisecond timestamp completes the task then. */
export function parseCompletedAt(value: unknown): number | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'string' || !MILLIS.test(value)) {
    throw FeishuErrors.invalidParam('completed_at', 'must be a millisecond timestamp as a string, or "0"');
  }
  return Number(value);
}

/** Feishu: 1 (every assignee completes it, 会签) or 2 (any one may, 或签). */
export function parseMode(value: unknown): number | undefined {
  if (absent(value)) return undefined;
  if (value !== 1 && value !== 2) throw FeishuErrors.invalidParam('mode', 'must be 1 or 2');
  return value;
}

export function parseClientToken(value: unknown): string | undefined {
  const token = stringOf('client_token', value);
  if (
    token !== undefined &&
    (length(token) < CLIENT_TOKEN_MIN_LENGTH || length(token) > CLIENT_TOKEN_MAX_LENGTH)
  ) {
    throw FeishuErrors.invalidParam(
      'client_token',
      `must be ${CLIENT_TOKEN_MIN_LENGTH} to ${CLIENT_TOKEN_MAX_LENGTH} characters`,
    );
  }
  return token;
}

function parseI18n(name: string, value: unknown): I18nText | undefined {
  if (absent(value)) return undefined;
  const text = objectOf(name, value);
  return defined(Object.fromEntries(I18N_KEYS.map((key) => [key, stringOf(`${name}.${key}`, text[key])])));
}

export function parseOrigin(value: unknown): TaskOrigin | undefined {
  if (absent(value)) return undefined;
  const origin = objectOf('origin', value);
  const href = absent(origin.href) ? undefined : objectOf('origin.href', origin.href);
  return defined({
    platform_i18n_name: parseI18n('origin.platform_i18n_name', origin.platform_i18n_name),
    href:
      href &&
      defined({
        url: stringOf('origin.href.url', href.url),
        title: stringOf('origin.href.title', href.title),
      }),
  });
}

export function parseCustomComplete(value: unknown): TaskCustomComplete | undefined {
  if (absent(value)) return undefined;
  const complete = objectOf('custom_complete', value);
  const item = (platform: 'pc' | 'ios' | 'android'): TaskCustomCompleteItem | undefined => {
    const name = `custom_complete.${platform}`;
    if (absent(complete[platform])) return undefined;
    const entry = objectOf(name, complete[platform]);
    return defined({ href: stringOf(`${name}.href`, entry.href), tip: parseI18n(`${name}.tip`, entry.tip) });
  };
  return defined({ pc: item('pc'), ios: item('ios'), android: item('android') });
}

/** Minutes before the due time, one per reminder; Feishu allows one reminder per task. */
export function parseReminders(value: unknown): number[] {
  const reminders = arrayOf('reminders', value).map((raw) => {
    const minutes = objectOf('reminders', raw).relative_fire_minute;
    if (typeof minutes !== 'number' || !Number.isSafeInteger(minutes) || minutes < 0) {
      throw FeishuErrors.invalidParam(
        'reminders.relative_fire_minute',
        'must be a whole number of minutes, 0 or more',
      );
    }
    return minutes;
  });
  if (reminders.length > MAX_TASK_REMINDERS) {
    throw FeishuErrors.invalidParam('reminders', `at most ${MAX_TASK_REMINDERS} reminder per task`);
  }
  return reminders;
}

/** The emulator has no tasklists: it stores the guids as given (docs/fidelity.md, assumed). */
export function parseTasklists(value: unknown): TaskInTasklist[] {
  return arrayOf('tasklists', value).map((raw) => {
    const entry = objectOf('tasklists', raw);
    return defined({
      tasklist_guid: guidOf('tasklists.tasklist_guid', entry.tasklist_guid),
      section_guid: absent(entry.section_guid)
        ? undefined
        : guidOf('tasklists.section_guid', entry.section_guid),
    });
  });
}

/** The emulator has no custom fields: values are stored and echoed as given (docs/fidelity.md, assumed). */
export function parseCustomFields(value: unknown): TaskCustomFieldRecord[] {
  return arrayOf('custom_fields', value).map((raw) => {
    const field = objectOf('custom_fields', raw);
    const name = (key: string) => `custom_fields.${key}`;
    const members = absent(field.member_value)
      ? undefined
      : arrayOf(name('member_value'), field.member_value).map((member) => {
          const entry = objectOf(name('member_value'), member);
          const id = stringOf(name('member_value.id'), entry.id);
          if (!id) throw FeishuErrors.invalidParam(name('member_value.id'), 'must not be empty');
          const type = entry.type ?? 'user';
          if (type !== 'user' && type !== 'app')
            throw FeishuErrors.invalidParam(name('member_value.type'), 'must be user or app');
          const display = stringOf(name('member_value.name'), entry.name);
          return { id, type: type as 'user' | 'app', ...(display === undefined ? {} : { name: display }) };
        });
    const selections = absent(field.multi_select_value)
      ? undefined
      : arrayOf(name('multi_select_value'), field.multi_select_value).map(
          (option) => stringOf(name('multi_select_value'), option) ?? '',
        );
    return {
      guid: guidOf(name('guid'), field.guid),
      ...defined({
        number_value: stringOf(name('number_value'), field.number_value),
        datetime_value: stringOf(name('datetime_value'), field.datetime_value),
        single_select_value: stringOf(name('single_select_value'), field.single_select_value),
        text_value: stringOf(name('text_value'), field.text_value),
        member_value: members,
        multi_select_value: selections,
      }),
    };
  });
}

/** `members[]`: `{id, type: user (default) | app, role: assignee | follower}`; `name` is ignored. */
export function parseMembers(value: unknown): MemberRef[] {
  return arrayOf('members', value).map((raw) => {
    if (!isObject(raw)) throw FeishuErrors.invalidParam('members', 'each member must be an object');
    const { id, type = 'user', role } = raw;
    if (typeof id !== 'string' || id === '')
      throw FeishuErrors.invalidParam('members.id', 'must not be empty');
    if (!(TASK_MEMBER_ROLES as readonly unknown[]).includes(role)) {
      throw FeishuErrors.invalidParam('members.role', `must be one of ${TASK_MEMBER_ROLES.join(', ')}`);
    }
    if (type !== 'user' && type !== 'app')
      throw FeishuErrors.invalidParam('members.type', 'must be user or app');
    return { type, id, role: role as TaskMemberRole };
  });
}
