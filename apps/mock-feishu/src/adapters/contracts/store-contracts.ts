import type { MockFeishuStore } from '../../core/store/mock-feishu.store.js';
import { describeAttachmentRepositoryContract } from './attachment-repository.contract.js';
import { describeBlobStoreContract } from './blob-store.contract.js';
import { describeClockStateRepositoryContract } from './clock-state-repository.contract.js';
import { describeDownloadTokenRepositoryContract } from './download-token-repository.contract.js';
import { describeIdentityRepositoryContract } from './identity-repository.contract.js';
import { describeMockFeishuStoreContract, type StoreAdapter } from './mock-feishu-store.contract.js';
import type { OpenPort } from './port-harness.js';
import { describeTaskRepositoryContract } from './task-repository.contract.js';

/**
 * Every port's contract on one adapter, each port taken from a fresh store of that adapter (as
 * the emulator wires them), plus the contract of the store as a whole.
 */
export function describeStoreContracts(name: string, adapter: StoreAdapter): void {
  const port =
    <T>(pick: (store: MockFeishuStore) => T): OpenPort<T> =>
    async () => {
      const store = await adapter.open();
      return { repo: pick(store), close: () => store.close() };
    };

  describeIdentityRepositoryContract(
    name,
    port((store) => store.identities),
  );
  describeTaskRepositoryContract(
    name,
    port((store) => store.tasks),
  );
  describeAttachmentRepositoryContract(
    name,
    port((store) => store.attachments),
  );
  describeDownloadTokenRepositoryContract(
    name,
    port((store) => store.downloadTokens),
  );
  describeClockStateRepositoryContract(
    name,
    port((store) => store.clockState),
  );
  describeBlobStoreContract(
    name,
    port((store) => ({ blobs: store.blobs, dir: adapter.blobDir(store) })),
  );
  describeMockFeishuStoreContract(name, adapter);
}
