import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ShiftableClock } from '../common/clock.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import { DownloadUrlsService } from '../downloads/download-urls.service.js';
import { RateLimiterService } from '../rate-limits/rate-limiter.service.js';
import { FaultsService } from './faults.service.js';
import { JournalService } from './journal.service.js';
import { MockFeishuSeeder } from './mock-feishu.seeder.js';
import { userTokenWire } from '../identity/auth.controller.js';
import { MOCK_FEISHU_STORE, type MockFeishuStore } from '../store/mock-feishu.store.js';
import { downloadUrlWire } from '../presentation/download-url.presenter.js';

export const CONTROL_PLANE_OPENAPI_PATH = join(
  __dirname,
  '..',
  '..',
  'openapi',
  'control-plane.openapi.yaml',
);

const scopes = z.array(z.string()).optional();

const schemas = {
  reset: z.object({ keepTokens: z.boolean().optional() }).strict(),
  // One object with a refinement rather than a union, so a bad body is told which field is wrong.
  clock: z
    .object({
      advanceMs: z.number().int().nonnegative().optional(),
      setMs: z.number().int().nonnegative().optional(),
      freeze: z.boolean().optional(),
    })
    .strict()
    .refine(
      (change) => change.advanceMs === undefined || change.setMs === undefined,
      'give advanceMs or setMs, not both',
    )
    .refine(
      (change) => change.advanceMs !== undefined || change.setMs !== undefined || change.freeze !== undefined,
      'give exactly one of advanceMs or setMs, and/or freeze',
    ),
  app: z.object({ app_id: z.string().min(1), app_secret: z.string().min(1), scopes }).strict(),
  user: z
    .object({
      name: z.string().min(1),
      open_id: z.string().min(1).optional(),
      union_id: z.string().min(1).optional(),
      user_id: z.string().min(1).optional(),
    })
    .strict(),
  credential: z.object({ open_id: z.string().min(1), app_id: z.string().min(1).optional(), scopes }).strict(),
  task: z
    .object({
      summary: z.string().min(1),
      description: z.string().optional(),
      creator_open_id: z.string().min(1).optional(),
      members: z
        .array(z.object({ open_id: z.string().min(1), role: z.enum(['assignee', 'follower']) }).strict())
        .optional(),
      attachments: z
        .array(
          z
            .object({
              name: z.string().min(1),
              content: z.string(),
              encoding: z.enum(['utf8', 'base64']).optional(),
              content_type: z.string().optional(),
              uploader_open_id: z.string().min(1).optional(),
            })
            .strict(),
        )
        .optional(),
    })
    .strict(),
  fault: z
    .object({
      method: z.string().min(1).optional(),
      path: z.string().min(1).optional(),
      operation: z.string().min(1).optional(),
      times: z.number().int().positive().default(1),
      error: z
        .object({
          status: z.number().int().min(100).max(599),
          code: z.number().int(),
          msg: z.string().default('injected fault'),
          headers: z.record(z.string(), z.string()).optional(),
        })
        .strict()
        .optional(),
      delayMs: z.number().int().nonnegative().max(600_000).optional(),
      drop: z.boolean().optional(),
    })
    .strict()
    .refine(
      (rule) => rule.method || rule.path || rule.operation,
      'name at least one of method, path, operation',
    )
    .refine((rule) => rule.error || rule.delayMs || rule.drop, 'give an error, a delayMs or drop: true'),
  rateLimits: z.object({ enabled: z.boolean() }).strict(),
  journalQuery: z
    .object({
      operation: z.string().optional(),
      method: z.string().optional(),
      path: z.string().optional(),
      limit: z.coerce.number().int().positive().optional(),
    })
    .strict(),
};

function parse<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query' = 'body'): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || where}: ${issue.message}`);
    throw FeishuErrors.invalidRequest(`Invalid control-plane request: ${issues.join('; ')}`);
  }
  return result.data;
}

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
    @Inject(MOCK_FEISHU_STORE) private readonly store: MockFeishuStore,
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
    if (change.freeze === true) this.clock.freeze(true);
    if (change.advanceMs !== undefined) this.clock.advance(change.advanceMs);
    if (change.setMs !== undefined) this.clock.set(change.setMs);
    if (change.freeze === false) this.clock.freeze(false);
    return { now: this.clock.now(), frozen: this.clock.frozen };
  }

  @Post('apps')
  async createApp(@Body() body: unknown) {
    const input = parse(schemas.app, body);
    const app = await this.seeder.createApp({
      appId: input.app_id,
      appSecret: input.app_secret,
      scopes: input.scopes,
    });
    return { app_id: app.appId, scopes: app.scopes };
  }

  @Post('users')
  async createUser(@Body() body: unknown) {
    const input = parse(schemas.user, body);
    const user = await this.seeder.createUser(input.name, {
      openId: input.open_id,
      unionId: input.union_id,
      userId: input.user_id,
    });
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
      members: input.members?.map((member) => ({ openId: member.open_id, role: member.role })),
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

  @Get('download-urls')
  async downloadUrlList() {
    const urls = await this.downloadUrls.list();
    return { items: urls.map(downloadUrlWire) };
  }

  /** The whole state as one file, to check in as a fixture and start from with `--import`. */
  @Get('snapshot')
  async snapshot(@Res() res: Response): Promise<void> {
    if (!this.store.exportSnapshot) {
      throw FeishuErrors.invalidRequest(
        'Snapshots need a durable store: start the emulator with --data-dir (or dataDir) to export one.',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'mock-feishu-snapshot-'));
    try {
      const file = join(dir, 'snapshot.sqlite');
      const exported = await this.store.exportSnapshot(file);
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
