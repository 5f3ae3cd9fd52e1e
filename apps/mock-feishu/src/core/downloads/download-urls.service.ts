import { Injectable } from '@nestjs/common';
import { Clock } from '../shared/clock.js';
import { newDownloadCodes } from '../shared/ids.js';
import { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { issueDownloadToken, isExpired, type DownloadToken } from './download-token.js';
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

@Injectable()
export class DownloadUrlsService {
  constructor(
    private readonly tokens: DownloadTokenRepository,
    private readonly clock: Clock,
    private readonly settings: MockFeishuSettings,
  ) {}

  /** Fresh URLs, one per attachment and stored together, as Feishu mints them on every list and get. */
  async issueAll(attachmentGuids: readonly string[]): Promise<string[]> {
    const now = this.clock.now();
    const codes = newDownloadCodes(attachmentGuids.length);
    const tokens = attachmentGuids.map((guid, index) => issueDownloadToken(codes[index], guid, now));
    await this.tokens.saveAll(tokens);
    const base = this.urlBase();
    return tokens.map((token) => base + token.code);
  }

  /** One URL issued now, with its state, for an operator (the inspector page). */
  async issueOne(attachmentGuid: string): Promise<DownloadUrlState> {
    const token = issueDownloadToken(newDownloadCodes(1)[0], attachmentGuid, this.clock.now());
    await this.tokens.saveAll([token]);
    return this.stateOf(token);
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
