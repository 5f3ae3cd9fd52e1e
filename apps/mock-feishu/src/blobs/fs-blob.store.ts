import { createReadStream, createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { BlobStore, type StoredBlob } from './blob-store.js';

const BLOB_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Blobs as files in one folder: the given one, or a temporary one removed on close. */
export class FsBlobStore extends BlobStore {
  private readonly dir: string;
  private readonly ownsDir: boolean;

  constructor(dir?: string) {
    super();
    if (dir) {
      mkdirSync(dir, { recursive: true });
      this.dir = dir;
      this.ownsDir = false;
    } else {
      this.dir = mkdtempSync(join(tmpdir(), 'mock-feishu-'));
      this.ownsDir = true;
    }
  }

  get directory(): string {
    return this.dir;
  }

  async write(source: Readable): Promise<StoredBlob> {
    const key = randomUUID();
    const path = join(this.dir, key);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(path));
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
    return { key, size };
  }

  read(key: string): Readable {
    // 1 MiB reads: with the default 64 KiB a download ran at half the speed of the disk (BENCHMARKS.md).
    return createReadStream(join(this.dir, key), { highWaterMark: 1024 * 1024 });
  }

  async delete(key: string): Promise<void> {
    await unlink(join(this.dir, key)).catch(() => undefined);
  }

  async clear(): Promise<void> {
    // Only our own files: a user-given folder may hold other things.
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((name) =>
      BLOB_NAME.test(name),
    );
    await Promise.all(names.map((name) => unlink(join(this.dir, name)).catch(() => undefined)));
  }

  async close(): Promise<void> {
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
  }
}
