import { createHash } from 'node:crypto';
import { DOWNLOAD_URL_MAX_USES, DOWNLOAD_URL_TTL_MS, type Attachment } from '../wire/index.js';
import type { CallOptions } from '../core/request-spec.js';

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

/** Who a URL was minted for: the client's own identity, or a user by a digest of their token. */
function identityOf(options: CallOptions): string {
  return options.userAccessToken
    ? `user:${createHash('sha256').update(options.userAccessToken).digest('hex').slice(0, 32)}`
    : 'client';
}

/**
 * Temporary URLs seen in list and get answers, with the uses this client has spent on them. Per
 * attachment guid, per identity: a URL minted for the app must not serve a user who may not read it.
 */
export class DownloadUrls {
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
}
