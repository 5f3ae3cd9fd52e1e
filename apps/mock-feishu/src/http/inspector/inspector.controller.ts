import { Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { parseGuid } from '../request/guid.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { FaultsService } from '../../core/control-plane/faults.service.js';
import { JournalService } from '../../core/control-plane/journal.service.js';
import { InspectorService } from './inspector.service.js';
import { downloadUrlWire } from '../presenters/download-url.presenter.js';

/** `/__mock` routes the inspector page needs besides the rest of the control plane. */
@Controller('__mock')
export class InspectorController {
  constructor(
    private readonly inspector: InspectorService,
    private readonly journal: JournalService,
    private readonly faults: FaultsService,
  ) {}

  @Get('state')
  state() {
    return this.inspector.state();
  }

  @Get('operations')
  operations() {
    return { items: this.inspector.operations() };
  }

  @Delete('faults/:id')
  removeFault(@Param('id') id: string) {
    if (!this.faults.remove(parseId(id))) throw FeishuErrors.faultNotFound();
    return { items: this.faults.list() };
  }

  @Get('requests/:id')
  request(@Param('id') id: string) {
    const entry = this.journal.get(parseId(id));
    if (!entry) throw FeishuErrors.journalEntryNotFound();
    return entry;
  }

  @Post('attachments/:attachment_guid/download-urls')
  downloadUrl(@Param('attachment_guid') guid: string) {
    return this.inspector.downloadUrl(parseGuid(guid, 'attachment_guid')).then(downloadUrlWire);
  }

  @Delete('attachments/:attachment_guid')
  deleteAttachment(@Param('attachment_guid') guid: string) {
    return this.inspector.deleteAttachment(parseGuid(guid, 'attachment_guid'));
  }
}

function parseId(id: string): number {
  if (!/^[1-9]\d{0,14}$/.test(id)) throw FeishuErrors.invalidParam('id', 'must be a positive integer');
  return Number(id);
}
