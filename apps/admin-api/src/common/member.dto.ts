import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Member } from '@feishu-attachments/api-client';

/** A user or app as Feishu names it: users by open_id, apps by app id. */
export class MemberDto {
  @ApiProperty({
    description: 'open_id for users, app id for apps',
    example: 'ou_7d8a6e6df7621556ce0d21922b676706',
  })
  id: string;

  @ApiProperty({ enum: ['user', 'app'] })
  type: 'user' | 'app';

  @ApiPropertyOptional({ description: 'creator, assignee, follower or editor', example: 'creator' })
  role?: string;

  @ApiPropertyOptional()
  name?: string;
}

export function toMemberDto(member: Member): MemberDto {
  return {
    id: member.id,
    type: member.type,
    ...(member.role === undefined ? {} : { role: member.role }),
    ...(member.name === undefined ? {} : { name: member.name }),
  };
}

/** Feishu writes times as milliseconds since the epoch in a string, "0" for "never". */
export function isoTime(milliseconds: string | undefined): string | null {
  const value = Number(milliseconds);
  return Number.isFinite(value) && value > 0 ? new Date(value).toISOString() : null;
}
