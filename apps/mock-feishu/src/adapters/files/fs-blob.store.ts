import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { BlobStore, type StoredBlob } from '../../core/blobs/blob-store.js';

/** Names this store gives its files; nothing else in the folder is ever touched. */
const BLOB_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PARTIAL_SUFFIX = '.part';

/**
 * Blobs as files in one folder. Durable mode writes `<key>.part`, fsyncs it, renames it to
 * `<key>` and fsyncs the folder, so a crash leaves either a complete blob or a `.part` file
 * (which `sweep` removes at the next start). The temporary mode skips the fsyncs: its folder
 * is removed on close anyway.
 */
export class FsBlobStore extends BlobStore {
  /**
   * Keys this process wrote (or is writing) before its sweep finished: never an orphan, whatever
   * the index says yet. Only a durable store sweeps, and only once at start, so the set is kept
   * just until then; kept for the process's life it grew by a key per upload (a memory soak,
   * tools/bench/findings.md).
   */
  private readonly writtenHere = new Set<string>();
  private tracking: boolean;
  private made: boolean;

  private constructor(
    private readonly dir: string,
    private readonly durable: boolean,
    private readonly ownsDir: boolean,
  ) {
    super();
    this.tracking = durable;
    this.made = durable;
  }

  /**
   * A folder of its own under the system's temporary folder, removed on close. Made on first use,
   * not here: a sandbox that never takes an upload then never touches the disk, and making an empty
   * folder was 86 % of creating a sandbox, up to 1 ms on a busy disk (tools/bench/findings.md).
   */
  static temporary(): FsBlobStore {
    return new FsBlobStore(join(tmpdir(), `mock-feishu-${randomUUID()}`), false, true);
  }

  static durable(dir: string): FsBlobStore {
    mkdirSync(dir, { recursive: true });
    return new FsBlobStore(dir, true, false);
  }

  /** The folder, made now if it was not yet. */
  get directory(): string {
    this.ensureDir();
    return this.dir;
  }

  // Not recursive, and private to this user as mkdtemp's: a folder already there (nobody can guess
  // the name) is an error, never a folder someone else prepared.
  private ensureDir(): void {
    if (this.made) return;
    mkdirSync(this.dir, { mode: 0o700 });
    this.made = true;
  }

  async write(source: Readable, options: { signal?: AbortSignal } = {}): Promise<StoredBlob> {
    this.ensureDir();
    const key = randomUUID();
    if (this.tracking) this.writtenHere.add(key);
    const path = join(this.dir, key);
    const target = this.durable ? path + PARTIAL_SUFFIX : path;
    // The file stream counts what it wrote, so no counting stage sits between the two.
    const file = createWriteStream(target);
    try {
      await pipeline(source, file, { signal: options.signal });
      if (this.durable) {
        await fsync(target);
        await rename(target, path);
        await fsync(this.dir);
      }
    } catch (error) {
      this.writtenHere.delete(key);
      await unlink(target).catch(() => undefined);
      throw error;
    }
    return { key, size: file.bytesWritten };
  }

  read(key: string): Readable {
    // 1 MiB reads: with the default 64 KiB a download ran at half the speed of the disk (BENCHMARKS.md).
    return createReadStream(join(this.dir, key), { highWaterMark: 1024 * 1024 });
  }

  async delete(key: string): Promise<void> {
    if (!BLOB_NAME.test(key)) return;
    this.writtenHere.delete(key);
    await unlink(join(this.dir, key)).catch(() => undefined);
  }

  /**
   * Removes this store's files that no committed row names and this process did not write: what
   * an earlier run left when a crash cut an upload short (`.part` files, blobs whose rows never
   * committed). Safe to run while the server takes uploads, so a large store need not wait for
   * it before listening. Runs once: later calls find nothing, since keys written from then on
   * are no longer tracked.
   */
  async sweep(indexed: ReadonlySet<string>): Promise<string[]> {
    if (!this.tracking) return [];
    try {
      const names = await readdir(this.dir).catch(() => [] as string[]);
      const orphans = names.filter((name) => {
        const key = name.endsWith(PARTIAL_SUFFIX) ? name.slice(0, -PARTIAL_SUFFIX.length) : name;
        return BLOB_NAME.test(key) && !this.writtenHere.has(key) && (name !== key || !indexed.has(key));
      });
      await Promise.all(orphans.map((name) => unlink(join(this.dir, name)).catch(() => undefined)));
      return orphans;
    } finally {
      this.tracking = false;
      this.writtenHere.clear();
    }
  }

  /** How many keys the store holds on to for its sweep (0 once it has swept, and ever in temporary mode). */
  get trackedKeys(): number {
    return this.writtenHere.size;
  }

  async close(): Promise<void> {
    if (this.ownsDir && this.made) await rm(this.dir, { recursive: true, force: true });
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
