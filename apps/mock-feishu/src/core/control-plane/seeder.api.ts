// The seeder as the package's users see it (`RunningMockFeishu.seeder`, the `seed` option): an
// interface over types-only modules. The class behind it (mock-feishu.seeder.ts) names every
// service in its constructor; a public declaration that named the class would make users' type
// checks load all of them and what they import.
import type { Readable } from 'node:stream';
import type {
  TaskCustomComplete,
  TaskInTasklist,
  TaskMemberRole,
  TaskOrigin,
  TaskTime,
} from '@feishu-attachments/api-client/wire';
import type { AttachmentRecord } from '../attachments/attachment.js';
import type { App, User, UserTokenGrant } from '../identity/identity.js';
import type { TaskCustomFieldRecord } from '../tasks/task.js';

/** Who a seeded object belongs to: the default app, another app, or a user by open_id. */
export type SeedActor = { appId?: string } | { openId: string };

/**
 * A task as a test puts it in: Feishu's task fields (nested values in Feishu's own shapes), checked
 * by the same rules as task create (a reminder needs a due time, a start is not after the due time).
 */
export interface SeedTask {
  summary: string;
  description?: string;
  creator?: SeedActor;
  /** A user by open_id, or an app by app id (the default app when neither is given). */
  members?: { openId?: string; appId?: string; role: TaskMemberRole }[];
  /** Seeds the task as a subtask of this one, which must exist. */
  parentGuid?: string;
  due?: TaskTime;
  start?: TaskTime;
  /** When it was completed, in milliseconds since the epoch; absent or 0: not completed. */
  completedAt?: number;
  extra?: string;
  repeatRule?: string;
  customComplete?: TaskCustomComplete;
  origin?: TaskOrigin;
  /** 1: every assignee must complete it; 2: any one of them may. */
  mode?: number;
  isMilestone?: boolean;
  /** Minutes before the due time, one per reminder (Feishu allows one). */
  reminders?: number[];
  tasklists?: TaskInTasklist[];
  customFields?: TaskCustomFieldRecord[];
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
 * Puts state into the emulator the way its API would build it: what `/__mock` and contract-test
 * state handlers use too.
 */
export interface MockFeishuSeeder {
  /** Back to the seeded state: counters (task numbers, upload order) start over too. */
  reset(options?: ResetOptions): Promise<void>;
  /** How much is stored, for tests that check nothing was left behind. */
  counts(): Promise<{ tasks: number; attachments: number }>;
  /** A new app; an existing app_id is refused (409) unless `replace`. */
  createApp(
    app: { appId: string; appSecret: string; scopes?: readonly string[] },
    options?: { replace?: boolean },
  ): Promise<App>;
  /** A new user; an existing open_id is refused (409) unless `replace`. */
  createUser(
    name: string,
    ids?: Partial<Pick<User, 'openId' | 'unionId' | 'userId'>>,
    options?: { replace?: boolean },
  ): Promise<User>;
  issueUserToken(
    openId: string,
    options?: { appId?: string; scopes?: readonly string[] },
  ): Promise<UserTokenGrant>;
  issueAuthorizationCode(
    openId: string,
    options?: { appId?: string; scopes?: readonly string[] },
  ): Promise<string>;
  /** A task; returns its guid. */
  createTask(seed: SeedTask): Promise<string>;
  /** A task and its attachments in one step; every named user is checked before anything is stored. */
  createTaskWithAttachments(
    seed: SeedTask & { attachments?: SeedAttachment[] },
  ): Promise<{ taskGuid: string; attachments: AttachmentRecord[] }>;
  /** Refused (400) before anything is stored: a content type no download could write, or over 50 MiB. */
  addAttachment(taskGuid: string, seed: SeedAttachment): Promise<AttachmentRecord>;
}
