import { Clock } from '../shared/clock.js';
import { newDownloadCode } from '../shared/ids.js';
import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import {
  grantTokens,
  isExpired,
  issueDownloadGrant,
  MAX_GRANT_SIZE,
  type DownloadToken,
} from './download-token.js';
import { DownloadTokenRepository, type DownloadTokenPageQuery } from './download-token.repository.js';

export const DOWNLOAD_PATH = '/download/authcode/';

/** An issued URL as the control plane shows it. */
export interface DownloadUrlState {
  url: string;
  attachmentGuid: string;
  issuedAt: number;
  expiresAt: number;
  usesLeft: number;
  expired: boolean;
}

export type DownloadRefusal = 'unknown' | 'expired' | 'used_up';

export class DownloadUrlsService {
  constructor(
    private readonly tokens: DownloadTokenRepository,
    private readonly clock: Clock,
    private readonly settings: MockFeishuSettings,
    /** The sandbox whose id its codes carry ('' for the default one's: sandbox-id.ts). */
    private readonly sandboxTag = '',
  ) {}

  /** Fresh URLs, one per attachment and stored together, as Feishu mints them on every list and get. */
  async issueAll(attachmentGuids: readonly string[]): Promise<string[]> {
    const urls: string[] = [];
    // A page has at most MAX_GRANT_SIZE items; a longer list (no caller has one) takes more grants.
    for (let start = 0; start < attachmentGuids.length; start += MAX_GRANT_SIZE) {
      const grant = issueDownloadGrant(
        newDownloadCode(this.sandboxTag),
        attachmentGuids.slice(start, start + MAX_GRANT_SIZE),
        this.clock.now(),
      );
      await this.tokens.saveGrant(grant);
      for (const token of grantTokens(grant)) urls.push(this.urlOf(token));
    }
    return urls;
  }

  /** One URL issued now, with its state, for an operator (the inspector page). */
  async issueOne(attachmentGuid: string): Promise<DownloadUrlState> {
    const grant = issueDownloadGrant(newDownloadCode(this.sandboxTag), [attachmentGuid], this.clock.now());
    await this.tokens.saveGrant(grant);
    return this.stateOf(grantTokens(grant)[0]);
  }

  /** Issued URLs, `limit` at a time past the one numbered `afterSeq` (0: from the start). */
  async page(
    query: DownloadTokenPageQuery,
  ): Promise<{ items: DownloadUrlState[]; hasMore: boolean; lastSeq: number }> {
    const { afterSeq } = query;
    const { items, hasMore } = await this.tokens.page(query);
    return {
      items: items.map(({ token }) => this.stateOf(token)),
      hasMore,
      lastSeq: items.at(-1)?.seq ?? afterSeq,
    };
  }

  clear(): Promise<void> {
    return this.tokens.clear();
  }

  private stateOf(token: DownloadToken): DownloadUrlState {
    return {
      url: this.urlOf(token),
      attachmentGuid: token.attachmentGuid,
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
      usesLeft: token.usesLeft,
      expired: isExpired(token, this.clock.now()),
    };
  }

  private urlOf(token: DownloadToken): string {
    return this.urlBase() + token.code;
  }

  private urlBase(): string {
    return `${this.settings.publicUrl}${DOWNLOAD_PATH}?code=`;
  }
}
