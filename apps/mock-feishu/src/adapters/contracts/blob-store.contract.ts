import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../core/blobs/blob-store.js';
import { freshEach, type OpenPort } from './port-harness.js';

/** A blob store and the folder its bytes are in (both adapters keep blobs as files). */
export interface BlobFolder {
  blobs: BlobStore;
  dir: string;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A source that sends `chunk` and then stalls, neither ending nor failing, as a refused upload's
 * file part can; `pulledAgain` resolves once the writer has taken the chunk and asks for more.
 */
function stallingAfter(chunk: Buffer | undefined): { source: Readable; pulledAgain: Promise<void> } {
  let sent = chunk === undefined;
  let pulled: () => void = () => undefined;
  const pulledAgain = new Promise<void>((resolve) => (pulled = resolve));
  const source = new Readable({
    read() {
      if (sent) return pulled();
      sent = true;
      this.push(chunk);
    },
  });
  return { source, pulledAgain };
}

/**
 * What BlobStore promises (core/blobs/blob-store.ts), as uploads, downloads and deletes rely on it:
 * bytes streamed in come back byte for byte under a key of their own; a delete removes that blob
 * and nothing else; an aborted or failed write rejects and leaves nothing behind, whatever state
 * its source is in.
 */
export function describeBlobStoreContract(name: string, open: OpenPort<BlobFolder>): void {
  describe(`BlobStore contract: ${name}`, () => {
    const store = freshEach(open);
    const blobs = () => store.repo.blobs;
    const files = async () => (await readdir(store.repo.dir)).sort();

    it('streams bytes in and back out unchanged, with their size', async () => {
      const chunks = [randomBytes(1024 * 1024 + 3), Buffer.from('tail'), randomBytes(17)];

      const stored = await blobs().write(Readable.from(chunks));

      expect(stored.size).toBe(1024 * 1024 + 3 + 4 + 17);
      expect((await readAll(blobs().read(stored.key))).equals(Buffer.concat(chunks))).toBe(true);
    });

    it('stores an empty body as an empty blob', async () => {
      const stored = await blobs().write(Readable.from([]));

      expect(stored.size).toBe(0);
      expect(await readAll(blobs().read(stored.key))).toEqual(Buffer.alloc(0));
    });

    it('gives every write a key of its own, even for the same bytes', async () => {
      const first = await blobs().write(Readable.from([Buffer.from('same')]));
      const second = await blobs().write(Readable.from([Buffer.from('same')]));

      expect(first.key).not.toBe(second.key);
      expect(await files()).toEqual([first.key, second.key].sort());
    });

    it('deletes one blob, after which reading it fails; the others stay', async () => {
      const gone = await blobs().write(Readable.from([Buffer.from('gone')]));
      const kept = await blobs().write(Readable.from([Buffer.from('kept')]));

      await blobs().delete(gone.key);

      expect(await files()).toEqual([kept.key]);
      await expect(readAll(blobs().read(gone.key))).rejects.toThrow();
      expect((await readAll(blobs().read(kept.key))).toString()).toBe('kept');
      // A second delete, or one of a key never written, is harmless.
      await blobs().delete(gone.key);
      await blobs().delete('00000000-0000-4000-8000-000000000000');
      expect(await files()).toEqual([kept.key]);
    });

    it('leaves alone any file it did not write, whatever name a delete is given', async () => {
      const kept = await blobs().write(Readable.from([Buffer.from('kept')]));
      await writeFile(join(store.repo.dir, 'notes.txt'), 'someone else’s');

      for (const key of ['notes.txt', '../notes.txt', '.', '', `${kept.key}/..`]) await blobs().delete(key);

      expect(await files()).toEqual([kept.key, 'notes.txt'].sort());
    });

    it('when the write is aborted mid-body, rejects and leaves nothing behind', async () => {
      const { source, pulledAgain } = stallingAfter(randomBytes(256 * 1024));
      const abort = new AbortController();

      const writing = blobs().write(source, { signal: abort.signal });
      await pulledAgain;
      abort.abort();

      await expect(writing).rejects.toThrow();
      expect(await files()).toEqual([]);
    });

    it('when aborted while its source has sent nothing and never ends, rejects and leaves nothing', async () => {
      const { source, pulledAgain } = stallingAfter(undefined);
      const abort = new AbortController();

      const writing = blobs().write(source, { signal: abort.signal });
      await pulledAgain;
      abort.abort();

      await expect(writing).rejects.toThrow();
      expect(await files()).toEqual([]);
    });

    it('refuses a write whose signal is already aborted, leaving nothing', async () => {
      await expect(
        blobs().write(Readable.from([Buffer.from('late')]), { signal: AbortSignal.abort() }),
      ).rejects.toThrow();

      expect(await files()).toEqual([]);
    });

    it('when its source fails mid-body, rejects with that error and leaves nothing', async () => {
      const { source, pulledAgain } = stallingAfter(randomBytes(64 * 1024));

      const writing = blobs().write(source);
      await pulledAgain;
      source.destroy(new Error('the client went away'));

      await expect(writing).rejects.toThrow('the client went away');
      expect(await files()).toEqual([]);
    });
  });
}
