import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { newDownloadCode } from '../common/ids.js';
import { MockFeishuSettings } from '../mock-feishu.settings.js';
import { issueDownloadToken, isExpired, redeem, type DownloadToken } from './download-token.js';
import { DownloadTokenRepository } from './download-token.repository.js';

export const DOWNLOAD_PATH = '/download/authcode/';

export interface DownloadUrlView {
  url: string;
  attachment_guid: string;
  issued_at: number;
  expires_at: number;
  uses_left: number;
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

  /** A fresh URL on every list and get call, as Feishu mints them. */
  issue(attachmentGuid: string): string {
    const now = this.clock.now();
    const token = issueDownloadToken(newDownloadCode(), attachmentGuid, now);
    this.tokens.save(token);
    return this.urlOf(token);
  }

  redeem(
    code: string | undefined,
  ): { ok: true; attachmentGuid: string } | { ok: false; reason: DownloadRefusal } {
    const result = redeem(code ? this.tokens.find(code) : undefined, this.clock.now());
    return result.ok ? { ok: true, attachmentGuid: result.token.attachmentGuid } : result;
  }

  /** Whether a URL would be honoured now, without taking a use. */
  inspect(
    code: string | undefined,
  ): { ok: true; attachmentGuid: string } | { ok: false; reason: DownloadRefusal } {
    const token = code ? this.tokens.find(code) : undefined;
    if (!token) return { ok: false, reason: 'unknown' };
    if (isExpired(token, this.clock.now())) return { ok: false, reason: 'expired' };
    if (token.usesLeft <= 0) return { ok: false, reason: 'used_up' };
    return { ok: true, attachmentGuid: token.attachmentGuid };
  }

  list(): DownloadUrlView[] {
    const now = this.clock.now();
    return this.tokens.all().map((token) => ({
      url: this.urlOf(token),
      attachment_guid: token.attachmentGuid,
      issued_at: token.issuedAt,
      expires_at: token.expiresAt,
      uses_left: token.usesLeft,
      expired: isExpired(token, now),
    }));
  }

  clear(): void {
    this.tokens.clear();
  }

  private urlOf(token: DownloadToken): string {
    return `${this.settings.publicUrl}${DOWNLOAD_PATH}?code=${token.code}`;
  }
}
