import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import type { Request } from 'express';
import {
  FeishuPath,
  type Attachment,
  type FeishuEnvelope,
  type GetAttachmentData,
  type Page,
  type UploadAttachmentsData,
} from '@feishu-attachments/api-client/wire';
import { principalOf } from '../common/request-context.js';
import { parseGuid } from '../common/guid.js';
import { FeishuOperation, OperationScopes } from '../gateway/feishu-operation.decorator.js';
import { FeishuWirePresenter } from '../presentation/feishu-wire.presenter.js';
import { ok } from '../presentation/envelope.js';
import { BlobStore } from '../blobs/blob-store.js';
import { parseUserIdType } from './attachment.js';
import { AttachmentsService } from './attachments.service.js';
import { storedUploads, UploadInterceptor } from './upload.interceptor.js';

@Controller()
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly presenter: FeishuWirePresenter,
    private readonly blobs: BlobStore,
  ) {}

  @Post(FeishuPath.AttachmentUpload)
  @HttpCode(200)
  @FeishuOperation('attachment.upload', OperationScopes.attachmentWrite)
  @UseInterceptors(UploadInterceptor)
  async upload(
    @Req() req: Request,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<UploadAttachmentsData>> {
    const files = storedUploads(req);
    let userIdType;
    try {
      userIdType = parseUserIdType(userIdTypeParam);
    } catch (error) {
      await Promise.all(files.map((file) => this.blobs.delete(file.blobKey)));
      throw error;
    }
    const records = await this.attachments.upload(principalOf(req), req.body ?? {}, files);
    // Feishu: the upload response carries no `url` (task-v2/attachment/upload).
    return ok({ items: records.map((record) => this.presenter.attachment(record, userIdType)) });
  }

  @Get(FeishuPath.Attachments)
  @FeishuOperation('attachment.list', OperationScopes.attachmentRead)
  list(@Req() req: Request, @Query() query: Record<string, unknown>): FeishuEnvelope<Page<Attachment>> {
    const userIdType = parseUserIdType(query.user_id_type);
    const page = this.attachments.listPage(principalOf(req), query);
    return ok({
      items: page.items.map((record) =>
        this.presenter.attachment(record, userIdType, this.attachments.downloadUrl(record)),
      ),
      has_more: page.hasMore,
      ...(page.pageToken === undefined ? {} : { page_token: page.pageToken }),
    });
  }

  @Get(FeishuPath.Attachment)
  @FeishuOperation('attachment.get', OperationScopes.attachmentRead)
  get(
    @Req() req: Request,
    @Param('attachment_guid') guid: string,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): FeishuEnvelope<GetAttachmentData> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const record = this.attachments.get(principalOf(req), parseGuid(guid, 'attachment_guid'));
    return ok({
      attachment: this.presenter.attachment(record, userIdType, this.attachments.downloadUrl(record)),
    });
  }

  @Delete(FeishuPath.Attachment)
  @FeishuOperation('attachment.delete', OperationScopes.attachmentWrite)
  async delete(@Req() req: Request, @Param('attachment_guid') guid: string): Promise<FeishuEnvelope<object>> {
    await this.attachments.delete(principalOf(req), parseGuid(guid, 'attachment_guid'));
    return ok({});
  }
}
