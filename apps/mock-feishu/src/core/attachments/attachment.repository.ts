import type { AttachmentRecord } from './attachment.js';

/** Port for attachment metadata; the bytes live in the BlobStore. */
export abstract class AttachmentRepository {
  /** The next upload-order number; `clear` starts it over. */
  abstract nextSeq(): Promise<number>;
  /** Stores the attachments of one upload together: all of them or (on a crash) none. */
  abstract saveAll(attachments: readonly AttachmentRecord[]): Promise<void>;
  abstract find(guid: string): Promise<AttachmentRecord | undefined>;
  abstract delete(guid: string): Promise<AttachmentRecord | undefined>;
  /** Up to `limit` attachments of a resource with `seq` greater than `afterSeq`, in upload order. */
  abstract listAfter(resourceId: string, afterSeq: number, limit: number): Promise<AttachmentRecord[]>;
  abstract listAll(resourceId: string): Promise<AttachmentRecord[]>;
  abstract deleteAllOf(resourceId: string): Promise<AttachmentRecord[]>;
  abstract count(): Promise<number>;
  /** Removes every attachment, starts `seq` over, and returns what it removed (to drop the bytes). */
  abstract clear(): Promise<AttachmentRecord[]>;
}
