import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import contentDisposition from 'content-disposition';
import { pipeline } from 'node:stream/promises';
import type { FeishuError } from '../feishu-errors/feishu-error.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { PublicFeishuOperation } from '../gateway/feishu-operation.decorator.js';
import { MockFeishuSettings } from '../mock-feishu.settings.js';
import type { AttachmentRecord } from '../attachments/attachment.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { DOWNLOAD_PATH, type DownloadRefusal } from './download-urls.service.js';

const REFUSAL_MESSAGES: Record<DownloadRefusal, string> = {
  unknown: 'The download URL is not valid.',
  expired: 'The download URL has expired (URLs are valid for 3 minutes).',
  used_up: 'The download URL has been used 3 times; get a fresh URL from the list or get attachment API.',
};

/** Temporary download URLs; no Authorization is needed, the code in the URL is the credential. */
@Controller()
export class DownloadsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly settings: MockFeishuSettings,
  ) {}

  @Get(DOWNLOAD_PATH)
  @PublicFeishuOperation('download')
  async download(@Req() req: Request, @Res() res: Response, @Query('code') code: unknown): Promise<void> {
    const key = typeof code === 'string' ? code : undefined;
    // A HEAD request looks without taking one of the URL's three uses, and answers as the GET would.
    if (req.method === 'HEAD') {
      const state = await this.attachments.peekDownload(key);
      if (!state.ok) throw this.refusal(state.reason);
      writeDownloadHeaders(res, state.attachment);
      res.end();
      return;
    }
    const result = await this.attachments.openDownload(key);
    if (!result.ok) throw this.refusal(result.reason);
    writeDownloadHeaders(res, result.attachment);
    await pipeline(result.body, res).catch(() => res.destroy());
  }

  private refusal(reason: DownloadRefusal): FeishuError {
    return FeishuErrors.downloadRefused(this.settings.downloadRefusalStatus, REFUSAL_MESSAGES[reason]);
  }
}

function writeDownloadHeaders(res: Response, attachment: AttachmentRecord): void {
  res.status(200);
  res.setHeader('Content-Type', attachment.contentType);
  res.setHeader('Content-Length', String(attachment.size));
  // The plain `filename` is ASCII only: a Latin-1 byte in a header is read as garbage by some
  // clients and proxies; the exact name travels in `filename*` (RFC 6266).
  res.setHeader(
    'Content-Disposition',
    contentDisposition(attachment.name, { fallback: attachment.name.replace(/[^\x20-\x7e]/g, '_') }),
  );
  res.setHeader('Cache-Control', 'no-store');
  // The bytes are whatever the uploader sent: a browser must not sniff an HTML or SVG file into a page.
  res.setHeader('X-Content-Type-Options', 'nosniff');
}
