import { grantCode, issueDownloadGrant, MAX_GRANT_SIZE } from '../../core/downloads/download-token.js';
import {
  DOWNLOAD_TOKEN_CAPACITY,
  InMemoryDownloadTokenRepository,
} from './in-memory-download-token.repository.js';

/** Saves `urls` URLs in full grants named g0, g1, …; returns the grant ids. */
async function saveUrls(store: InMemoryDownloadTokenRepository, urls: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < urls; start += MAX_GRANT_SIZE) {
    const id = `g${from + ids.length}`;
    ids.push(id);
    const guids = Array.from({ length: Math.min(MAX_GRANT_SIZE, urls - start) }, () => 'guid');
    await store.saveGrant(issueDownloadGrant(id, guids, 0));
  }
  return ids;
}

const codesOf = async (store: InMemoryDownloadTokenRepository, newestFirst = false) =>
  (await store.page({ afterSeq: 0, limit: 10 * DOWNLOAD_TOKEN_CAPACITY, newestFirst })).items.map(
    ({ token }) => token.code,
  );

describe('InMemoryDownloadTokenRepository', () => {
  it('always knows the newest CAPACITY URLs, holds about twice as many at most, and forgets the oldest first', async () => {
    const store = new InMemoryDownloadTokenRepository();
    const first = await saveUrls(store, DOWNLOAD_TOKEN_CAPACITY + MAX_GRANT_SIZE);
    expect(await store.find(grantCode(first[0], 0))).toBeDefined();
    expect(await codesOf(store)).toHaveLength(DOWNLOAD_TOKEN_CAPACITY + MAX_GRANT_SIZE);
    const second = await saveUrls(store, DOWNLOAD_TOKEN_CAPACITY, first.length);
    // The first generation is gone whole; the newest CAPACITY are all there.
    expect(await store.find(grantCode(first[0], 0))).toBeUndefined();
    expect(await store.find(grantCode(first.at(-2) as string, 0))).toBeUndefined();
    expect(await store.find(grantCode(first.at(-1) as string, 0))).toBeDefined();
    expect(await store.find(grantCode(second.at(-1) as string, MAX_GRANT_SIZE - 1))).toBeDefined();
    expect(await codesOf(store)).toHaveLength(DOWNLOAD_TOKEN_CAPACITY + MAX_GRANT_SIZE);
  });

  it('gives each URL of a grant its own code, state and uses, and lists them in issue order', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveGrant(issueDownloadGrant('a', ['guid-a0', 'guid-a1'], 1_000));
    await store.saveGrant(issueDownloadGrant('b', ['guid-b0'], 2_000));
    expect(await store.find(grantCode('b', 0))).toEqual({
      code: 'b00',
      attachmentGuid: 'guid-b0',
      issuedAt: 2_000,
      expiresAt: 2_000 + 180_000,
      usesLeft: 3,
    });
    expect(await store.takeDownloadUse('a01', 1_001)).toMatchObject({ ok: true, token: { usesLeft: 2 } });
    expect(await store.find('a01')).toMatchObject({ usesLeft: 2 });
    expect(await store.find('a00')).toMatchObject({ usesLeft: 3 });
    await store.takeDownloadUse('a01', 1_002);
    await store.takeDownloadUse('a01', 1_003);
    expect(await store.takeDownloadUse('a01', 1_004)).toEqual({ ok: false, reason: 'used_up' });
    expect(await store.takeDownloadUse('b00', 2_000 + 180_000)).toEqual({ ok: false, reason: 'expired' });
    expect(await codesOf(store)).toEqual(['a00', 'a01', 'b00']);
  });

  it("answers codes of no grant, past a grant's end or of no shape as unknown", async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveGrant(issueDownloadGrant('a', ['guid'], 0));
    for (const code of ['c00', 'a01', 'a', '', 'aZZ', 'a-1']) {
      expect(await store.takeDownloadUse(code, 0)).toEqual({ ok: false, reason: 'unknown' });
      expect(await store.find(code)).toBeUndefined();
    }
  });

  it('starts over empty after clear', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveGrant(issueDownloadGrant('a', ['guid'], 0));
    await store.clear();
    await store.saveGrant(issueDownloadGrant('b', ['guid'], 0));
    expect(await codesOf(store)).toEqual(['b00']);
  });
});

describe('InMemoryDownloadTokenRepository.page', () => {
  it('pages in issue order after a sequence number, across grants, and says whether more follow', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveGrant(issueDownloadGrant('a', ['guid', 'guid'], 0));
    await store.saveGrant(issueDownloadGrant('b', ['guid'], 0));
    const first = await store.page({ afterSeq: 0, limit: 2, newestFirst: false });
    expect(first.items.map(({ token }) => token.code)).toEqual(['a00', 'a01']);
    expect(first.hasMore).toBe(true);
    const rest = await store.page({ afterSeq: first.items[1].seq, limit: 2, newestFirst: false });
    expect(rest.items.map(({ token }) => token.code)).toEqual(['b00']);
    expect(rest.hasMore).toBe(false);
  });

  it('pages newest first from the newest, then past the last one returned', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveGrant(issueDownloadGrant('a', ['guid'], 0));
    await store.saveGrant(issueDownloadGrant('b', ['guid', 'guid'], 0));
    const first = await store.page({ afterSeq: 0, limit: 2, newestFirst: true });
    expect(first.items.map(({ token }) => token.code)).toEqual(['b01', 'b00']);
    expect(first.hasMore).toBe(true);
    const rest = await store.page({ afterSeq: first.items[1].seq, limit: 2, newestFirst: true });
    expect(rest.items.map(({ token }) => token.code)).toEqual(['a00']);
    expect(rest.hasMore).toBe(false);
    expect(await codesOf(store, true)).toEqual(['b01', 'b00', 'a00']);
  });

  it('keeps a URL in its place after a use', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveGrant(issueDownloadGrant('a', ['guid', 'guid'], 0));
    await store.takeDownloadUse('a00', 1);
    const { items } = await store.page({ afterSeq: 0, limit: 10, newestFirst: false });
    expect(items.map(({ token }) => [token.code, token.usesLeft])).toEqual([
      ['a00', 2],
      ['a01', 3],
    ]);
  });
});
