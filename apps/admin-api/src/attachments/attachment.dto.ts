import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Attachment } from '@feishu-attachments/api-client';
import { isoTime, MemberDto, toMemberDto } from '../common/member.dto.js';

/**
 * An attachment's metadata. Feishu's temporary download URL is left out on purpose: the code in
 * it is a credential, and each use of it counts against its three. `contentPath` serves the
 * bytes instead, through a fresh URL whenever one is needed.
 */
export class AttachmentDto {
  @ApiProperty({ format: 'uuid', example: 'f860de3e-6881-4ddd-9321-070f36d1af0b' })
  guid: string;

  @ApiProperty({ example: 'report.pdf' })
  name: string;

  @ApiProperty({ description: 'bytes', example: 52113 })
  size: number;

  @ApiProperty({ description: 'Feishu file token of the stored bytes' })
  fileToken: string;

  @ApiProperty({ format: 'uuid', description: 'the task the attachment belongs to' })
  taskGuid: string;

  @ApiProperty({ type: () => MemberDto })
  uploader: MemberDto;

  @ApiProperty()
  isCover: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  uploadedAt: string | null;

  @ApiProperty({
    description: 'where this service streams the bytes (needs the admin token)',
    example: '/attachments/f860de3e-6881-4ddd-9321-070f36d1af0b/content',
  })
  contentPath: string;
}

export function toAttachmentDto(attachment: Omit<Attachment, 'url'>): AttachmentDto {
  return {
    guid: attachment.guid,
    name: attachment.name,
    size: attachment.size,
    fileToken: attachment.file_token,
    taskGuid: attachment.resource.id,
    uploader: toMemberDto(attachment.uploader),
    isCover: attachment.is_cover,
    uploadedAt: isoTime(attachment.uploaded_at),
    contentPath: `/attachments/${attachment.guid}/content`,
  };
}

export class AttachmentListDto {
  @ApiProperty({ type: () => AttachmentDto, isArray: true, description: 'in upload order' })
  items: AttachmentDto[];

  @ApiPropertyOptional({
    description:
      'Only when a page was asked for (`limit` or `cursor`) and more remain: pass it as `cursor` for the next page.',
  })
  nextCursor?: string;
}

export class UploadedAttachmentsDto {
  @ApiProperty({ type: () => AttachmentDto, isArray: true, description: 'in the order of the file parts' })
  items: AttachmentDto[];
}

/** Documents the multipart body; the parts are read by the upload interceptor, not by Nest. */
export class UploadAttachmentsBodyDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    minItems: 1,
    maxItems: 5,
    description: '1–5 parts named `file`, each at most 50 MiB; the part filename becomes the attachment name',
  })
  file: unknown[];
}
