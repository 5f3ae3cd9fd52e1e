import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { FeishuError } from '../../core/errors/feishu-error.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { PublicFeishuOperation } from '../gateway/feishu-operation.decorator.js';
import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { sandboxOf } from '../request/request-context.js';
import { DOWNLOAD_PATH, type DownloadRefusal } from '../../core/downloads/download-urls.service.js';
import { downloadHeaders } from './download-headers.js';

const REFUSAL_MESSAGES: Record<DownloadRefusal, string> = {
  unknown: 'The download URL is not valid.',
  expired: 'The download URL has expired (URLs are valid for 3 minutes).',
  used_up: 'The download URL has been used 3 times; get a fresh URL from the list or get attachment API.',
};

/** Temporary download URLs; no Authorization is needed, the code in the URL is the credential. */
@Controller()
export class DownloadsController {
  constructor(private readonly settings: MockFeishuSettings) {}

  @Get(DOWNLOAD_PATH)
  @PublicFeishuOperation('download')
  async download(@Req() req: Request, @Res() res: Response, @Query('code') code: unknown): Promise<void> {
    const key = typeof code === 'string' ? code : undefined;
    // The sandbox the code names (the gateway found it); another sandbox's code is unknown there.
    const { downloads } = sandboxOf(req);
    // Looking first takes none of the URL's three uses: a HEAD request stops there, and a GET
    // whose headers cannot be written is refused before its use is spent.
    const state = await downloads.peekDownload(key);
    if (!state.ok) throw this.refusal(state.reason);
    const headers = downloadHeaders(state.attachment);
    if (req.method === 'HEAD') {
      writeHeaders(res, headers).end();
      return;
    }
    const result = await downloads.openDownload(key);
    if (!result.ok) throw this.refusal(result.reason);
    writeHeaders(res, headers);
    await pipeline(result.body, res).catch(() => res.destroy());
  }

  private refusal(reason: DownloadRefusal): FeishuError {
    return FeishuErrors.downloadRefused(this.settings.downloadRefusalStatus, REFUSAL_MESSAGES[reason]);
  }
}

// setHeader, not Express's res.set, which would add a charset to a text content type.
function writeHeaders(res: Response, headers: Record<string, string>): Response {
  res.status(200);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  return res;
}
