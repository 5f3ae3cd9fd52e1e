import { DOWNLOAD_URL_MAX_USES, DOWNLOAD_URL_TTL_MS, type Attachment } from '../wire/index.js';
import { DownloadUrlCache } from './download-url.cache.js';

const T0 = 1_700_000_000_000;
const guidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const attachmentOf = (n: number): Attachment =>
  ({
    guid: guidOf(n),
    name: `f${n}.txt`,
    url: `https://dl.test/download/authcode/?code=c${n}`,
  }) as Attachment;

describe('download URLs held by the client', () => {
  it('holds a URL for 3 minutes less a 5-second margin: usable at 174 999 ms, not at 175 000 ms', () => {
    // The numbers Feishu and the client agree on, stated here so a change to either fails this test.
    expect(DOWNLOAD_URL_TTL_MS).toBe(180_000);
    let now = T0;
    const urls = new DownloadUrlCache(() => now);
    urls.remember(attachmentOf(1), {});

    now = T0 + 174_999;
    expect(urls.takeUse(guidOf(1), {})?.url).toBe(attachmentOf(1).url);
    now = T0 + 175_000;
    expect(urls.takeUse(guidOf(1), {})).toBeUndefined();
  });

  it('gives out a URL 3 times, then no more', () => {
    expect(DOWNLOAD_URL_MAX_USES).toBe(3);
    const urls = new DownloadUrlCache(() => T0);
    urls.remember(attachmentOf(1), {});

    const uses = Array.from({ length: 4 }, () => urls.takeUse(guidOf(1), {})?.url);

    expect(uses).toEqual([attachmentOf(1).url, attachmentOf(1).url, attachmentOf(1).url, undefined]);
  });

  it('tracks at most 10 000 attachments, forgetting the least recently seen one first', () => {
    const urls = new DownloadUrlCache(() => T0);
    for (let n = 1; n <= 10_000; n++) urls.remember(attachmentOf(n), {});
    // 10 000 held: none forgotten yet.
    expect(urls.held(guidOf(1), {})).toBeDefined();

    // Seen again, attachment 1 becomes the most recent; the 10 001st then pushes out attachment 2.
    urls.remember(attachmentOf(1), {});
    urls.remember(attachmentOf(10_001), {});

    expect(urls.held(guidOf(2), {})).toBeUndefined();
    expect(urls.held(guidOf(1), {})).toBeDefined();
    expect(urls.held(guidOf(3), {})).toBeDefined();
    expect(urls.held(guidOf(10_001), {})).toBeDefined();
  });

  it('keeps URLs minted for the app and for a user apart', () => {
    const urls = new DownloadUrlCache(() => T0);
    urls.remember(attachmentOf(1), { userAccessToken: 'u-token' });

    expect(urls.held(guidOf(1), {})).toBeUndefined();
    expect(urls.held(guidOf(1), { userAccessToken: 'u-token' })).toBeDefined();
    expect(urls.held(guidOf(1), { userAccessToken: 'u-other' })).toBeUndefined();
  });
});
