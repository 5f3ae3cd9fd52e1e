import { Injectable } from '@nestjs/common';
import {
  DOWNLOAD_TOKEN_CAPACITY,
  redeem,
  type DownloadToken,
  type Redemption,
} from '../../core/downloads/download-token.js';
import {
  DownloadTokenRepository,
  type DownloadTokenPageQuery,
  type SequencedDownloadToken,
} from '../../core/downloads/download-token.repository.js';

export { DOWNLOAD_TOKEN_CAPACITY } from '../../core/downloads/download-token.js';

/**
 * URLs in a ring of CAPACITY slots, in issue order, the oldest overwritten first, with their
 * fields in columns and a Map from code to slot. Every list page mints 50 URLs that live until
 * 100 000 newer ones push them out, so each stored object would outlive the young generation and
 * be copied into the old one: columns of numbers and the strings already made (code, guid) cost
 * the collector nothing per URL, and a token object is built only when one is read.
 * (Evicting through the Map's own order walks its tombstones, hence the ring.)
 */
@Injectable()
export class InMemoryDownloadTokenRepository extends DownloadTokenRepository {
  private readonly slots = new Map<string, number>();
  private codes: (string | undefined)[] = new Array(DOWNLOAD_TOKEN_CAPACITY);
  private guids: (string | undefined)[] = new Array(DOWNLOAD_TOKEN_CAPACITY);
  private readonly issuedAt = new Float64Array(DOWNLOAD_TOKEN_CAPACITY);
  private readonly expiresAt = new Float64Array(DOWNLOAD_TOKEN_CAPACITY);
  private readonly usesLeft = new Int32Array(DOWNLOAD_TOKEN_CAPACITY);
  /** Each slot's place in issue order, which the control plane's page cursors name. */
  private readonly seqs = new Float64Array(DOWNLOAD_TOKEN_CAPACITY);
  private seq = 0;
  private next = 0;

  async saveAll(tokens: readonly DownloadToken[]): Promise<void> {
    for (const token of tokens) this.save(token);
  }

  private save(token: DownloadToken): void {
    // A code saved again takes its new state in its old place, as a Map would.
    let slot = this.slots.get(token.code);
    if (slot === undefined) {
      slot = this.next;
      this.next = (this.next + 1) % DOWNLOAD_TOKEN_CAPACITY;
      const evicted = this.codes[slot];
      if (evicted !== undefined) this.slots.delete(evicted);
      this.codes[slot] = token.code;
      this.slots.set(token.code, slot);
      this.seqs[slot] = ++this.seq;
    }
    this.guids[slot] = token.attachmentGuid;
    this.issuedAt[slot] = token.issuedAt;
    this.expiresAt[slot] = token.expiresAt;
    this.usesLeft[slot] = token.usesLeft;
  }

  private tokenAt(slot: number): DownloadToken {
    return {
      code: this.codes[slot] as string,
      attachmentGuid: this.guids[slot] as string,
      issuedAt: this.issuedAt[slot],
      expiresAt: this.expiresAt[slot],
      usesLeft: this.usesLeft[slot],
    };
  }

  async find(code: string): Promise<DownloadToken | undefined> {
    const slot = this.slots.get(code);
    return slot === undefined ? undefined : this.tokenAt(slot);
  }

  // No await between the read and the write, so concurrent calls cannot both take the last use.
  async takeDownloadUse(code: string, now: number): Promise<Redemption> {
    const slot = this.slots.get(code);
    const result = redeem(slot === undefined ? undefined : this.tokenAt(slot), now);
    if (result.ok && slot !== undefined) this.usesLeft[slot] = result.token.usesLeft;
    return result;
  }

  // A walk over the bounded ring (oldest slot first: the one `next` overwrites): the control plane
  // reads a page now and then, not per call.
  async page({
    afterSeq,
    limit,
    newestFirst,
  }: DownloadTokenPageQuery): Promise<{ items: SequencedDownloadToken[]; hasMore: boolean }> {
    const past = (seq: number) => afterSeq === 0 || (newestFirst ? seq < afterSeq : seq > afterSeq);
    const items: SequencedDownloadToken[] = [];
    for (let step = 0; step < DOWNLOAD_TOKEN_CAPACITY; step++) {
      const offset = newestFirst ? DOWNLOAD_TOKEN_CAPACITY - 1 - step : step;
      const slot = (this.next + offset) % DOWNLOAD_TOKEN_CAPACITY;
      if (this.codes[slot] === undefined || !past(this.seqs[slot])) continue;
      if (items.length === limit) return { items, hasMore: true };
      items.push({ seq: this.seqs[slot], token: this.tokenAt(slot) });
    }
    return { items, hasMore: false };
  }

  async clear(): Promise<void> {
    this.slots.clear();
    this.codes = new Array(DOWNLOAD_TOKEN_CAPACITY);
    this.guids = new Array(DOWNLOAD_TOKEN_CAPACITY);
    this.next = 0;
  }
}
