import { issueDownloadToken } from './download-token.js';
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
    expect(await store.all()).toHaveLength(DOWNLOAD_TOKEN_CAPACITY);
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
    expect((await store.all()).map((token) => [token.code, token.usesLeft])).toEqual([
      ['a', 0],
      ['b', 3],
    ]);
  });

  it('gives a code saved again its new state and keeps one slot for it', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll([issueDownloadToken('a', 'guid-1', 0), issueDownloadToken('a', 'guid-2', 5)]);
    expect(await store.all()).toEqual([expect.objectContaining({ code: 'a', attachmentGuid: 'guid-2' })]);
  });

  it('starts over empty after clear', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll([issueDownloadToken('a', 'guid', 0)]);
    await store.clear();
    await store.saveAll([issueDownloadToken('b', 'guid', 0)]);
    expect((await store.all()).map((token) => token.code)).toEqual(['b']);
  });
});
