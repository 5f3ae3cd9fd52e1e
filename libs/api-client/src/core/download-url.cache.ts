import { createHash } from 'node:crypto';
import { isHTTPError } from 'ky';
import { DOWNLOAD_URL_MAX_USES, DOWNLOAD_URL_TTL_MS, type Attachment } from '../wire/index.js';
import { FeishuDownloadError } from './errors.js';
import type { CallOptions } from './request-spec.js';

export interface KnownUrl {
  url: string;
  expiresAt: number;
  usesLeft: number;
  attachment: Attachment;
}

// Leave a little of the 3 minutes unused, so a URL is not used in its last instant.
const URL_SAFETY_MS = 5_000;
// A bound on memory for a long-lived client that lists many tasks: the least recently seen go first.
const MAX_TRACKED_URLS = 10_000;
// What the download host answers for a URL that expired or was used up (perhaps by another process).
const REFUSED_DOWNLOAD = new Set([401, 403, 404, 410]);

/** Who a URL was minted for: the client's own identity, or a user by a digest of their token. */
function identityOf(options: CallOptions): string {
  return options.userAccessToken
    ? `user:${createHash('sha256').update(options.userAccessToken).digest('hex').slice(0, 32)}`
    : 'client';
}

/**
 * Feishu's temporary download URLs, valid for 3 minutes and 3 downloads: the ones this client saw
 * in list and get answers, the uses it spent on them, and the rules for using them. One per
 * client. Per attachment guid, per identity: a URL minted for the app must not serve a user who
 * may not read it.
 */
export class DownloadUrlCache {
  private readonly urls = new Map<string, Map<string, KnownUrl>>();

  constructor(private readonly now: () => number) {}

  remember(attachment: Attachment, options: CallOptions): Attachment {
    if (attachment.url) {
      // Re-inserted at the end, so the map's first entry is the least recently seen attachment.
      const byIdentity = this.urls.get(attachment.guid) ?? new Map<string, KnownUrl>();
      this.urls.delete(attachment.guid);
      byIdentity.set(identityOf(options), {
        url: attachment.url,
        expiresAt: this.now() + DOWNLOAD_URL_TTL_MS - URL_SAFETY_MS,
        usesLeft: DOWNLOAD_URL_MAX_USES,
        attachment,
      });
      this.urls.set(attachment.guid, byIdentity);
      if (this.urls.size > MAX_TRACKED_URLS) this.urls.delete(this.urls.keys().next().value as string);
    }
    return attachment;
  }

  held(guid: string, options: CallOptions): KnownUrl | undefined {
    return this.urls.get(guid)?.get(identityOf(options));
  }

  /** A URL with time and uses left, one use of which is now spent. */
  takeUse(guid: string, options: CallOptions): KnownUrl | undefined {
    const known = this.held(guid, options);
    if (!known || known.usesLeft <= 0 || this.now() >= known.expiresAt) return undefined;
    known.usesLeft -= 1;
    return known;
  }

  /** Drops the URL one identity holds (refused by the download host). */
  forget(guid: string, options: CallOptions): void {
    this.urls.get(guid)?.delete(identityOf(options));
  }

  /** Drops every URL of an attachment (deleted). */
  forgetAll(guid: string): void {
    this.urls.delete(guid);
  }

  /**
   * Opens an attachment's download: with a held URL while it has time and uses left, otherwise
   * with a fresh one from `getFresh` (Feishu's get, whose answer is remembered here); a held URL
   * the download host refuses is replaced once. `fetchUrl` throws ky's HTTPError on a refusal.
   */
  async open(
    guid: string,
    given: Attachment | undefined,
    options: CallOptions,
    getFresh: () => Promise<Attachment>,
    fetchUrl: (url: string) => Promise<Response>,
  ): Promise<{ response: Response; attachment: Attachment }> {
    // A URL this client has seen keeps the uses already spent on it; only an unseen one is tracked
    // here. A call acting as a user takes no URL from an object: it may have been minted for
    // someone else, and the user's own read permission must be asked of Feishu.
    if (given && !options.userAccessToken && !this.held(guid, options)) this.remember(given, options);
    const known = this.takeUse(guid, options);
    let attachment = given ?? known?.attachment;
    let url = known?.url;
    let fresh = false;
    if (!url) {
      attachment = await getFresh();
      url = this.takeUse(guid, options)?.url;
      fresh = true;
    }
    for (;;) {
      try {
        return { response: await fetchUrl(url!), attachment: attachment! };
      } catch (error) {
        if (!isHTTPError(error)) throw error;
        // Not awaited: a body that was cloned (say by an instrumenting fetch) cancels only once every copy is.
        void error.response.body?.cancel().catch(() => undefined);
        this.forget(guid, options);
        const { status } = error.response;
        if (fresh || !REFUSED_DOWNLOAD.has(status)) {
          throw new FeishuDownloadError(`Downloading attachment ${guid} failed with HTTP ${status}.`, status);
        }
        attachment = await getFresh();
        url = this.takeUse(guid, options)?.url;
        fresh = true;
      }
    }
  }
}
