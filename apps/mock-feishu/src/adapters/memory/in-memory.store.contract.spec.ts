import { describeStoreContracts } from '../contracts/store-contracts.js';
import { FsBlobStore } from '../files/fs-blob.store.js';
import { openInMemoryStore } from './in-memory.store.js';

// Every port's contract (src/adapters/contracts) on the in-memory store, the emulator's default.
describeStoreContracts('in memory', {
  open: async () => openInMemoryStore(),
  blobDir: (store) => {
    if (!(store.blobs instanceof FsBlobStore))
      throw new Error('the in-memory store keeps its blobs in files');
    return store.blobs.directory;
  },
});
