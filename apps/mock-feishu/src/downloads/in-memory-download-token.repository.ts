import { Injectable } from '@nestjs/common';
import { DOWNLOAD_TOKEN_CAPACITY, redeem, type DownloadToken, type Redemption } from './download-token.js';
import {
  DownloadTokenRepository,
  type DownloadTokenPageQuery,
  type SequencedDownloadToken,
} from './download-token.repository.js';

export { DOWNLOAD_TOKEN_CAPACITY } from './download-token.js';

@Injectable()
export class InMemoryDownloadTokenRepository extends DownloadTokenRepository {
  // In issue order: a Map keeps insertion order, and a use updates an entry in place.
  private readonly tokens = new Map<string, SequencedDownloadToken>();
  private seq = 0;
  // Codes in issue order, as a ring: evicting through the Map's own order walks its tombstones.
  private ring: (string | undefined)[] = new Array(DOWNLOAD_TOKEN_CAPACITY);
  private next = 0;

  async saveAll(tokens: readonly DownloadToken[]): Promise<void> {
    for (const token of tokens) this.save({ ...token });
  }

  private save(token: DownloadToken): void {
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.tokens.delete(evicted);
    this.ring[this.next] = token.code;
    this.next = (this.next + 1) % DOWNLOAD_TOKEN_CAPACITY;
    this.tokens.set(token.code, { seq: ++this.seq, token });
  }

  async find(code: string): Promise<DownloadToken | undefined> {
    return this.tokens.get(code)?.token;
  }

  // No await between the read and the write, so concurrent calls cannot both take the last use.
  async takeDownloadUse(code: string, now: number): Promise<Redemption> {
    const stored = this.tokens.get(code);
    const result = redeem(stored?.token, now);
    if (result.ok && stored) stored.token = result.token;
    return result;
  }

  // A walk over the bounded ring: the control plane reads a page now and then, not per call.
  async page({
    afterSeq,
    limit,
    newestFirst,
  }: DownloadTokenPageQuery): Promise<{ items: SequencedDownloadToken[]; hasMore: boolean }> {
    const stored = [...this.tokens.values()];
    if (newestFirst) stored.reverse();
    const past = (seq: number) => afterSeq === 0 || (newestFirst ? seq < afterSeq : seq > afterSeq);
    const items: SequencedDownloadToken[] = [];
    for (const entry of stored) {
      if (!past(entry.seq)) continue;
      if (items.length === limit) return { items, hasMore: true };
      items.push({ seq: entry.seq, token: { ...entry.token } });
    }
    return { items, hasMore: false };
  }

  async clear(): Promise<void> {
    this.tokens.clear();
    this.ring = new Array(DOWNLOAD_TOKEN_CAPACITY);
    this.next = 0;
  }
}
