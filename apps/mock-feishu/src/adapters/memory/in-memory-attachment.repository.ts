import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import { AttachmentRepository } from '../../core/attachments/attachment.repository.js';

/** Per resource, attachments sit in an array sorted by `seq`, so a page is a binary search and a slice. */
export class InMemoryAttachmentRepository extends AttachmentRepository {
  private readonly byGuid = new Map<string, AttachmentRecord>();
  private readonly byResource = new Map<string, AttachmentRecord[]>();
  private seq = 0;

  async nextSeq(): Promise<number> {
    return ++this.seq;
  }

  async saveAll(attachments: readonly AttachmentRecord[]): Promise<void> {
    for (const attachment of attachments) this.save({ ...attachment });
  }

  private save(attachment: AttachmentRecord): void {
    this.byGuid.set(attachment.guid, attachment);
    const list = this.byResource.get(attachment.resourceId) ?? [];
    const last = list[list.length - 1];
    if (!last || last.seq < attachment.seq) list.push(attachment);
    else list.splice(firstAfter(list, attachment.seq), 0, attachment);
    this.byResource.set(attachment.resourceId, list);
  }

  async find(guid: string): Promise<AttachmentRecord | undefined> {
    return this.byGuid.get(guid);
  }

  async delete(guid: string): Promise<AttachmentRecord | undefined> {
    const attachment = this.byGuid.get(guid);
    if (!attachment) return undefined;
    this.byGuid.delete(guid);
    const list = this.byResource.get(attachment.resourceId);
    if (list) {
      const index = firstAfter(list, attachment.seq - 1);
      if (list[index]?.guid === guid) list.splice(index, 1);
      if (list.length === 0) this.byResource.delete(attachment.resourceId);
    }
    return attachment;
  }

  async listAfter(resourceId: string, afterSeq: number, limit: number): Promise<AttachmentRecord[]> {
    const list = this.byResource.get(resourceId) ?? [];
    const start = firstAfter(list, afterSeq);
    return list.slice(start, start + limit);
  }

  async listAll(resourceId: string): Promise<AttachmentRecord[]> {
    return [...(this.byResource.get(resourceId) ?? [])];
  }

  async deleteAllOf(resourceId: string): Promise<AttachmentRecord[]> {
    const list = this.byResource.get(resourceId) ?? [];
    for (const attachment of list) this.byGuid.delete(attachment.guid);
    this.byResource.delete(resourceId);
    return list;
  }

  async count(): Promise<number> {
    return this.byGuid.size;
  }

  async clear(): Promise<AttachmentRecord[]> {
    const removed = [...this.byGuid.values()];
    this.byGuid.clear();
    this.byResource.clear();
    this.seq = 0;
    return removed;
  }
}

/** Index of the first record whose seq is greater than `seq`. */
function firstAfter(list: AttachmentRecord[], seq: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid].seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
