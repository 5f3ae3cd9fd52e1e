import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UseInterceptors,
} from '@nestjs/common';
import type { Request } from 'express';
import {
  FeishuPath,
  type Attachment,
  type FeishuEnvelope,
  type GetAttachmentData,
  type Page,
  type UploadAttachmentsData,
} from '@feishu-attachments/api-client/wire';
import { principalOf, sandboxOf } from '../request/request-context.js';
import { parseGuid } from '../request/guid.js';
import { FeishuOperation, OperationScopes } from '../gateway/feishu-operation.decorator.js';
import { presentersOf } from '../presenters/sandbox-presenters.js';
import { ok } from '../presenters/envelope.js';
import { answerJson, JSON_CONTENT_TYPE, type WireJson } from '../presenters/answer-json.js';
import { parseUserIdType } from '../request/user-id-type.js';
import { parseListQuery, parseUploadCommand } from './attachment.params.js';
import { storedUploads, UploadInterceptor } from './upload.interceptor.js';

/** Every handler works on the sandbox the gateway found for the call's token. */
@Controller()
export class AttachmentsController {
  @Post(FeishuPath.AttachmentUpload)
  @HttpCode(200)
  @FeishuOperation('attachment.upload', OperationScopes.attachmentWrite)
  @UseInterceptors(UploadInterceptor)
  async upload(
    @Req() req: Request,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<UploadAttachmentsData>> {
    const sandbox = sandboxOf(req);
    const files = storedUploads(req);
    let userIdType;
    let command;
    try {
      userIdType = parseUserIdType(userIdTypeParam);
      command = parseUploadCommand(req.body ?? {}, files);
    } catch (error) {
      await Promise.all(files.map((file) => sandbox.store.blobs.delete(file.blobKey)));
      throw error;
    }
    const records = await sandbox.attachments.upload(principalOf(req), command);
    // Feishu: the upload response carries no `url` (task-v2/attachment/upload).
    return ok({ items: await presentersOf(sandbox).wire.attachments(records, userIdType) });
  }

  @Get(FeishuPath.Attachments)
  @Header('Content-Type', JSON_CONTENT_TYPE)
  @FeishuOperation('attachment.list', OperationScopes.attachmentRead)
  async list(@Req() req: Request, @Query() query: Record<string, unknown>): Promise<string> {
    const userIdType = parseUserIdType(query.user_id_type);
    const sandbox = sandboxOf(req);
    const page = await sandbox.attachments.listPage(principalOf(req), parseListQuery(query));
    const urls = await sandbox.downloadUrls.issueAll(page.items.map((item) => item.guid));
    // From each attachment's kept JSON text: 8 % less CPU per 50-item page than stringifying the
    // page (341 → 314 µs, findings.md), towards the list ≥ 2 × Prism target.
    const items = await presentersOf(sandbox).wire.attachmentsJson(page.items, userIdType, urls);
    return answerJson(
      ok({
        items,
        has_more: page.hasMore,
        ...(page.pageToken === undefined ? {} : { page_token: page.pageToken }),
      } satisfies WireJson<Page<Attachment>>),
    );
  }

  @Get(FeishuPath.Attachment)
  @FeishuOperation('attachment.get', OperationScopes.attachmentRead)
  async get(
    @Req() req: Request,
    @Param('attachment_guid') guid: string,
    @Query('user_id_type') userIdTypeParam: unknown,
  ): Promise<FeishuEnvelope<GetAttachmentData>> {
    const userIdType = parseUserIdType(userIdTypeParam);
    const sandbox = sandboxOf(req);
    const record = await sandbox.attachments.get(principalOf(req), parseGuid(guid, 'attachment_guid'));
    const [url] = await sandbox.downloadUrls.issueAll([record.guid]);
    return ok({ attachment: await presentersOf(sandbox).wire.attachment(record, userIdType, url) });
  }

  @Delete(FeishuPath.Attachment)
  @FeishuOperation('attachment.delete', OperationScopes.attachmentWrite)
  async delete(@Req() req: Request, @Param('attachment_guid') guid: string): Promise<FeishuEnvelope<object>> {
    await sandboxOf(req).attachments.delete(principalOf(req), parseGuid(guid, 'attachment_guid'));
    return ok({});
  }
}
