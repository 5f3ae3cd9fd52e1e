import type { Readable } from 'node:stream';
import { Clock } from '../shared/clock.js';
import { BlobStore } from '../blobs/blob-store.js';
import type { AttachmentRecord } from '../attachments/attachment.js';
import { AttachmentRepository } from '../attachments/attachment.repository.js';
import { refusalOf, type DownloadToken } from './download-token.js';
import { DownloadTokenRepository } from './download-token.repository.js';
import type { DownloadRefusal } from './download-urls.service.js';

export type DownloadLook =
  { ok: true; attachment: AttachmentRecord } | { ok: false; reason: DownloadRefusal };

export type DownloadResult =
  { ok: true; attachment: AttachmentRecord; body: Readable } | { ok: false; reason: DownloadRefusal };

const UNKNOWN = { ok: false, reason: 'unknown' } as const;

/**
 * The download use case: redeeming a temporary URL, from its token to the attachment's bytes, in
 * one place. A URL of a deleted attachment (or task) is unknown.
 */
export class DownloadsService {
  constructor(
    private readonly tokens: DownloadTokenRepository,
    private readonly attachments: AttachmentRepository,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
  ) {}

  /** What a download would answer, without taking a use or opening the bytes (for HEAD). */
  async peekDownload(code: string | undefined): Promise<DownloadLook> {
    const token = code ? await this.tokens.find(code) : undefined;
    const refusal = refusalOf(token, this.clock.now());
    if (refusal && !refusal.ok) return refusal;
    return this.attachmentOf(token as DownloadToken);
  }

  /** Takes one use of a URL and opens the bytes. */
  async openDownload(code: string | undefined): Promise<DownloadResult> {
    if (!code) return UNKNOWN;
    const redemption = await this.tokens.takeDownloadUse(code, this.clock.now());
    if (!redemption.ok) return redemption;
    const found = await this.attachmentOf(redemption.token);
    if (!found.ok) return found;
    return { ok: true, attachment: found.attachment, body: this.blobs.read(found.attachment.blobKey) };
  }

  private async attachmentOf(token: DownloadToken): Promise<DownloadLook> {
    const attachment = await this.attachments.find(token.attachmentGuid);
    return attachment ? { ok: true, attachment } : UNKNOWN;
  }
}
