import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD, type CallOptions } from '@feishu-attachments/api-client';
import { FeishuCall } from '../auth/feishu-call.decorator.js';
import { FeishuBackedRoutes } from '../common/api-docs.decorators.js';
import { GuidPipe, ZodPipe } from '../common/validation.pipes.js';
import { ErrorBodyDto } from '../errors/error.dto.js';
import { AttachmentListDto, UploadAttachmentsBodyDto, UploadedAttachmentsDto } from './attachment.dto.js';
import { AttachmentsService } from './attachments.service.js';
import { BulkDeleteDto } from './bulk-delete.dto.js';
import { UploadInterceptor, uploadedParts } from './upload.interceptor.js';

/** Feishu's page size range (task-v2/attachment/list). */
const PAGE_SIZE_MIN = 1;
const PAGE_SIZE_MAX = 100;
const DEFAULT_PAGE_SIZE = 50;

const limitMessage = `limit must be a whole number from ${PAGE_SIZE_MIN} to ${PAGE_SIZE_MAX}`;
const listQuerySchema = z
  .object({
    limit: z
      .string({ error: `${limitMessage}, given once` })
      .regex(/^\d+$/, limitMessage)
      .transform(Number)
      .pipe(z.number().min(PAGE_SIZE_MIN, limitMessage).max(PAGE_SIZE_MAX, limitMessage))
      .optional(),
    cursor: z.string({ error: 'cursor must be given once' }).min(1, 'cursor must not be empty').optional(),
  })
  .strict();
type ListQuery = z.output<typeof listQuerySchema>;

@ApiTags('attachments')
@FeishuBackedRoutes()
@ApiParam({ name: 'taskGuid', format: 'uuid' })
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'taskGuid is not a GUID, or other bad input' })
@ApiForbiddenResponse({ type: ErrorBodyDto, description: 'The caller may not read (or edit) this task' })
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such task' })
@Controller('tasks/:taskGuid/attachments')
export class TaskAttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get()
  @ApiOperation({
    summary: "List a task's attachments",
    description:
      'Without `limit` and `cursor`: every attachment, all pages. With either: one page, and `nextCursor` while more remain.',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: PAGE_SIZE_MIN, maximum: PAGE_SIZE_MAX },
    description: `page size; turns on paging (default ${DEFAULT_PAGE_SIZE} when only \`cursor\` is given)`,
  })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' })
  @ApiOkResponse({ type: AttachmentListDto })
  list(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @Query(new ZodPipe(listQuerySchema, 'query')) query: ListQuery,
    @FeishuCall() call: CallOptions,
  ): Promise<AttachmentListDto> {
    if (query.limit === undefined && query.cursor === undefined)
      return this.attachments.listAll(taskGuid, call);
    return this.attachments.listPage(taskGuid, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor, call);
  }

  @Post()
  @HttpCode(201)
  @UseInterceptors(UploadInterceptor)
  @ApiOperation({
    summary: 'Upload 1–5 files to a task',
    description: `multipart/form-data with 1–${MAX_FILES_PER_UPLOAD} parts named \`file\`, each at most ${MAX_FILE_BYTES} bytes (50 MiB). The files are streamed to disk, then to Feishu in one request; the answer keeps the order of the parts.`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentsBodyDto })
  @ApiCreatedResponse({ type: UploadedAttachmentsDto })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'A file is larger than 50 MiB' })
  async upload(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @Req() req: Request,
    @FeishuCall() call: CallOptions,
  ): Promise<UploadedAttachmentsDto> {
    return { items: await this.attachments.upload(taskGuid, uploadedParts(req), call) };
  }

  @Delete()
  @ApiOperation({
    summary: "Delete all of a task's attachments",
    description:
      'Deletes them one by one and goes on past failures; the answer is 200 with a result per attachment even when some failed.',
  })
  @ApiOkResponse({ type: BulkDeleteDto })
  deleteAll(
    @Param('taskGuid', new GuidPipe('taskGuid')) taskGuid: string,
    @FeishuCall() call: CallOptions,
  ): Promise<BulkDeleteDto> {
    return this.attachments.deleteAll(taskGuid, call);
  }
}
