import type { ClockState } from '../common/clock.js';
import { InMemoryAttachmentRepository } from '../attachments/in-memory-attachment.repository.js';
import { FsBlobStore } from '../blobs/fs-blob.store.js';
import { InMemoryDownloadTokenRepository } from '../downloads/in-memory-download-token.repository.js';
import { InMemoryIdentityRepository } from '../identity/in-memory-identity.repository.js';
import { InMemoryTaskRepository } from '../tasks/in-memory-task.repository.js';
import { ClockStateRepository } from './clock-state.repository.js';
import type { MockFeishuStore } from './mock-feishu.store.js';

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
