import type { Readable } from 'node:stream';

export interface StoredBlob {
  key: string;
  size: number;
}

/** Port for attachment bytes, kept apart from metadata so a durable adapter can replace it. */
export abstract class BlobStore {
  /** Streams `source` into the store; never holds the whole body in memory. */
  abstract write(source: Readable): Promise<StoredBlob>;
  abstract read(key: string): Readable;
  abstract delete(key: string): Promise<void>;
  abstract clear(): Promise<void>;
  abstract close(): Promise<void>;
}
