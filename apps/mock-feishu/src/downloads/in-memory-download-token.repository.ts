import { Injectable } from '@nestjs/common';
import { DOWNLOAD_TOKEN_CAPACITY, redeem, type DownloadToken, type Redemption } from './download-token.js';
import { DownloadTokenRepository } from './download-token.repository.js';

export { DOWNLOAD_TOKEN_CAPACITY } from './download-token.js';

@Injectable()
export class InMemoryDownloadTokenRepository extends DownloadTokenRepository {
  private readonly tokens = new Map<string, DownloadToken>();
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
    this.tokens.set(token.code, token);
  }

  async find(code: string): Promise<DownloadToken | undefined> {
    return this.tokens.get(code);
  }

  // No await between the read and the write, so concurrent calls cannot both take the last use.
  async takeDownloadUse(code: string, now: number): Promise<Redemption> {
    const result = redeem(this.tokens.get(code), now);
    if (result.ok) this.tokens.set(code, result.token);
    return result;
  }

  async all(): Promise<DownloadToken[]> {
    return [...this.tokens.values()];
  }

  async clear(): Promise<void> {
    this.tokens.clear();
    this.ring = new Array(DOWNLOAD_TOKEN_CAPACITY);
    this.next = 0;
  }
}
