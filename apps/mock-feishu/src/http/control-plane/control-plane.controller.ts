import { Body, Controller, Delete, Get, Header, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATEST_CLOCK_MS, ShiftableClock } from '../../core/shared/clock.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { DownloadUrlsService } from '../../core/downloads/download-urls.service.js';
import { RateLimiterService } from '../../core/rate-limits/rate-limiter.service.js';
import { FaultsService } from '../../core/control-plane/faults.service.js';
import { JournalService } from '../../core/control-plane/journal.service.js';
import { MockFeishuSeeder } from '../../core/control-plane/mock-feishu.seeder.js';
import { userTokenWire } from '../identity/auth.controller.js';
import { SnapshotExport } from '../../core/store/snapshot-export.js';
import { downloadUrlWire } from '../presenters/download-url.presenter.js';
import { PageTokenCodec } from '../../core/shared/page-token.js';
import { ControlPlaneSchemas as schemas, parseControl as parse } from './control-plane.schemas.js';

/** The cursor scope of `GET /__mock/download-urls` page tokens. */
const DOWNLOAD_URLS_CURSOR = '__mock/download-urls';

export const CONTROL_PLANE_OPENAPI_PATH = join(
  __dirname,
  '..',
  '..',
  '..',
  'openapi',
  'control-plane.openapi.yaml',
);

/** `/__mock`: test controls kept apart from the emulated Feishu surface. */
@Controller('__mock')
export class ControlPlaneController {
  private openapiDocument?: string;

  constructor(
    private readonly seeder: MockFeishuSeeder,
    private readonly clock: ShiftableClock,
    private readonly faults: FaultsService,
    private readonly journal: JournalService,
    private readonly downloadUrls: DownloadUrlsService,
    private readonly rateLimiter: RateLimiterService,
    private readonly pageTokens: PageTokenCodec,
    private readonly snapshots: SnapshotExport,
  ) {}

  @Get('health')
  health() {
    return { status: 'ok', now: this.clock.now() };
  }

  @Get('openapi.yaml')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  openapi(): string {
    this.openapiDocument ??= readFileSync(CONTROL_PLANE_OPENAPI_PATH, 'utf8');
    return this.openapiDocument;
  }

  @Post('reset')
  @HttpCode(200)
  async reset(@Body() body: unknown) {
    await this.seeder.reset(parse(schemas.reset, body));
    return { now: this.clock.now(), frozen: this.clock.frozen };
  }

  @Get('clock')
  getClock() {
    return { now: this.clock.now(), frozen: this.clock.frozen };
  }

  @Post('clock')
  @HttpCode(200)
  setClock(@Body() body: unknown) {
    const change = parse(schemas.clock, body);
    if (change.advanceMs !== undefined && this.clock.now() + change.advanceMs > LATEST_CLOCK_MS) {
      throw FeishuErrors.invalidParam(
        'advanceMs',
        `it would move the clock past ${LATEST_CLOCK_MS} ms, the latest time the emulator can keep`,
      );
    }
    if (change.freeze === true) this.clock.freeze(true);
    if (change.advanceMs !== undefined) this.clock.advance(change.advanceMs);
    if (change.setMs !== undefined) this.clock.set(change.setMs);
    if (change.freeze === false) this.clock.freeze(false);
    return { now: this.clock.now(), frozen: this.clock.frozen };
  }

  @Post('apps')
  async createApp(@Body() body: unknown) {
    const input = parse(schemas.app, body);
    const app = await this.seeder.createApp(
      { appId: input.app_id, appSecret: input.app_secret, scopes: input.scopes },
      { replace: input.replace },
    );
    return { app_id: app.appId, scopes: app.scopes };
  }

  @Post('users')
  async createUser(@Body() body: unknown) {
    const input = parse(schemas.user, body);
    const user = await this.seeder.createUser(
      input.name,
      { openId: input.open_id, unionId: input.union_id, userId: input.user_id },
      { replace: input.replace },
    );
    return { name: user.name, open_id: user.openId, union_id: user.unionId, user_id: user.userId };
  }

  @Post('user-access-tokens')
  async createUserAccessToken(@Body() body: unknown) {
    const input = parse(schemas.credential, body);
    return userTokenWire(
      await this.seeder.issueUserToken(input.open_id, { appId: input.app_id, scopes: input.scopes }),
    );
  }

