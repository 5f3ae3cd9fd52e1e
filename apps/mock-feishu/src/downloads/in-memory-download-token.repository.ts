import { Injectable } from '@nestjs/common';
import type { DownloadToken } from './download-token.js';
import { DownloadTokenRepository } from './download-token.repository.js';

@Injectable()
export class InMemoryDownloadTokenRepository extends DownloadTokenRepository {
  // Insertion order is issue order, so expired tokens gather at the front.
  private readonly tokens = new Map<string, DownloadToken>();

  save(token: DownloadToken): void {
    this.tokens.set(token.code, token);
  }
  find(code: string): DownloadToken | undefined {
    return this.tokens.get(code);
  }
  all(): DownloadToken[] {
    return [...this.tokens.values()];
  }
  forgetExpiredBefore(before: number): void {
    for (const [code, token] of this.tokens) {
      if (token.expiresAt >= before) break;
      this.tokens.delete(code);
    }
  }
  clear(): void {
    this.tokens.clear();
  }
}
