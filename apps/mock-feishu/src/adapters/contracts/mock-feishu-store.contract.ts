import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PageTokenCodec } from '../../core/shared/page-token.js';
import { grantCode, issueDownloadGrant } from '../../core/downloads/download-token.js';
import { FeishuError } from '../../core/errors/feishu-error.js';
import { SnapshotExport } from '../../core/store/snapshot-export.js';
import type { MockFeishuStore } from '../../core/store/mock-feishu.store.js';
import { attachmentRecord } from './attachment-repository.contract.js';
import { T0 } from './port-harness.js';
import { taskRecord } from './task-repository.contract.js';

/** How the store contract gets an adapter's whole store (core/store/mock-feishu.store.ts). */
export interface StoreAdapter {
  /** A new, empty store. */
  open(): Promise<MockFeishuStore>;
  /** The folder `store` keeps its blobs in. */
  blobDir(store: MockFeishuStore): string;
  /** Durable adapters: closes `store` (a stop) and opens the same data again (a restart). */
  reopen?(store: MockFeishuStore): Promise<MockFeishuStore>;
  /** Adapters that export snapshots: a new store started from the snapshot `file`. */
  openSnapshot?(file: string): Promise<MockFeishuStore>;
}

const BIG = randomBytes(300 * 1024);
const SMALL = Buffer.from('small, and kept\n');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Something in every port: what a restart or a snapshot must bring back. */
async function fill(store: MockFeishuStore): Promise<void> {
  await store.identities.saveApp(
    { appId: 'cli_a', appSecret: 's', scopes: ['task:task:read'] },
    { replace: false },
  );
  await store.identities.saveUser(
    { openId: 'ou_a', unionId: 'on_a', userId: 'u_a', name: 'Ada' },
    { replace: false },
  );
  await store.identities.saveAccessToken({
    token: 't-1',
    kind: 'tenant',
    appId: 'cli_a',
    issuedAt: T0,
    expiresAt: T0 + 7_200_000,
  });
  const grant = { appId: 'cli_a', openId: 'ou_a', scopes: ['task:task:read'], expiresAt: T0 + 1000 };
  await store.identities.saveRefreshToken({ token: 'r-used', ...grant, used: false });
  await store.identities.consumeRefreshToken('r-used');
  await store.identities.saveRefreshToken({ token: 'r-fresh', ...grant, used: false });
  await store.identities.saveAuthorizationCode({ code: 'c-1', ...grant, used: false });

  for (const guid of ['task-1', 'task-2']) {
    const number = await store.tasks.nextTaskNumber();
    await store.tasks.save(taskRecord(guid, number));
  }

  const big = await store.blobs.write(Readable.from([BIG]));
  const small = await store.blobs.write(Readable.from([SMALL]));
  await store.attachments.saveAll([
    attachmentRecord('a1', 'task-1', await store.attachments.nextSeq(), { blobKey: big.key, size: big.size }),
    attachmentRecord('a2', 'task-1', await store.attachments.nextSeq(), {
      blobKey: small.key,
      size: small.size,
    }),
  ]);

  await store.downloadTokens.saveGrant(issueDownloadGrant('gr', ['a1', 'a2'], T0));
  await store.downloadTokens.takeDownloadUse(grantCode('gr', 0), T0 + 1);

  await store.clockState.save({ offsetMs: 42, frozenAt: T0 + 5 });
}

/** `store` holds what `fill` put in, and its counters carry on past it. */
async function expectFilled(store: MockFeishuStore): Promise<void> {
  expect(store.fresh).toBe(false);
  expect(await store.identities.findApp('cli_a')).toEqual({
    appId: 'cli_a',
    appSecret: 's',
    scopes: ['task:task:read'],
  });
  expect(await store.identities.findUserBy('union_id', 'on_a')).toMatchObject({
    openId: 'ou_a',
    name: 'Ada',
  });
  expect(await store.identities.latestAccessToken('cli_a', 'tenant')).toMatchObject({ token: 't-1' });
  expect(await store.identities.consumeRefreshToken('r-used')).toBe(false);
  expect(await store.identities.consumeRefreshToken('r-fresh')).toBe(true);
  expect(await store.identities.findAuthorizationCode('c-1')).toMatchObject({ used: false });

  expect((await store.tasks.list()).map((task) => task.guid)).toEqual(['task-1', 'task-2']);
  expect(await store.tasks.find('task-2')).toEqual(taskRecord('task-2', 2));
  expect(await store.tasks.nextTaskNumber()).toBe(3);

  const attachments = await store.attachments.listAll('task-1');
  expect(attachments.map((record) => [record.guid, record.seq, record.size])).toEqual([
    ['a1', 1, BIG.length],
    ['a2', 2, SMALL.length],
  ]);
  expect((await readAll(store.blobs.read(attachments[0].blobKey))).equals(BIG)).toBe(true);
  expect((await readAll(store.blobs.read(attachments[1].blobKey))).equals(SMALL)).toBe(true);
  expect(await store.attachments.nextSeq()).toBe(3);

  const urls = await store.downloadTokens.page({ afterSeq: 0, limit: 10, newestFirst: false });
  expect(urls.items.map(({ token }) => [token.code, token.attachmentGuid, token.usesLeft])).toEqual([
    [grantCode('gr', 0), 'a1', 2],
    [grantCode('gr', 1), 'a2', 3],
  ]);
  expect(await store.downloadTokens.takeDownloadUse(grantCode('gr', 0), T0 + 2)).toMatchObject({
    ok: true,
    token: { usesLeft: 1 },
  });

  expect(await store.clockState.load()).toEqual({ offsetMs: 42, frozenAt: T0 + 5 });
}

