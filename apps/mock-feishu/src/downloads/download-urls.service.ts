import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { newDownloadCodes } from '../common/ids.js';
import { MockFeishuSettings } from '../mock-feishu.settings.js';
import { issueDownloadToken, isExpired, refusalOf, type DownloadToken } from './download-token.js';
import { DownloadTokenRepository } from './download-token.repository.js';

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

  async redeem(
    code: string | undefined,
  ): Promise<{ ok: true; attachmentGuid: string } | { ok: false; reason: DownloadRefusal }> {
    if (!code) return { ok: false, reason: 'unknown' };
    const result = await this.tokens.takeDownloadUse(code, this.clock.now());
    return result.ok ? { ok: true, attachmentGuid: result.token.attachmentGuid } : result;
  }

  /** Whether a URL would be honoured now, without taking a use. */
  async inspect(
    code: string | undefined,
  ): Promise<{ ok: true; attachmentGuid: string } | { ok: false; reason: DownloadRefusal }> {
    const token = code ? await this.tokens.find(code) : undefined;
    const refusal = refusalOf(token, this.clock.now());
    if (refusal && !refusal.ok) return refusal;
    return { ok: true, attachmentGuid: (token as DownloadToken).attachmentGuid };
  }

  async list(): Promise<DownloadUrlState[]> {
    const now = this.clock.now();
    return (await this.tokens.all()).map((token) => ({
      url: this.urlOf(token),
      attachmentGuid: token.attachmentGuid,
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
      usesLeft: token.usesLeft,
      expired: isExpired(token, now),
    }));
  }

  clear(): Promise<void> {
    return this.tokens.clear();
  }

  private urlOf(token: DownloadToken): string {
    return this.urlBase() + token.code;
  }

  private urlBase(): string {
    return `${this.settings.publicUrl}${DOWNLOAD_PATH}?code=`;
  }
}
