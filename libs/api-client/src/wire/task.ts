import type { Attachment } from './attachment.js';
import type { Member, TaskMemberRole } from './member.js';

/**
 * The Task v2 task object, as the official SDKs model it (oapi-sdk-go `service/task/v2` `Task`,
 * node-sdk `task.v2.task.*`). Timestamps are milliseconds since the epoch, as strings.
 */
export interface Task {
  guid: string;
  summary: string;
  description: string;
  due?: TaskTime;
  reminders?: TaskReminder[];
  creator: Member;
  members: Member[];
  /** `"0"` while the task is not completed. */
  completed_at: string;
  attachments: Omit<Attachment, 'url'>[];
  origin?: TaskOrigin;
  extra?: string;
  tasklists?: TaskInTasklist[];
  repeat_rule?: string;
  /** Set on a subtask: its parent's guid. */
  parent_task_guid?: string;
  /** 1: every assignee must complete it (countersign); 2: any one of them may. */
  mode?: number;
  source?: number;
  custom_complete?: TaskCustomComplete;
  task_id: string;
  created_at: string;
  updated_at: string;
  status: 'todo' | 'done';
  url: string;
  start?: TaskTime;
  subtask_count?: number;
  is_milestone?: boolean;
  custom_fields?: TaskCustomFieldValue[];
  dependencies?: { type?: string; task_guid?: string }[];
  assignee_related?: { id?: string; completed_at?: string }[];
}

/** A due or start time: a millisecond timestamp string, or a date when `is_all_day`. */
export interface TaskTime {
  timestamp?: string;
  is_all_day?: boolean;
}

export interface TaskReminder {
  id?: string;
  /** Minutes before the due time (0: at the due time). */
  relative_fire_minute?: number;
}

export interface I18nText {
  en_us?: string;
  zh_cn?: string;
  zh_hk?: string;
  zh_tw?: string;
  ja_jp?: string;
  fr_fr?: string;
  it_it?: string;
  de_de?: string;
  ru_ru?: string;
  th_th?: string;
  es_es?: string;
  ko_kr?: string;
}

export interface TaskOrigin {
  platform_i18n_name?: I18nText;
  href?: { url?: string; title?: string };
}

export interface TaskCustomCompleteItem {
  href?: string;
  tip?: I18nText;
}

export interface TaskCustomComplete {
  pc?: TaskCustomCompleteItem;
  ios?: TaskCustomCompleteItem;
  android?: TaskCustomCompleteItem;
}

export interface TaskInTasklist {
  tasklist_guid?: string;
  section_guid?: string;
}

export interface TaskCustomFieldValue {
  guid?: string;
  type?: string;
  name?: string;
  number_value?: string;
  datetime_value?: string;
  member_value?: Member[];
  single_select_value?: string;
  multi_select_value?: string[];
  text_value?: string;
}

/** A member as a request names one: users by `user_id_type`, apps by app id. */
export interface TaskMemberInput {
  id: string;
  type?: 'user' | 'app';
  role: TaskMemberRole;
  name?: string;
}

/** The task fields a create or patch body may carry (oapi-sdk-go `InputTask`). */
export interface TaskInput {
  summary?: string;
  description?: string;
  due?: TaskTime;
  origin?: TaskOrigin;
  extra?: string;
  completed_at?: string;
  members?: TaskMemberInput[];
  repeat_rule?: string;
  custom_complete?: TaskCustomComplete;
  tasklists?: TaskInTasklist[];
  client_token?: string;
  start?: TaskTime;
  reminders?: TaskReminder[];
  mode?: number;
  is_milestone?: boolean;
  custom_fields?: Omit<TaskCustomFieldValue, 'type' | 'name'>[];
}

/** `POST /open-apis/task/v2/tasks` and `POST …/tasks/:task_guid/subtasks`: `summary` is required. */
export type CreateTaskBody = TaskInput & { summary: string };

/** The fields `update_fields` may name on patch (members, reminders and tasklists have their own calls). */
export const PATCHABLE_TASK_FIELDS = [
  'summary',
  'description',
  'due',
  'start',
  'completed_at',
  'extra',
  'repeat_rule',
  'custom_complete',
  'mode',
  'is_milestone',
  'custom_fields',
] as const;
export type PatchableTaskField = (typeof PATCHABLE_TASK_FIELDS)[number];

/**
 * `PATCH /open-apis/task/v2/tasks/:task_guid`: each field named in `update_fields` takes its value
 * from `task`, and one named but absent from `task` is cleared.
 */
export interface PatchTaskBody {
  task?: TaskInput;
  update_fields: PatchableTaskField[];
}

/** `POST …/tasks/:task_guid/add_members` and `…/remove_members`. */
export interface TaskMembersBody {
  members: TaskMemberInput[];
  client_token?: string;
}

/** `GET /open-apis/task/v2/tasks` (user token only). */
export interface ListTasksQuery {
  page_size?: number;
  page_token?: string;
  completed?: boolean;
  /** Only `my_tasks` is documented. */
  type?: string;
  user_id_type?: string;
}

export interface TaskData {
  task: Task;
}

export interface SubtaskData {
  subtask: Task;
}
