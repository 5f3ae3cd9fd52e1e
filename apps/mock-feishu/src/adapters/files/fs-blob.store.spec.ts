import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FsBlobStore } from './fs-blob.store.js';

const ORPHAN = '0b4a1b7e-3c1d-4f5e-9a2b-7c6d5e4f3a2b';

describe('FsBlobStore memory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-blob-store-spec-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const writeMany = async (store: FsBlobStore, count: number) => {
    const keys: string[] = [];
    for (let index = 0; index < count; index++) keys.push((await store.write(Readable.from(['x']))).key);
    return keys;
  };

  it('keeps no key per upload in temporary mode, which never sweeps', async () => {
    const store = FsBlobStore.temporary();
    try {
      await writeMany(store, 50);

      expect(store.trackedKeys).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('makes its temporary folder only on first use, and removes it on close', async () => {
    const before = new Set(await readdir(tmpdir()));
    const made = () =>
      readdir(tmpdir()).then((names) =>
        names.filter((name) => !before.has(name) && name.startsWith('mock-feishu-')),
      );
    const unused = FsBlobStore.temporary();
    await expect(unused.read(ORPHAN).toArray()).rejects.toMatchObject({ code: 'ENOENT' });
    await unused.delete(ORPHAN);
    expect(await made()).toEqual([]);
    await unused.close();

    const used = FsBlobStore.temporary();
    const [key] = await writeMany(used, 1);
    expect(await made()).toHaveLength(1);
    expect(Buffer.concat(await used.read(key).toArray()).toString()).toBe('x');
    await used.close();
    expect(await made()).toEqual([]);
  });

  it('keeps the keys it wrote until its start-up sweep, which spares them, then lets them go', async () => {
    const store = FsBlobStore.durable(dir);
    await writeFile(join(dir, ORPHAN), 'left by a crash');
    const keys = await writeMany(store, 3);
    expect(store.trackedKeys).toBe(3);

    // None of the three is in the index yet: only the earlier run's file is an orphan.
    const removed = await store.sweep(new Set());

    expect(removed).toEqual([ORPHAN]);
    expect((await readdir(dir)).sort()).toEqual([...keys].sort());
    expect(store.trackedKeys).toBe(0);
    await writeMany(store, 5);
    expect(store.trackedKeys).toBe(0);
  });

  it('forgets the key of a blob it deletes before the sweep', async () => {
    const store = FsBlobStore.durable(dir);
    const [first, second] = await writeMany(store, 2);

    await store.delete(first);

    expect(store.trackedKeys).toBe(1);
    expect(await readdir(dir)).toEqual([second]);
  });
});
