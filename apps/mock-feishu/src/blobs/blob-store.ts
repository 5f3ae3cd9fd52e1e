import type { Readable } from 'node:stream';

export interface StoredBlob {
  key: string;
  size: number;
}

/** Port for attachment bytes, kept apart from metadata; the metadata store indexes the keys. */
export abstract class BlobStore {
  /**
   * Streams `source` into the store; never holds the whole body in memory. A durable store
   * resolves only once the bytes are on disk (fsynced).
   */
  abstract write(source: Readable): Promise<StoredBlob>;
  abstract read(key: string): Readable;
  /** Removes one blob this store wrote; any other name is left alone. */
  abstract delete(key: string): Promise<void>;
  abstract close(): Promise<void>;
}
