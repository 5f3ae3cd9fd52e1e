import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { Clock } from '../common/clock.js';
import { newFileToken, newGuid } from '../common/ids.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { principalKey, type Principal } from '../identity/identity.js';
import { BlobStore } from '../blobs/blob-store.js';
import { TasksService } from '../tasks/tasks.service.js';
import { canEdit } from '../tasks/task.js';
import { DownloadUrlsService, type DownloadRefusal } from '../downloads/download-urls.service.js';
import {
  attachmentName,
  checkFileCount,
  parsePageSize,
  parseResourceId,
  parseResourceType,
  type AttachmentRecord,
} from './attachment.js';
import { AttachmentRepository } from './attachment.repository.js';
import { PageTokenCodec } from './page-token.js';

/** A file part already streamed into the blob store. */
export interface StoredUpload {
  originalname: string;
  mimetype: string;
  blobKey: string;
  size: number;
}

export interface AttachmentPage {
  items: AttachmentRecord[];
  hasMore: boolean;
  pageToken?: string;
}

export type DownloadResult =
  { ok: true; attachment: AttachmentRecord; body: Readable } | { ok: false; reason: DownloadRefusal };

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly blobs: BlobStore,
    private readonly tasks: TasksService,
    private readonly downloadUrls: DownloadUrlsService,
    private readonly pageTokens: PageTokenCodec,
    private readonly clock: Clock,
  ) {}

  /**
   * Feishu: 1–5 `file` parts, kept in part order; the caller needs edit permission on the task.
   * The bytes are already stored when this runs, so every refusal removes them again.
   */
  async upload(
    principal: Principal,
    fields: Record<string, unknown>,
    files: StoredUpload[],
  ): Promise<AttachmentRecord[]> {
    try {
      parseResourceType(fields.resource_type);
      const resourceId = parseResourceId(fields.resource_id);
      checkFileCount(files.length);
      this.tasks.getEditable(principal, resourceId);
      const uploadedAt = this.clock.now();
      return files.map((file) => {
        const record: AttachmentRecord = {
          guid: newGuid(),
          fileToken: newFileToken(),
          name: attachmentName(file.originalname),
          size: file.size,
          contentType: file.mimetype || 'application/octet-stream',
          resourceType: 'task',
          resourceId,
          uploaderKey: principalKey(principal),
          isCover: false,
          uploadedAt,
          seq: this.attachments.nextSeq(),
          blobKey: file.blobKey,
        };
        this.attachments.save(record);
        return record;
      });
    } catch (error) {
      await Promise.all(files.map((file) => this.blobs.delete(file.blobKey)));
      throw error;
    }
  }

  /** Feishu: attachments of a resource by upload time; every other parameter stays fixed across pages. */
  listPage(principal: Principal, query: Record<string, unknown>): AttachmentPage {
    parseResourceType(query.resource_type);
    const resourceId = parseResourceId(query.resource_id);
    const pageSize = parsePageSize(query.page_size);
    const pageToken = typeof query.page_token === 'string' ? query.page_token : undefined;
    if (query.page_token !== undefined && pageToken === undefined) {
      throw FeishuErrors.invalidParam('page_token', 'must be given once');
    }
    const afterSeq = this.pageTokens.decode(pageToken, resourceId);
    this.tasks.getReadable(principal, resourceId);

    const rows = this.attachments.listAfter(resourceId, afterSeq, pageSize + 1);
    const items = rows.slice(0, pageSize);
    const hasMore = rows.length > pageSize;
    return {
      items,
      hasMore,
      pageToken: hasMore ? this.pageTokens.encode(resourceId, items[items.length - 1].seq) : undefined,
    };
  }

  get(principal: Principal, guid: string): AttachmentRecord {
    const attachment = this.find(guid);
    this.tasks.getReadable(principal, attachment.resourceId);
    return attachment;
  }

  /** Feishu: edit permission on the task, or being the uploader; irreversible. */
  async delete(principal: Principal, guid: string): Promise<void> {
    const attachment = this.find(guid);
    const task = this.tasks.find(attachment.resourceId);
    if (!canEdit(task, principal) && attachment.uploaderKey !== principalKey(principal)) {
      throw FeishuErrors.permissionDenied('need edit permission on the task, or to be the uploader');
    }
    this.attachments.delete(guid);
    await this.blobs.delete(attachment.blobKey);
  }

  listAllOf(resourceId: string): AttachmentRecord[] {
    return this.attachments.listAll(resourceId);
  }

  downloadUrl(attachment: AttachmentRecord): string {
    return this.downloadUrls.issue(attachment.guid);
  }

  /** Takes one use of a URL; a URL of a deleted attachment (or task) is unknown. */
  openDownload(code: string | undefined): DownloadResult {
    const redemption = this.downloadUrls.redeem(code);
    if (!redemption.ok) return redemption;
    const attachment = this.attachments.find(redemption.attachmentGuid);
    if (!attachment) return { ok: false, reason: 'unknown' };
    return { ok: true, attachment, body: this.blobs.read(attachment.blobKey) };
  }

  /** What a download would answer, without taking a use or opening the bytes (for HEAD). */
  peekDownload(
    code: string | undefined,
  ): { ok: true; attachment: AttachmentRecord } | { ok: false; reason: DownloadRefusal } {
    const state = this.downloadUrls.inspect(code);
    if (!state.ok) return state;
    const attachment = this.attachments.find(state.attachmentGuid);
    if (!attachment) return { ok: false, reason: 'unknown' };
    return { ok: true, attachment };
  }

  private find(guid: string): AttachmentRecord {
    const attachment = this.attachments.find(guid);
    if (!attachment) throw FeishuErrors.attachmentNotFound();
    return attachment;
  }
}