/**
 * What a whole store promises (core/store/mock-feishu.store.ts and the snapshot use case,
 * core/store/snapshot-export.ts): it opens fresh and empty; a durable one brings back every
 * port's state after a restart (counters, uses left, the clock and the page-token secret too)
 * and sweeps what a crash left; one that exports snapshots starts a new store from one with the
 * same state; one that cannot is refused by the snapshot use case before anything is written.
 */
export function describeMockFeishuStoreContract(name: string, adapter: StoreAdapter): void {
  describe(`MockFeishuStore contract: ${name}`, () => {
    const opened: MockFeishuStore[] = [];
    let scratch: string;
    const open = async (opening: Promise<MockFeishuStore>) => {
      const store = await opening;
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'mock-feishu-store-contract-'));
    });
    afterEach(async () => {
      // Closing twice is harmless, so a store a test closed itself is closed again here.
      for (const store of opened.splice(0)) await store.close();
      await rm(scratch, { recursive: true, force: true });
    });

    it('opens fresh and empty, with no blob files', async () => {
      const store = await open(adapter.open());

      expect(store.fresh).toBe(true);
      expect(await store.identities.listApps()).toEqual([]);
      expect(await store.tasks.count()).toBe(0);
      expect(await store.attachments.count()).toBe(0);
      expect((await store.downloadTokens.page({ afterSeq: 0, limit: 1, newestFirst: false })).items).toEqual(
        [],
      );
      expect(await store.clockState.load()).toBeUndefined();
      expect(await readdir(adapter.blobDir(store))).toEqual([]);
    });

    const { reopen, openSnapshot } = adapter;
    if (!reopen) {
      it('is not durable: it has no page-token secret to keep and nothing to sweep', async () => {
        const store = await open(adapter.open());

        expect(store.pageTokenSecret).toBeUndefined();
        expect(store.sweep).toBeUndefined();
      });
    } else {
      it('brings back every port’s state after a restart, and its counters carry on', async () => {
        const store = await open(adapter.open());
        await fill(store);

        await expectFilled(await open(reopen(store)));
      });

      it('keeps its page-token secret across a restart, so a page token outlives it', async () => {
        const store = await open(adapter.open());
        expect(store.pageTokenSecret).toEqual(expect.any(String));
        const token = new PageTokenCodec(store.pageTokenSecret as string).encode('task-1', 2);

        const restarted = await open(reopen(store));

        expect(restarted.pageTokenSecret).toBe(store.pageTokenSecret);
        expect(new PageTokenCodec(restarted.pageTokenSecret as string).decode(token, 'task-1')).toBe(2);
      });

      it('sweeps, after a restart, the blob files no saved attachment names, and nothing else', async () => {
        const store = await open(adapter.open());
        const indexed = await store.blobs.write(Readable.from([Buffer.from('indexed')]));
        await store.blobs.write(Readable.from([Buffer.from('never indexed: a crash before the rows')]));
        await store.attachments.saveAll([
          attachmentRecord('a1', 'task-1', await store.attachments.nextSeq(), { blobKey: indexed.key }),
        ]);

        const restarted = await open(reopen(store));
        const dir = adapter.blobDir(restarted);
        await writeFile(join(dir, `${randomUUID()}.part`), 'cut short');
        await writeFile(join(dir, 'notes.txt'), 'someone else’s');
        // Written by this run before its sweep: never an orphan, whatever the index says yet.
        const writing = await restarted.blobs.write(Readable.from([Buffer.from('uploading now')]));

        expect(await restarted.sweep?.()).toBe(2);

        expect((await readdir(dir)).sort()).toEqual([indexed.key, writing.key, 'notes.txt'].sort());
      });
    }

    if (!openSnapshot) {
      it('cannot export a snapshot: the snapshot use case refuses with a 400 naming --data-dir', async () => {
        const store = await open(adapter.open());
        const snapshots = new SnapshotExport(store);
        const refusal = expect.objectContaining({ status: 400, msg: expect.stringContaining('--data-dir') });

        expect(() => snapshots.ensureAvailable()).toThrow(FeishuError);
        expect(() => snapshots.ensureAvailable()).toThrow(refusal);
        expect(() => snapshots.writeTo(join(scratch, 'snapshot.sqlite'))).toThrow(refusal);
        expect(await readdir(scratch)).toEqual([]);
      });
    } else {
      it('exports the whole state to one file, from which a new store starts with the same state', async () => {
        const store = await open(adapter.open());
        await fill(store);
        const file = join(scratch, 'snapshot.sqlite');
        const snapshots = new SnapshotExport(store);

        snapshots.ensureAvailable();
        expect(await snapshots.writeTo(file)).toEqual({ attachments: 2, bytes: BIG.length + SMALL.length });
        await store.close();

        await expectFilled(await open(openSnapshot(file)));
      });
    }
  });
}
