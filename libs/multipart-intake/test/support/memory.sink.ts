import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileSink } from '../../src/index.js';

/**
 * A sink in memory that keeps a file only once its stream ended, and records what it was asked:
 * enough to see that an aborted write left nothing and that stored files were removed in time.
 */
export class MemorySink implements FileSink {
  readonly stored = new Map<string, Buffer>();
  readonly removed: string[] = [];
  writes = 0;
  aborted = 0;
  private next = 0;
  private changed?: () => void;

  constructor(
    private readonly options: {
      /** Each removal takes this long, so a refusal reported before them would still see the files. */
      removeDelayMs?: number;
      /** The write reads nothing until this has passed (a slow disk). */
      startDelayMs?: number;
      fail?: Error;
    } = {},
  ) {}

  /** Resolves once `write` has been called `count` times in all. */
  written(count = 1): Promise<void> {
    return this.until(() => this.writes >= count);
  }

  /** Resolves once `count` files are stored. */
  holding(count: number): Promise<void> {
    return this.until(() => this.stored.size >= count);
  }

  private until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => {
      this.changed = () => check() && resolve();
    });
  }

  async write(stream: Readable, { signal }: { signal: AbortSignal }): Promise<{ key: string; size: number }> {
    this.writes += 1;
    this.changed?.();
    if (this.options.fail) throw this.options.fail;
    const key = `blob-${++this.next}`;
    const chunks: Buffer[] = [];
    if (this.options.startDelayMs)
      await new Promise((resolve) => setTimeout(resolve, this.options.startDelayMs));
    try {
      await pipeline(
        stream,
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk);
            done();
          },
        }),
        { signal },
      );
    } catch (error) {
      if (signal.aborted) this.aborted += 1;
      throw error;
    }
    const bytes = Buffer.concat(chunks);
    this.stored.set(key, bytes);
    this.changed?.();
    return { key, size: bytes.length };
  }

  async remove(key: string): Promise<void> {
    if (this.options.removeDelayMs)
      await new Promise((resolve) => setTimeout(resolve, this.options.removeDelayMs));
    this.removed.push(key);
    this.stored.delete(key);
  }
}
