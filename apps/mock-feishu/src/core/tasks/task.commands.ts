import type {
  PatchableTaskField,
  TaskInTasklist,
  TaskMemberRole,
  TaskOrigin,
  UserIdType,
} from '@feishu-attachments/api-client/wire';
import type { TaskFields } from './task.js';

/** A member as named in a request: a user by the request's `user_id_type`, or an app by app id. */
export interface MemberRef {
  type: 'user' | 'app';
  id: string;
  role: TaskMemberRole;
}

/** `POST …/tasks` and `POST …/tasks/:guid/subtasks`: every field the request set, checked for form. */
export interface CreateTaskCommand extends TaskFields {
  members: MemberRef[];
  origin?: TaskOrigin;
  /** Minutes before the due time, one per reminder. */
  reminders: number[];
  tasklists: TaskInTasklist[];
  clientToken?: string;
  /** How the user members' ids are written. */
  userIdType: UserIdType;
}

/**
 * `PATCH …/tasks/:guid`: the fields named in `update_fields`, each with the value the body gave
 * (a name without a value clears that field).
 */
export interface PatchTaskCommand {
  fields: PatchableTaskField[];
  values: Partial<TaskFields>;
}

/** `POST …/tasks/:guid/add_members` and `…/remove_members`. */
export interface TaskMembersCommand {
  members: MemberRef[];
  userIdType: UserIdType;
}

/** `GET …/tasks` (a user's own list) and `GET …/tasks/:guid/subtasks`: one page. */
export interface TaskPageQuery {
  pageSize: number;
  pageToken?: string;
}

/** `GET …/tasks`: the tasks the calling user is an assignee of (`type=my_tasks`, the only type). */
export interface ListMyTasksQuery extends TaskPageQuery {
  /** true: completed only; false: not completed only; absent: both. */
  completed?: boolean;
}
