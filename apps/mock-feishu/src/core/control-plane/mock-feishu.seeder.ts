import { Readable } from 'node:stream';
import { MAX_FILE_BYTES } from '@feishu-attachments/api-client/wire';
import { ShiftableClock } from '../shared/clock.js';
import { principalKey, type App, type Principal, type User } from '../identity/identity.js';
import { IdentityService, type UserTokenGrant } from '../identity/identity.service.js';
import { ALL_SCOPES, MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { TasksService } from '../tasks/tasks.service.js';
import type { MemberRef } from '../tasks/task.commands.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import type { AttachmentRecord } from '../attachments/attachment.js';
import { BlobStore } from '../blobs/blob-store.js';
import { DownloadUrlsService } from '../downloads/download-urls.service.js';
import { RateLimiterService } from '../rate-limits/rate-limiter.service.js';
import { FeishuErrors } from '../errors/feishu-errors.js';
import { FaultsService } from './faults.service.js';
import { JournalService } from './journal.service.js';
import { isWritableContentType } from './seed-rules.js';
import type {
  MockFeishuSeeder as MockFeishuSeederApi,
  ResetOptions,
  SeedActor,
  SeedAttachment,
  SeedTask,
} from './seeder.api.js';

export type { ResetOptions, SeedActor, SeedAttachment, SeedTask } from './seeder.api.js';

function checkContentType(seed: SeedAttachment): void {
  if (seed.contentType !== undefined && !isWritableContentType(seed.contentType)) {
    throw FeishuErrors.invalidParam(
      'content_type',
      'must be a type/subtype media type that can be written as a header',
    );
  }
}

/**
 * The one way state gets into the emulator besides its API: the control plane, the
 * programmatic handle and contract-test state handlers all call this. It goes through the
 * services, so seeded state is built exactly as the API would build it.
 */
export class MockFeishuSeeder implements MockFeishuSeederApi {
  private defaultState?: (seeder: MockFeishuSeederApi) => void | Promise<void>;

  constructor(
    private readonly settings: MockFeishuSettings,
    private readonly identity: IdentityService,
    private readonly tasks: TasksService,
    private readonly attachments: AttachmentsService,
    private readonly blobs: BlobStore,
    private readonly downloadUrls: DownloadUrlsService,
    private readonly rateLimiter: RateLimiterService,
    private readonly faults: FaultsService,
    private readonly journal: JournalService,
    private readonly clock: ShiftableClock,
  ) {}

  /** Extra state applied at start and after every reset. */
  setDefaultState(seed: ((seeder: MockFeishuSeederApi) => void | Promise<void>) | undefined): void {
    this.defaultState = seed;
  }

  /** The default app, always; the extra default state only when `withState` (an empty store). */
  async seedDefaults(withState = true): Promise<void> {
    // Replacing: after a reset that kept tokens the default app is still there, and stays the default.
    await this.identity.registerApp(
      { appId: this.settings.appId, appSecret: this.settings.appSecret, scopes: ALL_SCOPES },
      { replace: true },
    );
    if (withState) await this.defaultState?.(this);
  }

  /** Back to the seeded state: counters (task numbers, upload order) start over too. */
  async reset(options: ResetOptions = {}): Promise<void> {
    await this.attachments.clear();
    await this.tasks.clear();
    await this.downloadUrls.clear();
    this.rateLimiter.reset();
    this.faults.clear();
    this.journal.clear();
    this.clock.reset();
    if (!options.keepTokens) await this.identity.clear();
    await this.seedDefaults();
  }

  /** How much is stored, for tests that check nothing was left behind. */
  async counts(): Promise<{ tasks: number; attachments: number }> {
    return { tasks: await this.tasks.count(), attachments: await this.attachments.count() };
  }

  /** A new app; an existing app_id is refused (409) unless `replace`. */
  createApp(
    app: { appId: string; appSecret: string; scopes?: readonly string[] },
    options: { replace?: boolean } = {},
  ): Promise<App> {
    return this.identity.registerApp({ ...app, scopes: app.scopes ?? ALL_SCOPES }, options);
  }

  /** A new user; an existing open_id is refused (409) unless `replace`. */
  createUser(
    name: string,
    ids: Partial<Pick<User, 'openId' | 'unionId' | 'userId'>> = {},
    options: { replace?: boolean } = {},
  ): Promise<User> {
    return this.identity.createUser(name, ids, options);
  }

  issueUserToken(
    openId: string,
    options: { appId?: string; scopes?: readonly string[] } = {},
  ): Promise<UserTokenGrant> {
    return this.identity.issueUserToken(
      options.appId ?? this.settings.appId,
      openId,
      options.scopes ?? ALL_SCOPES,
    );
  }

  issueAuthorizationCode(
    openId: string,
    options: { appId?: string; scopes?: readonly string[] } = {},
  ): Promise<string> {
    return this.identity.issueAuthorizationCode(
      options.appId ?? this.settings.appId,
      openId,
      options.scopes ?? ALL_SCOPES,
    );
  }

  async createTask(seed: SeedTask): Promise<string> {
    const principal = await this.principal(seed.creator);
    const members: MemberRef[] = [];
    for (const member of seed.members ?? []) {
      members.push(
        member.openId
          ? { type: 'user', id: (await this.requireUser(member.openId)).openId, role: member.role }
          : { type: 'app', id: member.appId ?? this.settings.appId, role: member.role },
      );
    }
    const task = await this.tasks.createAsOperator(
      principal,
      {
        summary: seed.summary,
        description: seed.description ?? '',
        completedAt: seed.completedAt ?? 0,
        members,
        reminders: seed.reminders ?? [],
        tasklists: seed.tasklists ?? [],
        customFields: seed.customFields ?? [],
        userIdType: 'open_id',
        due: seed.due,
        start: seed.start,
        extra: seed.extra,
        repeatRule: seed.repeatRule,
        customComplete: seed.customComplete,
        origin: seed.origin,
        mode: seed.mode,
        isMilestone: seed.isMilestone,
      },
      seed.parentGuid,
    );
    return task.guid;
  }

  /** A task and its attachments in one step; every named user is checked before anything is stored. */
  async createTaskWithAttachments(
    seed: SeedTask & { attachments?: SeedAttachment[] },
  ): Promise<{ taskGuid: string; attachments: AttachmentRecord[] }> {
    for (const attachment of seed.attachments ?? []) {
      checkContentType(attachment);
      await this.principal(attachment.uploader);
    }
    const taskGuid = await this.createTask(seed);
    const attachments: AttachmentRecord[] = [];
    for (const attachment of seed.attachments ?? [])
      attachments.push(await this.addAttachment(taskGuid, attachment));
    return { taskGuid, attachments };
  }

  /** Refused (400) before anything is stored: a content type no download could write, or over 50 MiB. */
  async addAttachment(taskGuid: string, seed: SeedAttachment): Promise<AttachmentRecord> {
    checkContentType(seed);
    await this.tasks.find(taskGuid);
    const principal = await this.principal(seed.uploader);
    const source =
      seed.content instanceof Readable
        ? seed.content
        : Readable.from([Buffer.from(seed.content as Uint8Array | string)]);
    const stored = await this.blobs.write(source);
    if (stored.size > MAX_FILE_BYTES) {
      await this.blobs.delete(stored.key);
      throw FeishuErrors.invalidParam('content', `is over Feishu's ${MAX_FILE_BYTES} bytes`);
    }
    const [record] = await this.attachments.attach(taskGuid, principalKey(principal), [
      {
        originalname: seed.name,
        mimetype: seed.contentType ?? 'application/octet-stream',
        blobKey: stored.key,
        size: stored.size,
      },
    ]);
    return record;
  }

  private async principal(actor: SeedActor | undefined): Promise<Principal> {
    if (actor && 'openId' in actor) {
      return {
        kind: 'user',
        appId: this.settings.appId,
        openId: (await this.requireUser(actor.openId)).openId,
        scopes: ALL_SCOPES,
      };
    }
    return { kind: 'app', appId: actor?.appId ?? this.settings.appId };
  }

  private async requireUser(openId: string): Promise<User> {
    const user = await this.identity.findUser(openId);
    if (!user) throw FeishuErrors.invalidParam('open_id', `no user ${openId}; create one first`);
    return user;
  }
}
