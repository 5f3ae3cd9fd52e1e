import { IdentityService } from '../identity/identity.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import { TaskAttachments } from '../attachments/task-attachments.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { DownloadUrlsService } from '../downloads/download-urls.service.js';
import { DownloadsService } from '../downloads/downloads.service.js';
import { RateLimiterService } from '../rate-limits/rate-limiter.service.js';
import { FaultsService } from '../control-plane/faults.service.js';
import { JournalService } from '../control-plane/journal.service.js';
import { MockFeishuSeeder } from '../control-plane/mock-feishu.seeder.js';
import type { MockFeishuSeeder as SeederApi } from '../control-plane/seeder.api.js';
import { ShiftableClock } from '../shared/clock.js';
import { PageTokenCodec } from '../shared/page-token.js';
import { SnapshotExport } from '../store/snapshot-export.js';
import type { MockFeishuStore } from '../store/mock-feishu.store.js';
import type { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { DEFAULT_SANDBOX_ID } from './sandbox-id.js';

/** What a sandbox is known by; kept with its state, so a durable sandbox is the same after a restart. */
export interface SandboxInfo {
  id: string;
  /** A label for people (the inspector's picker), e.g. the test file that made it. */
  name?: string;
  /** Wall-clock time it was made, ms since the epoch. */
  createdAt: number;
  /** Its own app, made with it: the app id routes a token exchange here. */
  app: { appId: string; appSecret: string };
}

export type DefaultState = (seeder: SeederApi) => void | Promise<void>;

/**
 * An isolated Feishu tenant: its own store (apps, users, tokens, tasks, attachments, bytes, URLs),
 * clock, faults, rate-limit windows and journal, with the use cases built over them. The default
 * sandbox is the emulator as it always was; every other one is made the same way from its own
 * store, so nothing a sandbox holds is reachable from another.
 */
export class Sandbox {
  readonly clock: ShiftableClock;
  readonly identity: IdentityService;
  readonly tasks: TasksService;
  readonly attachments: AttachmentsService;
  readonly downloadUrls: DownloadUrlsService;
  readonly downloads: DownloadsService;
  readonly rateLimiter: RateLimiterService;
  readonly faults: FaultsService;
  readonly journal: JournalService;
  readonly seeder: MockFeishuSeeder;
  readonly snapshots: SnapshotExport;
  readonly pageTokens: PageTokenCodec;
  /** The settings as this sandbox sees them: the emulator's, with its own app as the default app. */
  readonly settings: MockFeishuSettings;

  constructor(
    readonly info: SandboxInfo,
    readonly store: MockFeishuStore,
    emulatorSettings: MockFeishuSettings,
    pageTokenSecret: string,
    clock = new ShiftableClock(),
  ) {
    const tag = info.id === DEFAULT_SANDBOX_ID ? '' : info.id;
    this.clock = clock;
    this.settings = withDefaultApp(emulatorSettings, info.app);
    this.pageTokens = new PageTokenCodec(pageTokenSecret);
    this.identity = new IdentityService(store.identities, clock, tag);
    this.tasks = new TasksService(
      store.tasks,
      new TaskAttachments(store.attachments, store.blobs),
      this.identity,
      this.pageTokens,
      clock,
    );
    this.attachments = new AttachmentsService(
      store.attachments,
      store.blobs,
      this.tasks,
      this.pageTokens,
      clock,
    );
    this.downloadUrls = new DownloadUrlsService(store.downloadTokens, clock, this.settings, tag);
    this.downloads = new DownloadsService(store.downloadTokens, store.attachments, store.blobs, clock);
    this.rateLimiter = new RateLimiterService(clock, this.settings);
    this.faults = new FaultsService(clock);
    this.journal = new JournalService(this.settings);
    this.seeder = new MockFeishuSeeder(
      this.settings,
      this.identity,
      this.tasks,
      this.attachments,
      store.blobs,
      this.downloadUrls,
      this.rateLimiter,
      this.faults,
      this.journal,
      clock,
    );
    this.snapshots = new SnapshotExport(store);
  }

  get id(): string {
    return this.info.id;
  }

  /**
   * Loads the clock a durable store kept and keeps it from now on, then seeds the sandbox's app
   * (and the default state, into an empty store).
   */
  async open(defaultState: DefaultState | undefined): Promise<void> {
    const saved = await this.store.clockState.load();
    if (saved) this.clock.restore(saved);
    // The port's save runs synchronously up to its first await, which a SQLite save never reaches.
    this.clock.onChange((state) => void this.store.clockState.save(state));
    this.seeder.setDefaultState(defaultState);
    await this.seeder.seedDefaults(this.store.fresh);
  }

  /** Lets go of its store; calls held on its clock go on (and find the store closed). */
  async close(): Promise<void> {
    this.faults.clear();
    this.clock.release();
    await this.store.close();
  }
}

/**
 * The emulator's settings with another default app. A view, not a copy: what the emulator learns
 * once it listens (its public URL, which download URLs use) shows through.
 */
function withDefaultApp(settings: MockFeishuSettings, app: SandboxInfo['app']): MockFeishuSettings {
  if (app.appId === settings.appId && app.appSecret === settings.appSecret) return settings;
  return Object.create(settings, {
    appId: { value: app.appId, enumerable: true },
    appSecret: { value: app.appSecret, enumerable: true },
  }) as MockFeishuSettings;
}
