import { Controller, Delete, Get, HttpCode, Param, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { CallOptions } from '@feishu-attachments/api-client';
import { FeishuCall } from '../auth/feishu-call.decorator.js';
import { FeishuBackedRoutes } from '../common/api-docs.decorators.js';
import { GuidPipe } from '../common/validation.pipes.js';
import { ErrorBodyDto } from '../errors/error.dto.js';
import { AttachmentDto } from './attachment.dto.js';
import { AttachmentsService } from './attachments.service.js';

@ApiTags('attachments')
@FeishuBackedRoutes()
@ApiParam({ name: 'guid', format: 'uuid', description: 'attachment guid' })
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'guid is not a GUID' })
@ApiForbiddenResponse({
  type: ErrorBodyDto,
  description: "The caller may not read (or delete) the attachment's task",
})
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such attachment' })
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':guid')
  @ApiOperation({ summary: "An attachment's metadata" })
  @ApiOkResponse({ type: AttachmentDto })
  get(
    @Param('guid', new GuidPipe('guid')) guid: string,
    @FeishuCall() call: CallOptions,
  ): Promise<AttachmentDto> {
    return this.attachments.get(guid, call);
  }

  @Get(':guid/content')
  @ApiOperation({
    summary: "Download an attachment's bytes",
    description:
      "Streamed from Feishu's temporary download URL. URLs last 3 minutes and 3 downloads; an expired or used-up one is replaced with a fresh one without the caller noticing.",
  })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    description:
      'The bytes, with Content-Type, Content-Length (when known) and Content-Disposition (UTF-8 filename)',
    schema: { type: 'string', format: 'binary' },
  })
  async content(
    @Param('guid', new GuidPipe('guid')) guid: string,
    @FeishuCall() call: CallOptions,
    @Res() res: Response,
  ): Promise<void> {
    const download = await this.attachments.download(guid, call);
    res.status(200);
    res.setHeader('Content-Type', download.contentType);
    if (Number.isSafeInteger(download.size) && download.size >= 0) {
      res.setHeader('Content-Length', String(download.size));
    }
    res.setHeader('Content-Disposition', contentDisposition(download.name));
    // The bytes come from a one-time URL; a cache in between would serve them past their permissions.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // With backpressure: Feishu's bytes are read only as fast as the caller takes them. A failure
    // midway (Feishu cut off, caller gone) can only end the connection: the status is sent.
    await pipeline(download.body, res).catch(() => res.destroy());
  }

  @Delete(':guid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an attachment' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(
    @Param('guid', new GuidPipe('guid')) guid: string,
    @FeishuCall() call: CallOptions,
  ): Promise<void> {
    await this.attachments.delete(guid, call);
  }
}
