import type { ClockState } from '../../core/shared/clock.js';
import { InMemoryAttachmentRepository } from './in-memory-attachment.repository.js';
import { FsBlobStore } from '../files/fs-blob.store.js';
import { InMemoryDownloadTokenRepository } from './in-memory-download-token.repository.js';
import { InMemoryIdentityRepository } from './in-memory-identity.repository.js';
import { InMemoryTaskRepository } from './in-memory-task.repository.js';
import { ClockStateRepository } from '../../core/shared/clock-state.repository.js';
import type { MockFeishuStore } from '../../core/store/mock-feishu.store.js';

class InMemoryClockStateRepository extends ClockStateRepository {
  private state?: ClockState;

  async load(): Promise<ClockState | undefined> {
    return this.state;
  }

  async save(state: ClockState): Promise<void> {
    this.state = state;
  }
}

/** Everything in this process; bytes in a temporary folder removed on close. */
export function openInMemoryStore(): MockFeishuStore {
  const blobs = FsBlobStore.temporary();
  return {
    kind: 'memory',
    fresh: true,
    identities: new InMemoryIdentityRepository(),
    tasks: new InMemoryTaskRepository(),
    attachments: new InMemoryAttachmentRepository(),
    downloadTokens: new InMemoryDownloadTokenRepository(),
    clockState: new InMemoryClockStateRepository(),
    blobs,
    close: () => blobs.close(),
  };
}
