import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { TaskMemberRole } from '@feishu-attachments/api-client/wire';
import { ShiftableClock } from '../common/clock.js';
import { newFileToken, newGuid } from '../common/ids.js';
import { FeishuErrors } from '../feishu-errors/feishu-errors.js';
import type { App, Principal, User } from '../identity/identity.js';
import { IdentityService, type IssuedUserToken } from '../identity/identity.service.js';
import { ALL_SCOPES, MockFeishuSettings } from '../mock-feishu.settings.js';
import { TasksService } from '../tasks/tasks.service.js';
import { TaskRepository } from '../tasks/task.repository.js';
import { AttachmentRepository } from '../attachments/attachment.repository.js';
import type { AttachmentRecord } from '../attachments/attachment.js';
import { BlobStore } from '../blobs/blob-store.js';
import { DownloadUrlsService } from '../downloads/download-urls.service.js';
import { RateLimiterService } from '../rate-limits/rate-limiter.service.js';
import { FaultsService } from './faults.service.js';
import { JournalService } from './journal.service.js';

/** Who a seeded object belongs to: the default app, another app, or a user by open_id. */
export type SeedActor = { appId?: string } | { openId: string };

export interface SeedTask {
  summary: string;
  description?: string;
  creator?: SeedActor;
  members?: { openId?: string; appId?: string; role: TaskMemberRole }[];
}

export interface SeedAttachment {
  name: string;
  content: string | Buffer | Uint8Array | Readable;
  contentType?: string;
  uploader?: SeedActor;
}

export interface ResetOptions {
  /** Keep apps, users and every issued token, so clients that cache tokens keep working. */
  keepTokens?: boolean;
}

/**
 * The one way state gets into the emulator besides its API: the control plane, the
 * programmatic handle and contract-test state handlers all call this.
 */
@Injectable()
export class MockFeishuSeeder {
  private defaultState?: (seeder: MockFeishuSeeder) => void | Promise<void>;

  constructor(
    private readonly settings: MockFeishuSettings,
    private readonly identity: IdentityService,
    private readonly tasksService: TasksService,
    private readonly tasks: TaskRepository,
    private readonly attachments: AttachmentRepository,
    private readonly blobs: BlobStore,
    private readonly downloadUrls: DownloadUrlsService,
    private readonly rateLimiter: RateLimiterService,
    private readonly faults: FaultsService,
    private readonly journal: JournalService,
    private readonly clock: ShiftableClock,
  ) {}

  /** Extra state applied at start and after every reset. */
  setDefaultState(seed: ((seeder: MockFeishuSeeder) => void | Promise<void>) | undefined): void {
    this.defaultState = seed;
  }

  async seedDefaults(): Promise<void> {
    this.identity.registerApp({
      appId: this.settings.appId,
      appSecret: this.settings.appSecret,
      scopes: ALL_SCOPES,
    });
    await this.defaultState?.(this);
  }

  async reset(options: ResetOptions = {}): Promise<void> {
    this.tasks.clear();
    this.attachments.clear();
    await this.blobs.clear();
    this.downloadUrls.clear();
    this.rateLimiter.reset();
    this.faults.clear();
    this.journal.clear();
    this.clock.reset();
    if (!options.keepTokens) this.identity.clear();
    await this.seedDefaults();
  }

  /** How much is stored, for tests that check nothing was left behind. */
  counts(): { tasks: number; attachments: number } {
    return { tasks: this.tasks.count(), attachments: this.attachments.count() };
  }

  createApp(app: { appId: string; appSecret: string; scopes?: readonly string[] }): App {
    return this.identity.registerApp({ ...app, scopes: app.scopes ?? ALL_SCOPES });
  }

  createUser(name: string, ids: Partial<Pick<User, 'openId' | 'unionId' | 'userId'>> = {}): User {
    return this.identity.createUser(name, ids);
  }

  issueUserToken(
    openId: string,
    options: { appId?: string; scopes?: readonly string[] } = {},
  ): IssuedUserToken {
    return this.identity.issueUserToken(
      options.appId ?? this.settings.appId,
      openId,
      options.scopes ?? ALL_SCOPES,
    );
  }

  issueAuthorizationCode(
    openId: string,
    options: { appId?: string; scopes?: readonly string[] } = {},
  ): string {
    return this.identity.issueAuthorizationCode(
      options.appId ?? this.settings.appId,
      openId,
      options.scopes ?? ALL_SCOPES,
    );
  }

  createTask(seed: SeedTask): string {
    const principal = this.principal(seed.creator);
    // Members are resolved first, so a bad one leaves no half-made task behind.
    const members = (seed.members ?? []).map((member) => ({
      key: member.openId
        ? `user:${this.requireUser(member.openId).openId}`
        : `app:${member.appId ?? this.settings.appId}`,
      role: member.role,
    }));
    const task = this.tasksService.create(
      principal,
      { summary: seed.summary, description: seed.description },
      'open_id',
    );
    task.members = members;
    return task.guid;
  }

  /** A task and its attachments in one step; every named user is checked before anything is stored. */
  async createTaskWithAttachments(
    seed: SeedTask & { attachments?: SeedAttachment[] },
  ): Promise<{ taskGuid: string; attachments: AttachmentRecord[] }> {
    for (const attachment of seed.attachments ?? []) this.principal(attachment.uploader);
    const taskGuid = this.createTask(seed);
    const attachments: AttachmentRecord[] = [];
    for (const attachment of seed.attachments ?? [])
      attachments.push(await this.addAttachment(taskGuid, attachment));
    return { taskGuid, attachments };
  }

  async addAttachment(taskGuid: string, seed: SeedAttachment): Promise<AttachmentRecord> {
    if (!this.tasks.find(taskGuid)) throw FeishuErrors.taskNotFound();
    const source =
      seed.content instanceof Readable
        ? seed.content
        : Readable.from([Buffer.from(seed.content as Uint8Array | string)]);
    const principal = this.principal(seed.uploader);
    const stored = await this.blobs.write(source);
    const record: AttachmentRecord = {
      guid: newGuid(),
      fileToken: newFileToken(),
      name: seed.name,
      size: stored.size,
      contentType: seed.contentType ?? 'application/octet-stream',
      resourceType: 'task',
      resourceId: taskGuid,
      uploaderKey: principal.kind === 'app' ? `app:${principal.appId}` : `user:${principal.openId}`,
      isCover: false,
      uploadedAt: this.clock.now(),
      seq: this.attachments.nextSeq(),
      blobKey: stored.key,
    };
    this.attachments.save(record);
    return record;
  }

  private principal(actor: SeedActor | undefined): Principal {
    if (actor && 'openId' in actor) {
      return {
        kind: 'user',
        appId: this.settings.appId,
        openId: this.requireUser(actor.openId).openId,
        scopes: ALL_SCOPES,
      };
    }
    return { kind: 'app', appId: actor?.appId ?? this.settings.appId };
  }

  private requireUser(openId: string): User {
    const user = this.identity.findUser(openId);
    if (!user) throw FeishuErrors.invalidParam('open_id', `no user ${openId}; create one first`);
    return user;
  }
}
