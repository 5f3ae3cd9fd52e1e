import { Body, Controller, Delete, Get, Header, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATEST_CLOCK_MS, type ShiftableClock } from '../../core/shared/clock.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { SandboxRegistry } from '../../core/sandboxes/sandbox-registry.js';
import { userTokenWire } from '../identity/auth.controller.js';
import { downloadUrlWire } from '../presenters/download-url.presenter.js';
import { sandboxOf } from '../request/request-context.js';
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

/**
 * `/__mock`: test controls kept apart from the emulated Feishu surface. Each route works on one
 * sandbox: the default one, or the one named by `/__mock/sandboxes/<id>/…` (sandbox-scope.middleware.ts).
 */
@Controller('__mock')
export class ControlPlaneController {
  private openapiDocument?: string;

  constructor(private readonly sandboxes: SandboxRegistry) {}

  @Get('health')
  health(@Req() req: Request) {
    return { status: 'ok', now: sandboxOf(req).clock.now() };
  }

  @Get('openapi.yaml')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  openapi(): string {
    this.openapiDocument ??= readFileSync(CONTROL_PLANE_OPENAPI_PATH, 'utf8');
    return this.openapiDocument;
  }

  @Post('reset')
  @HttpCode(200)
  async reset(@Req() req: Request, @Body() body: unknown) {
    await sandboxOf(req).seeder.reset(parse(schemas.reset, body));
    return clockWire(sandboxOf(req).clock);
  }

  @Get('clock')
  getClock(@Req() req: Request) {
    return clockWire(sandboxOf(req).clock);
  }

  @Post('clock')
  @HttpCode(200)
  setClock(@Req() req: Request, @Body() body: unknown) {
    const change = parse(schemas.clock, body);
    const { clock } = sandboxOf(req);
    if (change.advanceMs !== undefined && clock.now() + change.advanceMs > LATEST_CLOCK_MS) {
      throw FeishuErrors.invalidParam(
        'advanceMs',
        `it would move the clock past ${LATEST_CLOCK_MS} ms, the latest time the emulator can keep`,
      );
    }
    if (change.freeze === true) clock.freeze(true);
    if (change.advanceMs !== undefined) clock.advance(change.advanceMs);
    if (change.setMs !== undefined) clock.set(change.setMs);
    if (change.freeze === false) clock.freeze(false);
    return clockWire(sandboxOf(req).clock);
  }

  @Post('apps')
  async createApp(@Req() req: Request, @Body() body: unknown) {
    const input = parse(schemas.app, body);
    // An app id routes a token exchange to its sandbox, so it may belong to one sandbox only.
    const holder = await this.sandboxes.holderOf(input.app_id);
    if (holder && holder !== sandboxOf(req)) throw FeishuErrors.alreadyExists('app_id', input.app_id);
    const app = await sandboxOf(req).seeder.createApp(
      { appId: input.app_id, appSecret: input.app_secret, scopes: input.scopes },
      { replace: input.replace },
    );
    return { app_id: app.appId, scopes: app.scopes };
  }

  @Post('users')
  async createUser(@Req() req: Request, @Body() body: unknown) {
    const input = parse(schemas.user, body);
    const user = await sandboxOf(req).seeder.createUser(
      input.name,
      { openId: input.open_id, unionId: input.union_id, userId: input.user_id },
      { replace: input.replace },
    );
    return { name: user.name, open_id: user.openId, union_id: user.unionId, user_id: user.userId };
  }

  @Post('user-access-tokens')
  async createUserAccessToken(@Req() req: Request, @Body() body: unknown) {
    const input = parse(schemas.credential, body);
    return userTokenWire(
      await sandboxOf(req).seeder.issueUserToken(input.open_id, {
        appId: input.app_id,
        scopes: input.scopes,
      }),
    );
  }

  @Post('authorization-codes')
  async createAuthorizationCode(@Req() req: Request, @Body() body: unknown) {
    const input = parse(schemas.credential, body);
    return {
      code: await sandboxOf(req).seeder.issueAuthorizationCode(input.open_id, {
        appId: input.app_id,
        scopes: input.scopes,
      }),
    };
  }

  @Post('tasks')
  async createTask(@Req() req: Request, @Body() body: unknown) {
    const input = parse(schemas.task, body);
    const seeded = await sandboxOf(req).seeder.createTaskWithAttachments({
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
  addFault(@Req() req: Request, @Body() body: unknown) {
    const { times, error, delayMs, drop, ...match } = parse(schemas.fault, body);
    return sandboxOf(req).faults.add({ ...match, remaining: times, action: { error, delayMs, drop } });
  }

  @Get('faults')
  listFaults(@Req() req: Request) {
    return { items: sandboxOf(req).faults.list() };
  }

  @Delete('faults')
  clearFaults(@Req() req: Request) {
    sandboxOf(req).faults.clear();
    return { items: [] };
  }

  @Get('requests')
  requests(@Req() req: Request, @Query() query: unknown) {
    return { items: sandboxOf(req).journal.list(parse(schemas.journalQuery, query, 'query')) };
  }

  @Delete('requests')
  clearRequests(@Req() req: Request) {
    sandboxOf(req).journal.clear();
    return { items: [] };
  }

  /** Issued URLs a page at a time, like Feishu's lists: the ring holds up to 100 000 (oldest first unless `order=desc`). */
  @Get('download-urls')
  async downloadUrlList(@Req() req: Request, @Query() query: unknown) {
    const { page_size, page_token, order } = parse(schemas.downloadUrlsQuery, query, 'query');
    // The order is part of the cursor's scope, so a token from one order is refused in the other.
    const scope = `${DOWNLOAD_URLS_CURSOR}:${order}`;
    const page = await sandboxOf(req).downloadUrls.page({
      afterSeq: sandboxOf(req).pageTokens.decode(page_token, scope),
      limit: page_size,
      newestFirst: order === 'desc',
    });
    return {
      items: page.items.map(downloadUrlWire),
      has_more: page.hasMore,
      ...(page.hasMore ? { page_token: sandboxOf(req).pageTokens.encode(scope, page.lastSeq) } : {}),
    };
  }

  /** The whole state as one file, to check in as a fixture and start from with `--import`. */
  @Get('snapshot')
  async snapshot(@Req() req: Request, @Res() res: Response): Promise<void> {
    sandboxOf(req).snapshots.ensureAvailable();
    const dir = mkdtempSync(join(tmpdir(), 'mock-feishu-snapshot-'));
    try {
      const file = join(dir, 'snapshot.sqlite');
      const exported = await sandboxOf(req).snapshots.writeTo(file);
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
  setRateLimits(@Req() req: Request, @Body() body: unknown) {
    sandboxOf(req).rateLimiter.setEnabled(parse(schemas.rateLimits, body).enabled);
    return { enabled: sandboxOf(req).rateLimiter.isEnabled() };
  }

  @Get('rate-limits')
  getRateLimits(@Req() req: Request) {
    return { enabled: sandboxOf(req).rateLimiter.isEnabled() };
  }
}

function clockWire(clock: ShiftableClock) {
  return { now: clock.now(), frozen: clock.frozen };
}
