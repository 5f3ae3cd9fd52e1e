/** Feishu's newer resource type for task deliverables (feishu-api.md §2); refused here on purpose. */
export const TASK_DELIVERY_RESOURCE_TYPE = 'task_delivery';

export interface AttachmentRecord {
  guid: string;
  fileToken: string;
  name: string;
  size: number;
  contentType: string;
  resourceType: 'task';
  resourceId: string;
  /** `user:<open_id>` or `app:<app_id>`. */
  uploaderKey: string;
  isCover: boolean;
  uploadedAt: number;
  /** Upload order across the emulator; lists are sorted by it and page tokens point into it. */
  seq: number;
  blobKey: string;
}

/** A file part already streamed into the blob store. */
export interface StoredUpload {
  originalname: string;
  mimetype: string;
  blobKey: string;
  size: number;
}

/** `POST …/attachments/upload`: the files go to one resource, in part order. */
export interface UploadCommand {
  resourceId: string;
  files: StoredUpload[];
}

/** `GET …/attachments`; every parameter but the token stays fixed across pages. */
export interface ListAttachmentsQuery {
  resourceId: string;
  pageSize: number;
  pageToken?: string;
}

/**
 * The name an attachment gets when its `file` part carries no filename, as the official Python
 * SDK's sample and node-sdk with a Buffer send it. What Feishu stores then is not documented:
 * this is the name the Go SDK gives every file, which Feishu is known to show (docs/fidelity.md,
 * assumed; parity step `upload-without-filename`).
 */
export const UNNAMED_FILE = 'unknown-file';

/** The part's filename is the attachment's name. */
export function attachmentName(filename: string): string {
  return filename;
}
