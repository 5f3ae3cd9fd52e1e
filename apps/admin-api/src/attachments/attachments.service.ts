import { Inject, Injectable } from '@nestjs/common';
import type { CallOptions, FeishuClient, StreamedAttachment } from '@feishu-attachments/api-client';
import { AdminApiSettings } from '../admin-api.settings.js';
import { feishuProblem, problemDetail } from '../errors/feishu-error.mapping.js';
import { FEISHU_CLIENT } from '../feishu/feishu-client.provider.js';
import { toAttachmentDto, type AttachmentDto, type AttachmentListDto } from './attachment.dto.js';
import type { BulkDeleteDto, BulkDeleteResultDto } from './bulk-delete.dto.js';
import { transferProgressLog } from './transfer-progress.logger.js';
import type { UploadedPart } from './upload.interceptor.js';

@Injectable()
export class AttachmentsService {
  constructor(
    @Inject(FEISHU_CLIENT) private readonly feishu: FeishuClient,
    private readonly settings: AdminApiSettings,
  ) {}

  /** Every attachment of a task, all pages. */
  async listAll(taskGuid: string, call: CallOptions): Promise<AttachmentListDto> {
    const items: AttachmentDto[] = [];
    for await (const attachment of this.feishu.attachments.listAll({ taskGuid, pageSize: 100 }, call)) {
      items.push(toAttachmentDto(attachment));
    }
    return { items };
  }

  /** One page; Feishu's page token is handed out as an opaque cursor. */
  async listPage(
    taskGuid: string,
    limit: number,
    cursor: string | undefined,
    call: CallOptions,
  ): Promise<AttachmentListDto> {
    const page = await this.feishu.attachments.listPage(
      { taskGuid, pageSize: limit, pageToken: cursor },
      call,
    );
    return {
      items: (page.items ?? []).map(toAttachmentDto),
      ...(page.has_more && page.page_token ? { nextCursor: page.page_token } : {}),
    };
  }

  /** Sends the files from disk, so the client knows each size and can send them again after a rate limit. */
  async upload(taskGuid: string, parts: UploadedPart[], call: CallOptions): Promise<AttachmentDto[]> {
    const items = await this.feishu.attachments.upload(
      taskGuid,
      parts.map((part) => ({ path: part.path, name: part.name, contentType: part.contentType })),
      { ...call, onUploadProgress: transferProgressLog(`upload to task ${taskGuid}`) },
    );
    return items.map(toAttachmentDto);
  }

  async get(guid: string, call: CallOptions): Promise<AttachmentDto> {
    return toAttachmentDto(await this.feishu.attachments.get(guid, call));
  }

  /**
   * The bytes as a Node stream (node:http, not fetch's web stream: a relay at about twice the
   * speed, tools/bench/findings.md); an expired or used-up download URL is replaced by the client.
   */
  async download(guid: string, call: CallOptions): Promise<StreamedAttachment> {
    return this.feishu.attachments.downloadStream(guid, {
      ...call,
      onDownloadProgress: transferProgressLog(`download of attachment ${guid}`),
    });
  }

  delete(guid: string, call: CallOptions): Promise<void> {
    return this.feishu.attachments.delete(guid, call);
  }

  /**
   * Deletes every attachment of a task, one at a time (the client waits out rate limits), and
   * goes on past individual failures. The list is taken first, so attachments added meanwhile stay.
   */
  async deleteAll(taskGuid: string, call: CallOptions): Promise<BulkDeleteDto> {
    const { items } = await this.listAll(taskGuid, call);
    const results: BulkDeleteResultDto[] = [];
    for (const item of items) {
      call.signal?.throwIfAborted();
      try {
        await this.feishu.attachments.delete(item.guid, call);
        results.push({ guid: item.guid, name: item.name, status: 'deleted' });
      } catch (error) {
        const problem = feishuProblem(error, {
          userTokenGiven: call.userAccessToken !== undefined,
          feishuBaseUrl: this.settings.feishu.baseUrl,
        });
        if (!problem) throw error;
        results.push({ guid: item.guid, name: item.name, status: 'failed', error: problemDetail(problem) });
      }
    }
    const deleted = results.filter((result) => result.status === 'deleted').length;
    return { deleted, failed: results.length - deleted, results };
  }
}
