import type { TaskMemberRole, UserIdType } from '@feishu-attachments/api-client/wire';

/** A member as named in a request: a user by the request's `user_id_type`, or an app by app id. */
export interface MemberRef {
  type: 'user' | 'app';
  id: string;
  role: TaskMemberRole;
}

export interface CreateTaskCommand {
  summary: string;
  description: string;
  members: MemberRef[];
  /** How the user members' ids are written. */
  userIdType: UserIdType;
}
