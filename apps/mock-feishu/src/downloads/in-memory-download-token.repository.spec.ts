import { issueDownloadToken } from './download-token.js';
import {
  DOWNLOAD_TOKEN_CAPACITY,
  InMemoryDownloadTokenRepository,
} from './in-memory-download-token.repository.js';

describe('InMemoryDownloadTokenRepository', () => {
  it('keeps the newest URLs up to its capacity and forgets the oldest first', () => {
    const store = new InMemoryDownloadTokenRepository();
    for (let index = 0; index <= DOWNLOAD_TOKEN_CAPACITY + 1; index++) {
      store.save(issueDownloadToken(`code-${index}`, 'guid', 0));
    }

    expect(store.find('code-0')).toBeUndefined();
    expect(store.find('code-1')).toBeUndefined();
    expect(store.find('code-2')).toBeDefined();
    expect(store.find(`code-${DOWNLOAD_TOKEN_CAPACITY + 1}`)).toBeDefined();
    expect(store.all()).toHaveLength(DOWNLOAD_TOKEN_CAPACITY);
  });

  it('starts over empty after clear', () => {
    const store = new InMemoryDownloadTokenRepository();
    store.save(issueDownloadToken('a', 'guid', 0));

    store.clear();
    store.save(issueDownloadToken('b', 'guid', 0));

    expect(store.all().map((token) => token.code)).toEqual(['b']);
  });
});
