import type { Readable } from 'node:stream';

export interface StoredBlob {
  key: string;
  size: number;
}

/** Port for attachment bytes, kept apart from metadata; the metadata store indexes the keys. */
export abstract class BlobStore {
  /**
   * Streams `source` into the store; never holds the whole body in memory. A durable store
   * resolves only once the bytes are on disk (fsynced). Aborting `signal` stops the write and
   * removes what was written, whatever state `source` is in: a refused upload's part may have
   * ended without 'end' ever being emitted, and a pipeline waiting on it would wait forever.
   */
  abstract write(source: Readable, options?: { signal?: AbortSignal }): Promise<StoredBlob>;
  abstract read(key: string): Readable;
  /** Removes one blob this store wrote; any other name is left alone. */
  abstract delete(key: string): Promise<void>;
  abstract close(): Promise<void>;
}
