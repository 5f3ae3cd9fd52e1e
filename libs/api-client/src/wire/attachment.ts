import type { Member } from './member.js';

/** Resource types an attachment can belong to; Feishu documents only `task`. */
export const RESOURCE_TYPES = ['task'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export const DEFAULT_RESOURCE_TYPE: ResourceType = 'task';

export interface AttachmentResource {
  type: ResourceType;
  id: string;
}

/**
 * An attachment as Feishu sends it. `url` is present only in list and get responses: a temporary
 * download URL valid for 3 minutes and 3 downloads, minted afresh on every call.
 */
export interface Attachment {
  guid: string;
  file_token: string;
  name: string;
  size: number;
  resource: AttachmentResource;
  uploader: Member;
  is_cover: boolean;
  /** Milliseconds since the epoch, as a string. */
  uploaded_at: string;
  url?: string;
}

export interface UploadAttachmentsData {
  items: Attachment[];
}

export interface GetAttachmentData {
  attachment: Attachment;
}

/** Multipart field names of `POST /open-apis/task/v2/attachments/upload`. */
export const UploadField = {
  ResourceType: 'resource_type',
  ResourceId: 'resource_id',
  File: 'file',
} as const;
