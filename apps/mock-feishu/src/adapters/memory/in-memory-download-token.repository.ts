import { DOWNLOAD_URL_MAX_USES } from '@feishu-attachments/api-client/wire';
import {
  DOWNLOAD_TOKEN_CAPACITY,
  grantToken,
  MAX_GRANT_SIZE,
  redeem,
  splitGrantCode,
  type DownloadGrant,
  type DownloadToken,
  type Redemption,
} from '../../core/downloads/download-token.js';
import {
  DownloadTokenRepository,
  type DownloadTokenPageQuery,
  type SequencedDownloadToken,
} from '../../core/downloads/download-token.repository.js';

export { DOWNLOAD_TOKEN_CAPACITY } from '../../core/downloads/download-token.js';

/** A grant as stored: its place in issue order, and the uses taken of each URL once one is. */
interface StoredGrant {
  seq: number;
  grant: DownloadGrant;
  usesTaken?: number[];
}

/**
 * Grants in two generations of Maps, each in issue order: when the current one holds CAPACITY
 * URLs it becomes the previous one and the old previous one is dropped whole. So the store always
 * knows the newest CAPACITY URLs, holds about twice as many at most, and forgetting costs nothing
 * per URL (deleting a Map's oldest keys one at a time walks the tombstones they leave).
 */
export class InMemoryDownloadTokenRepository extends DownloadTokenRepository {
  private current = new Map<string, StoredGrant>();
  private previous = new Map<string, StoredGrant>();
  private urlsInCurrent = 0;
  private seq = 0;

  async saveGrant(grant: DownloadGrant): Promise<void> {
    if (this.urlsInCurrent >= DOWNLOAD_TOKEN_CAPACITY) {
      this.previous = this.current;
      this.current = new Map();
      this.urlsInCurrent = 0;
    }
    this.current.set(grant.id, { seq: ++this.seq, grant });
    this.urlsInCurrent += grant.attachmentGuids.length;
  }

  async find(code: string): Promise<DownloadToken | undefined> {
    const found = this.lookup(code);
    return found && tokenAt(found.stored, found.index);
  }

  // No await between the read and the write, so concurrent calls cannot both take the last use.
  async takeDownloadUse(code: string, now: number): Promise<Redemption> {
    const found = this.lookup(code);
    const result = redeem(found && tokenAt(found.stored, found.index), now);
    if (result.ok && found) {
      (found.stored.usesTaken ??= [])[found.index] = DOWNLOAD_URL_MAX_USES - result.token.usesLeft;
    }
    return result;
  }

  // A walk over both generations: the control plane reads a page now and then, not per call.
  async page({
    afterSeq,
    limit,
    newestFirst,
  }: DownloadTokenPageQuery): Promise<{ items: SequencedDownloadToken[]; hasMore: boolean }> {
    const all: SequencedDownloadToken[] = [];
    for (const stored of [...this.previous.values(), ...this.current.values()]) {
      stored.grant.attachmentGuids.forEach((_guid, index) =>
        all.push({ seq: urlSeq(stored, index), token: tokenAt(stored, index) }),
      );
    }
    if (newestFirst) all.reverse();
    const past = ({ seq }: SequencedDownloadToken) =>
      afterSeq === 0 || (newestFirst ? seq < afterSeq : seq > afterSeq);
    const start = all.findIndex(past);
    if (start < 0) return { items: [], hasMore: false };
    return { items: all.slice(start, start + limit), hasMore: start + limit < all.length };
  }

  async clear(): Promise<void> {
    this.current = new Map();
    this.previous = new Map();
    this.urlsInCurrent = 0;
  }

  private lookup(code: string): { stored: StoredGrant; index: number } | undefined {
    const named = splitGrantCode(code);
    if (!named) return undefined;
    const stored = this.current.get(named.grantId) ?? this.previous.get(named.grantId);
    if (!stored || named.index >= stored.grant.attachmentGuids.length) return undefined;
    return { stored, index: named.index };
  }
}

const tokenAt = (stored: StoredGrant, index: number): DownloadToken =>
  grantToken(stored.grant, index, stored.usesTaken?.[index] ?? 0);

/** A URL's place in issue order: its grant's, then its index within the grant. */
const urlSeq = (stored: StoredGrant, index: number): number => stored.seq * MAX_GRANT_SIZE + index;
