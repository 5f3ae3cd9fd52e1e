import { ApiProperty } from '@nestjs/swagger';
import {
  TASK_MEMBER_ROLES,
  type TaskMemberInput,
  type TaskMemberRole,
} from '@feishu-attachments/api-client/wire';
import { z } from 'zod';

/** Feishu: at most 50 members on a task (task-v2/task/create); more in one request cannot fit. */
const MAX_MEMBERS = 50;

/**
 * A member id as admin-api names members: a user's open_id (`ou_…`) or an app's id (`cli_…`),
 * the prefixes Feishu gives them (reference §0), so the id also says which kind it is. Checked
 * here so that a path or body with anything else is a clear 400, not a round trip.
 */
export const MEMBER_ID = /^(ou|cli)_[0-9A-Za-z_]{1,64}$/;
export const MEMBER_ID_MESSAGE = "must be a user's open_id (ou_…) or an app id (cli_…)";
const typeOf = (id: string) => (id.startsWith('cli_') ? 'app' : 'user');

const memberSchema = z
  .object(
    {
      id: z.string({ error: MEMBER_ID_MESSAGE }).regex(MEMBER_ID, MEMBER_ID_MESSAGE),
      role: z.enum(TASK_MEMBER_ROLES, { error: 'must be assignee or follower' }),
    },
    { error: 'must be an object {id, role}' },
  )
  .strict();

export const addMembersSchema = z
  .object({
    members: z
      .array(memberSchema, { error: 'members must be a list of {id, role}' })
      .min(1, 'members must list at least one member')
      .max(MAX_MEMBERS, `members may list at most ${MAX_MEMBERS}`),
  })
  .strict();

export const removeMemberQuerySchema = z
  .object({
    role: z.enum(TASK_MEMBER_ROLES, { error: 'role must be assignee or follower, given once' }).optional(),
  })
  .strict();
export type RemoveMemberQuery = z.output<typeof removeMemberQuerySchema>;

export class MemberInputDto {
  @ApiProperty({
    description: "a user's open_id (ou_…) or an app id (cli_…)",
    pattern: MEMBER_ID.source,
    example: 'ou_1400208f15333e20e11339d39067844b',
  })
  id: string;

  @ApiProperty({ enum: TASK_MEMBER_ROLES })
  role: TaskMemberRole;
}

export class AddMembersDto {
  @ApiProperty({ type: () => MemberInputDto, isArray: true, minItems: 1, maxItems: MAX_MEMBERS })
  members: MemberInputDto[];
}

/** Feishu's members: users by open_id (the client's default id type), apps by app id. */
export function toMemberInputs(members: readonly MemberInputDto[]): TaskMemberInput[] {
  return members.map((member) => ({ id: member.id, type: typeOf(member.id), role: member.role }));
}

/** The member to remove, in the role given, or in every role it may hold when none is. */
export function removalOf(memberId: string, query: RemoveMemberQuery): TaskMemberInput[] {
  const roles = query.role ? [query.role] : TASK_MEMBER_ROLES;
  return roles.map((role) => ({ id: memberId, type: typeOf(memberId), role }));
}