  @Post('authorization-codes')
  async createAuthorizationCode(@Body() body: unknown) {
    const input = parse(schemas.credential, body);
    return {
      code: await this.seeder.issueAuthorizationCode(input.open_id, {
        appId: input.app_id,
        scopes: input.scopes,
      }),
    };
  }

  @Post('tasks')
  async createTask(@Body() body: unknown) {
    const input = parse(schemas.task, body);
    const seeded = await this.seeder.createTaskWithAttachments({
      summary: input.summary,
      description: input.description,
      creator: input.creator_open_id ? { openId: input.creator_open_id } : undefined,
      members: input.members?.map((member) => ({
        openId: member.open_id,
        appId: member.app_id,
        role: member.role,
      })),
      parentGuid: input.parent_task_guid?.toLowerCase(),
      due: input.due,
      start: input.start,
      completedAt: input.completed_at === undefined ? undefined : Number(input.completed_at),
      extra: input.extra,
      repeatRule: input.repeat_rule,
      customComplete: input.custom_complete,
      origin: input.origin,
      mode: input.mode,
      isMilestone: input.is_milestone,
      reminders: input.reminders?.map((reminder) => reminder.relative_fire_minute),
      tasklists: input.tasklists,
      customFields: input.custom_fields,
      attachments: input.attachments?.map((attachment) => ({
        name: attachment.name,
        content: Buffer.from(attachment.content, attachment.encoding ?? 'utf8'),
        contentType: attachment.content_type,
        uploader: attachment.uploader_open_id ? { openId: attachment.uploader_open_id } : undefined,
      })),
    });
    return {
      task_guid: seeded.taskGuid,
      attachments: seeded.attachments.map((record) => ({
        guid: record.guid,
        name: record.name,
        size: record.size,
      })),
    };
  }

  @Post('faults')
  addFault(@Body() body: unknown) {
    const { times, error, delayMs, drop, ...match } = parse(schemas.fault, body);
    return this.faults.add({ ...match, remaining: times, action: { error, delayMs, drop } });
  }

  @Get('faults')
  listFaults() {
    return { items: this.faults.list() };
  }

  @Delete('faults')
  clearFaults() {
    this.faults.clear();
    return { items: [] };
  }

  @Get('requests')
  requests(@Query() query: unknown) {
    return { items: this.journal.list(parse(schemas.journalQuery, query, 'query')) };
  }

  @Delete('requests')
  clearRequests() {
    this.journal.clear();
    return { items: [] };
  }

  /** Issued URLs a page at a time, like Feishu's lists: the ring holds up to 100 000 (oldest first unless `order=desc`). */
  @Get('download-urls')
  async downloadUrlList(@Query() query: unknown) {
    const { page_size, page_token, order } = parse(schemas.downloadUrlsQuery, query, 'query');
    // The order is part of the cursor's scope, so a token from one order is refused in the other.
    const scope = `${DOWNLOAD_URLS_CURSOR}:${order}`;
    const page = await this.downloadUrls.page({
      afterSeq: this.pageTokens.decode(page_token, scope),
      limit: page_size,
      newestFirst: order === 'desc',
    });
    return {
      items: page.items.map(downloadUrlWire),
      has_more: page.hasMore,
      ...(page.hasMore ? { page_token: this.pageTokens.encode(scope, page.lastSeq) } : {}),
    };
  }

  /** The whole state as one file, to check in as a fixture and start from with `--import`. */
  @Get('snapshot')
  async snapshot(@Res() res: Response): Promise<void> {
    this.snapshots.ensureAvailable();
    const dir = mkdtempSync(join(tmpdir(), 'mock-feishu-snapshot-'));
    try {
      const file = join(dir, 'snapshot.sqlite');
      const exported = await this.snapshots.writeTo(file);
      res.status(200);
      res.setHeader('Content-Type', 'application/vnd.sqlite3');
      res.setHeader('Content-Disposition', 'attachment; filename="mock-feishu-snapshot.sqlite"');
      res.setHeader('X-Mock-Feishu-Attachments', String(exported.attachments));
      await pipeline(createReadStream(file), res).catch(() => res.destroy());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  @Put('rate-limits')
  setRateLimits(@Body() body: unknown) {
    this.rateLimiter.setEnabled(parse(schemas.rateLimits, body).enabled);
    return { enabled: this.rateLimiter.isEnabled() };
  }

  @Get('rate-limits')
  getRateLimits() {
    return { enabled: this.rateLimiter.isEnabled() };
  }
}
