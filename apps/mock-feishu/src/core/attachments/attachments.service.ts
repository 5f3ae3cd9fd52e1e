import { Clock } from '../shared/clock.js';
import { newFileToken, newGuid } from '../shared/ids.js';
import { FeishuErrors } from '../errors/feishu-errors.js';
import { principalKey, type Principal } from '../identity/identity.js';
import { BlobStore } from '../blobs/blob-store.js';
import { TasksService } from '../tasks/tasks.service.js';
import { canEdit } from '../tasks/task.js';
import {
  attachmentName,
  type AttachmentRecord,
  type ListAttachmentsQuery,
  type StoredUpload,
  type UploadCommand,
} from './attachment.js';
import { AttachmentRepository } from './attachment.repository.js';
import { PageTokenCodec } from '../shared/page-token.js';

export type { StoredUpload } from './attachment.js';

export interface AttachmentPage {
  items: AttachmentRecord[];
  hasMore: boolean;
  pageToken?: string;
}

export class AttachmentsService {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly blobs: BlobStore,
    private readonly tasks: TasksService,
    private readonly pageTokens: PageTokenCodec,
    private readonly clock: Clock,
  ) {}

  /**
   * Feishu: 1–5 `file` parts, kept in part order; the caller needs edit permission on the task.
   * The bytes are already stored when this runs, so every refusal removes them again.
   */
  async upload(principal: Principal, command: UploadCommand): Promise<AttachmentRecord[]> {
    try {
      await this.tasks.getEditable(principal, command.resourceId);
    } catch (error) {
      await this.discard(command.files);
      throw error;
    }
    return this.attach(command.resourceId, principalKey(principal), command.files);
  }

  /**
   * Records stored files as attachments of a task, with no permission check: the upload's last
   * step, and how seeded attachments come in. The one place an attachment record is built.
   */
  async attach(resourceId: string, uploaderKey: string, files: StoredUpload[]): Promise<AttachmentRecord[]> {
    try {
      const uploadedAt = this.clock.now();
      const records: AttachmentRecord[] = [];
      for (const file of files) {
        records.push({
          guid: newGuid(),
          fileToken: newFileToken(),
          name: attachmentName(file.originalname),
          size: file.size,
          contentType: file.mimetype || 'application/octet-stream',
          resourceType: 'task',
          resourceId,
          uploaderKey,
          isCover: false,
          uploadedAt,
          seq: await this.attachments.nextSeq(),
          blobKey: file.blobKey,
        });
      }
      await this.attachments.saveAll(records);
      return records;
    } catch (error) {
      await this.discard(files);
      throw error;
    }
  }

  /** Feishu: attachments of a resource by upload time; every other parameter stays fixed across pages. */
  async listPage(principal: Principal, query: ListAttachmentsQuery): Promise<AttachmentPage> {
    const afterSeq = this.pageTokens.decode(query.pageToken, query.resourceId);
    await this.tasks.getReadable(principal, query.resourceId);
    const rows = await this.attachments.listAfter(query.resourceId, afterSeq, query.pageSize + 1);
    const items = rows.slice(0, query.pageSize);
    const hasMore = rows.length > query.pageSize;
    return {
      items,
      hasMore,
      pageToken: hasMore ? this.pageTokens.encode(query.resourceId, items[items.length - 1].seq) : undefined,
    };
  }

  /** Every attachment of a task, in upload order (a task's wire shape lists them). */
  allOf(taskGuid: string): Promise<AttachmentRecord[]> {
    return this.attachments.listAll(taskGuid);
  }

  /**
   * An attachment with no permission check (an operator's look-up, the first step of a checked
   * one), or Feishu's 404.
   */
  async find(guid: string): Promise<AttachmentRecord> {
    const attachment = await this.attachments.find(guid);
    if (!attachment) throw FeishuErrors.attachmentNotFound();
    return attachment;
  }

  async get(principal: Principal, guid: string): Promise<AttachmentRecord> {
    const attachment = await this.find(guid);
    await this.tasks.getReadable(principal, attachment.resourceId);
    return attachment;
  }

  /** Feishu: edit permission on the task, or being the uploader; irreversible. */
  async delete(principal: Principal, guid: string): Promise<void> {
    const attachment = await this.find(guid);
    const task = await this.tasks.find(attachment.resourceId);
    if (!canEdit(task, principal) && attachment.uploaderKey !== principalKey(principal)) {
      throw FeishuErrors.permissionDenied('need edit permission on the task, or to be the uploader');
    }
    await this.attachments.delete(guid);
    await this.blobs.delete(attachment.blobKey);
  }

  /**
   * An operator's delete (the inspector page): no permission check; the record goes, then its
   * bytes, and the removed record comes back for the page to show.
   */
  async deleteAsOperator(guid: string): Promise<AttachmentRecord> {
    const removed = await this.attachments.delete(guid);
    if (!removed) throw FeishuErrors.attachmentNotFound();
    await this.blobs.delete(removed.blobKey);
    return removed;
  }

  count(): Promise<number> {
    return this.attachments.count();
  }

  /** Every attachment goes, with the bytes this store indexed (never other files). */
  async clear(): Promise<void> {
    const removed = await this.attachments.clear();
    await this.discard(removed);
  }

  private async discard(files: readonly { blobKey: string }[]): Promise<void> {
    await Promise.all(files.map((file) => this.blobs.delete(file.blobKey)));
  }
}
