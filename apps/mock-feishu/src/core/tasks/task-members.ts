import { MAX_TASK_MEMBERS, type UserIdType } from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../errors/feishu-errors.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { TaskMemberRecord } from './task.js';
import type { MemberRef } from './task.commands.js';

const sameMember = (a: TaskMemberRecord, b: TaskMemberRecord) => a.key === b.key && a.role === b.role;

/**
 * Members as stored: users by open_id whatever `user_id_type` named them, apps by app id; one
 * entry per member and role. Someone unknown is a 400 when added, and (`ignoreUnknown`) simply
 * not a member when removed: Feishu ignores a removal of someone who is not a member
 * (task-v2/task/remove_members).
 */
export async function resolveMembers(
  identity: IdentityService,
  refs: readonly MemberRef[],
  userIdType: UserIdType,
  { ignoreUnknown = false }: { ignoreUnknown?: boolean } = {},
): Promise<TaskMemberRecord[]> {
  const members: TaskMemberRecord[] = [];
  for (const ref of refs) {
    let key: string | undefined;
    if (ref.type === 'user') {
      const user = await identity.findUserBy(userIdType, ref.id);
      if (user) key = `user:${user.openId}`;
      else if (!ignoreUnknown)
        throw FeishuErrors.invalidParam('members.id', `no user with ${userIdType} ${ref.id}`);
    } else if (await identity.findApp(ref.id)) {
      key = `app:${ref.id}`;
    } else if (!ignoreUnknown) {
      throw FeishuErrors.invalidParam('members.id', `no app ${ref.id}`);
    }
    const member = key === undefined ? undefined : { key, role: ref.role };
    if (member && !members.some((known) => sameMember(known, member))) members.push(member);
  }
  return members;
}

/** Feishu: at most 50 members, counted once duplicates are gone (task-v2/task/create). */
export function checkMemberCount(members: readonly TaskMemberRecord[]): void {
  if (members.length > MAX_TASK_MEMBERS) {
    throw FeishuErrors.invalidParam('members', `at most ${MAX_TASK_MEMBERS} members`);
  }
}

/** Feishu: a member already on the task with that role is ignored (task-v2/task/add_members). */
export function withMembers(
  members: readonly TaskMemberRecord[],
  added: readonly TaskMemberRecord[],
): TaskMemberRecord[] {
  const result = [...members];
  for (const member of added) if (!result.some((known) => sameMember(known, member))) result.push(member);
  checkMemberCount(result);
  return result;
}

export function withoutMembers(
  members: readonly TaskMemberRecord[],
  removed: readonly TaskMemberRecord[],
): TaskMemberRecord[] {
  return members.filter((member) => !removed.some((gone) => sameMember(gone, member)));
}
