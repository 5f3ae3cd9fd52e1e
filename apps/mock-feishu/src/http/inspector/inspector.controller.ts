import { Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { sandboxOf } from '../request/request-context.js';
import { parseGuid } from '../request/guid.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { InspectorService } from './inspector.service.js';
import { downloadUrlWire } from '../presenters/download-url.presenter.js';

/** `/__mock` routes the inspector page needs besides the rest of the control plane. */
@Controller('__mock')
export class InspectorController {
  constructor(private readonly inspector: InspectorService) {}

  @Get('state')
  state(@Req() req: Request) {
    return this.inspector.state(sandboxOf(req));
  }

  @Get('operations')
  operations() {
    return { items: this.inspector.operations() };
  }

  @Delete('faults/:id')
  removeFault(@Req() req: Request, @Param('id') id: string) {
    const { faults } = sandboxOf(req);
    if (!faults.remove(parseId(id))) throw FeishuErrors.faultNotFound();
    return { items: faults.list() };
  }

  @Get('requests/:id')
  request(@Req() req: Request, @Param('id') id: string) {
    const entry = sandboxOf(req).journal.get(parseId(id));
    if (!entry) throw FeishuErrors.journalEntryNotFound();
    return entry;
  }

  @Post('attachments/:attachment_guid/download-urls')
  downloadUrl(@Req() req: Request, @Param('attachment_guid') guid: string) {
    return this.inspector
      .downloadUrl(sandboxOf(req), parseGuid(guid, 'attachment_guid'))
      .then(downloadUrlWire);
  }

  @Delete('attachments/:attachment_guid')
  deleteAttachment(@Req() req: Request, @Param('attachment_guid') guid: string) {
    return this.inspector.deleteAttachment(sandboxOf(req), parseGuid(guid, 'attachment_guid'));
  }
}

function parseId(id: string): number {
  if (!/^[1-9]\d{0,14}$/.test(id)) throw FeishuErrors.invalidParam('id', 'must be a positive integer');
  return Number(id);
}
