import { issueDownloadToken } from '../../core/downloads/download-token.js';
import {
  DOWNLOAD_TOKEN_CAPACITY,
  InMemoryDownloadTokenRepository,
} from './in-memory-download-token.repository.js';

describe('InMemoryDownloadTokenRepository', () => {
  it('keeps the newest URLs up to its capacity and forgets the oldest first', async () => {
    const store = new InMemoryDownloadTokenRepository();
    const tokens = [];
    for (let index = 0; index <= DOWNLOAD_TOKEN_CAPACITY + 1; index++) {
      tokens.push(issueDownloadToken(`code-${index}`, 'guid', 0));
    }
    await store.saveAll(tokens);
    expect(await store.find('code-0')).toBeUndefined();
    expect(await store.find('code-1')).toBeUndefined();
    expect(await store.find('code-2')).toBeDefined();
    expect(await store.find(`code-${DOWNLOAD_TOKEN_CAPACITY + 1}`)).toBeDefined();
    expect(
      (await store.page({ afterSeq: 0, limit: DOWNLOAD_TOKEN_CAPACITY + 10, newestFirst: false })).items,
    ).toHaveLength(DOWNLOAD_TOKEN_CAPACITY);
  });

  it('keeps every field, takes uses one at a time, and lists in issue order', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll([issueDownloadToken('a', 'guid-a', 1_000), issueDownloadToken('b', 'guid-b', 2_000)]);
    expect(await store.find('b')).toEqual({
      code: 'b',
      attachmentGuid: 'guid-b',
      issuedAt: 2_000,
      expiresAt: 2_000 + 180_000,
      usesLeft: 3,
    });
    expect(await store.takeDownloadUse('a', 1_001)).toMatchObject({ ok: true, token: { usesLeft: 2 } });
    expect(await store.find('a')).toMatchObject({ usesLeft: 2 });
    await store.takeDownloadUse('a', 1_002);
    await store.takeDownloadUse('a', 1_003);
    expect(await store.takeDownloadUse('a', 1_004)).toEqual({ ok: false, reason: 'used_up' });
    expect(await store.takeDownloadUse('b', 2_000 + 180_000)).toEqual({ ok: false, reason: 'expired' });
    expect(await store.takeDownloadUse('c', 0)).toEqual({ ok: false, reason: 'unknown' });
    expect(
      (await store.page({ afterSeq: 0, limit: 10, newestFirst: false })).items.map(({ token }) => [
        token.code,
        token.usesLeft,
      ]),
    ).toEqual([
      ['a', 0],
      ['b', 3],
    ]);
  });

  it('gives a code saved again its new state and keeps one slot for it', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll([issueDownloadToken('a', 'guid-1', 0), issueDownloadToken('a', 'guid-2', 5)]);
    expect((await store.page({ afterSeq: 0, limit: 10, newestFirst: false })).items).toEqual([
      { seq: 1, token: expect.objectContaining({ code: 'a', attachmentGuid: 'guid-2' }) },
    ]);
  });

  it('starts over empty after clear', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll([issueDownloadToken('a', 'guid', 0)]);
    await store.clear();
    await store.saveAll([issueDownloadToken('b', 'guid', 0)]);
    expect(
      (await store.page({ afterSeq: 0, limit: 10, newestFirst: false })).items.map(({ token }) => token.code),
    ).toEqual(['b']);
  });
});

describe('InMemoryDownloadTokenRepository.page', () => {
  it('pages in issue order after a sequence number and says whether more follow', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll(['a', 'b', 'c'].map((code) => issueDownloadToken(code, 'guid', 0)));
    const first = await store.page({ afterSeq: 0, limit: 2, newestFirst: false });
    expect(first.items.map(({ token }) => token.code)).toEqual(['a', 'b']);
    expect(first.hasMore).toBe(true);
    const rest = await store.page({ afterSeq: first.items[1].seq, limit: 2, newestFirst: false });
    expect(rest.items.map(({ token }) => token.code)).toEqual(['c']);
    expect(rest.hasMore).toBe(false);
  });

  it('pages newest first from the newest, then past the last one returned', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll(['a', 'b', 'c'].map((code) => issueDownloadToken(code, 'guid', 0)));
    const first = await store.page({ afterSeq: 0, limit: 2, newestFirst: true });
    expect(first.items.map(({ token }) => token.code)).toEqual(['c', 'b']);
    expect(first.hasMore).toBe(true);
    const rest = await store.page({ afterSeq: first.items[1].seq, limit: 2, newestFirst: true });
    expect(rest.items.map(({ token }) => token.code)).toEqual(['a']);
    expect(rest.hasMore).toBe(false);
  });

  it('keeps a URL in its place after a use', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll(['a', 'b'].map((code) => issueDownloadToken(code, 'guid', 0)));
    await store.takeDownloadUse('a', 1);
    const { items } = await store.page({ afterSeq: 0, limit: 10, newestFirst: false });
    expect(items.map(({ token }) => [token.code, token.usesLeft])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });
});
