import type { AttachmentRepository } from '../attachments/attachment.repository.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { DownloadTokenRepository } from '../downloads/download-token.repository.js';
import type { IdentityRepository } from '../identity/identity.repository.js';
import type { TaskRepository } from '../tasks/task.repository.js';
import type { ClockStateRepository } from '../shared/clock-state.repository.js';

/** One adapter's set of ports: in memory (the default) or SQLite in a data dir. */
export interface MockFeishuStore {
  readonly kind: 'memory' | 'sqlite';
  /** True when nothing was stored before this start, so default state is seeded. */
  readonly fresh: boolean;
  readonly identities: IdentityRepository;
  readonly tasks: TaskRepository;
  readonly attachments: AttachmentRepository;
  readonly downloadTokens: DownloadTokenRepository;
  readonly clockState: ClockStateRepository;
  readonly blobs: BlobStore;
  /** A durable store keeps the page-token secret, so a page token outlives a restart. */
  readonly pageTokenSecret?: string;
  /**
   * Removes leftovers of a crash (blob files no committed row names); started once the server
   * listens, resolves with how many files it removed. Durable stores only.
   */
  sweep?(): Promise<number>;
  /** Writes the whole state (metadata and bytes) to one snapshot file; durable stores only. */
  exportSnapshot?(file: string): Promise<{ attachments: number; bytes: number }>;
  close(): Promise<void>;
}
