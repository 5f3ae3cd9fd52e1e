import { Injectable } from '@nestjs/common';
import { DOWNLOAD_TOKEN_CAPACITY, redeem, type DownloadToken, type Redemption } from './download-token.js';
import { DownloadTokenRepository } from './download-token.repository.js';

export { DOWNLOAD_TOKEN_CAPACITY } from './download-token.js';

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

  /** In issue order, oldest first (the Map keeps insertion order). */
  async all(): Promise<DownloadToken[]> {
    return Array.from(this.slots.values(), (slot) => this.tokenAt(slot));
  }

  async clear(): Promise<void> {
    this.slots.clear();
    this.codes = new Array(DOWNLOAD_TOKEN_CAPACITY);
    this.guids = new Array(DOWNLOAD_TOKEN_CAPACITY);
    this.next = 0;
  }
}
