/** `user_id_type` query values; `open_id` is the default everywhere. */
export const USER_ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;
export type UserIdType = (typeof USER_ID_TYPES)[number];
export const DEFAULT_USER_ID_TYPE: UserIdType = 'open_id';

export type MemberType = 'user' | 'app';

/** A user or app attached to a task or attachment; `id` follows `user_id_type` for users. */
export interface Member {
  id: string;
  type: MemberType;
  role?: string;
  name?: string;
}

/** Task member roles accepted on create (task-v2/task/create). */
export const TASK_MEMBER_ROLES = ['assignee', 'follower'] as const;
export type TaskMemberRole = (typeof TASK_MEMBER_ROLES)[number];
