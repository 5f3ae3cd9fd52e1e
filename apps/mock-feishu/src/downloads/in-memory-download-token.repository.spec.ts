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

  it('starts over empty after clear', async () => {
    const store = new InMemoryDownloadTokenRepository();
    await store.saveAll([issueDownloadToken('a', 'guid', 0)]);
    await store.clear();
    await store.saveAll([issueDownloadToken('b', 'guid', 0)]);
    expect((await store.all()).map((token) => token.code)).toEqual(['b']);
  });
});
