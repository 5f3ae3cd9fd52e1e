import type { DownloadUrlState } from '../../core/downloads/download-urls.service.js';

/** A download URL as the control plane writes it (snake_case, like the rest of `/__mock`). */
export function downloadUrlWire(url: DownloadUrlState) {
  return {
    url: url.url,
    attachment_guid: url.attachmentGuid,
    issued_at: url.issuedAt,
    expires_at: url.expiresAt,
    uses_left: url.usesLeft,
    expired: url.expired,
  };
}
