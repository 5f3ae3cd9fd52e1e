import { Injectable } from '@nestjs/common';
import type { DownloadToken } from './download-token.js';
import { DownloadTokenRepository } from './download-token.repository.js';

/**
 * Every list page mints up to 100 URLs, so under load the store would grow by megabytes a second;
 * it keeps the newest CAPACITY URLs and forgets the oldest first. A forgotten URL answers like an
 * unknown one, which matters only to a test holding 100 000 URLs at once.
 */
export const DOWNLOAD_TOKEN_CAPACITY = 100_000;

@Injectable()
export class InMemoryDownloadTokenRepository extends DownloadTokenRepository {
  private readonly tokens = new Map<string, DownloadToken>();
  // Codes in issue order, as a ring: evicting through the Map's own order walks its tombstones.
  private ring: (string | undefined)[] = new Array(DOWNLOAD_TOKEN_CAPACITY);
  private next = 0;

  save(token: DownloadToken): void {
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.tokens.delete(evicted);
    this.ring[this.next] = token.code;
    this.next = (this.next + 1) % DOWNLOAD_TOKEN_CAPACITY;
    this.tokens.set(token.code, token);
  }
  find(code: string): DownloadToken | undefined {
    return this.tokens.get(code);
  }
  all(): DownloadToken[] {
    return [...this.tokens.values()];
  }
  clear(): void {
    this.tokens.clear();
    this.ring = new Array(DOWNLOAD_TOKEN_CAPACITY);
    this.next = 0;
  }
}
