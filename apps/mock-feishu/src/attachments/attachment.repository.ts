import type { AttachmentRecord } from './attachment.js';

/** Port for attachment metadata; the bytes live in the BlobStore. */
export abstract class AttachmentRepository {
  abstract nextSeq(): number;
  abstract save(attachment: AttachmentRecord): void;
  abstract find(guid: string): AttachmentRecord | undefined;
  abstract delete(guid: string): AttachmentRecord | undefined;
  /** Up to `limit` attachments of a resource with `seq` greater than `afterSeq`, in upload order. */
  abstract listAfter(resourceId: string, afterSeq: number, limit: number): AttachmentRecord[];
  abstract listAll(resourceId: string): AttachmentRecord[];
  abstract deleteAllOf(resourceId: string): AttachmentRecord[];
  abstract count(): number;
  abstract clear(): void;
}
