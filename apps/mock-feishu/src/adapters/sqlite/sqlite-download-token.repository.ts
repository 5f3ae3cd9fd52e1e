import type { Database } from './sqlite-database.js';
import {
  DOWNLOAD_TOKEN_CAPACITY,
  grantTokens,
  refusalOf,
  type DownloadGrant,
  type DownloadToken,
  type Redemption,
} from '../../core/downloads/download-token.js';
import {
  DownloadTokenRepository,
  type DownloadTokenPageQuery,
  type SequencedDownloadToken,
} from '../../core/downloads/download-token.repository.js';

interface TokenRow {
  code: string;
  attachment_guid: string;
  issued_at: number;
  expires_at: number;
  uses_left: number;
}

const toToken = (row: TokenRow): DownloadToken => ({
  code: row.code,
  attachmentGuid: row.attachment_guid,
  issuedAt: row.issued_at,
  expiresAt: row.expires_at,
  usesLeft: row.uses_left,
});

// Evicting in bulk now and then, not a few rows on every save (a delete walks the code index too),
// so the store holds up to EVICT_EVERY URLs over DOWNLOAD_TOKEN_CAPACITY for a while.
const EVICT_EVERY = 1000;

export class SqliteDownloadTokenRepository extends DownloadTokenRepository {
  private readonly statements;
  private readonly saveTransaction;
  private savedSinceEviction = 0;

  constructor(private readonly db: Database) {
    super();
    this.statements = {
      // Positional parameters: binding five named ones per row cost a third of a list page's save.
      insert: db.prepare(
        `INSERT OR REPLACE INTO download_urls (code, attachment_guid, issued_at, expires_at, uses_left)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      // Oldest first by rowid, as the in-memory ring forgets them.
      evict: db.prepare(
        `DELETE FROM download_urls WHERE rowid <= (SELECT max(rowid) FROM download_urls) - ?`,
      ),
      find: db.prepare(`SELECT * FROM download_urls WHERE code = ?`),
      takeUse: db.prepare(
        `UPDATE download_urls SET uses_left = uses_left - 1
         WHERE code = ? AND expires_at > ? AND uses_left > 0 RETURNING *`,
      ),
      oldestFirst: db.prepare(
        `SELECT rowid AS seq, * FROM download_urls WHERE rowid > ? ORDER BY rowid LIMIT ?`,
      ),
      newestFirst: db.prepare(
        `SELECT rowid AS seq, * FROM download_urls WHERE rowid < ? ORDER BY rowid DESC LIMIT ?`,
      ),
    };
    // Made once: better-sqlite3 builds a transaction's wrapper functions on every transaction() call,
    // and every list page and get saves URLs.
    this.saveTransaction = db.transaction((tokens: readonly DownloadToken[]) => {
      const { insert } = this.statements;
      for (const token of tokens) {
        insert.run(token.code, token.attachmentGuid, token.issuedAt, token.expiresAt, token.usesLeft);
      }
      this.savedSinceEviction += tokens.length;
      if (this.savedSinceEviction >= EVICT_EVERY) {
        this.savedSinceEviction = 0;
        this.statements.evict.run(DOWNLOAD_TOKEN_CAPACITY);
      }
    });
  }

  // A row per URL: a durable store pays that gladly for URLs it can show after a restart.
  async saveGrant(grant: DownloadGrant): Promise<void> {
    this.saveTransaction(grantTokens(grant));
  }

  async find(code: string): Promise<DownloadToken | undefined> {
    const row = this.statements.find.get(code) as TokenRow | undefined;
    return row && toToken(row);
  }

  // One UPDATE decides, so of concurrent downloads exactly as many succeed as uses were left.
  async takeDownloadUse(code: string, now: number): Promise<Redemption> {
    const row = this.statements.takeUse.get(code, now) as TokenRow | undefined;
    if (row) return { ok: true, token: toToken(row) };
    return refusalOf(await this.find(code), now) ?? { ok: false, reason: 'used_up' };
  }

  async page({
    afterSeq,
    limit,
    newestFirst,
  }: DownloadTokenPageQuery): Promise<{ items: SequencedDownloadToken[]; hasMore: boolean }> {
    // One row more than asked says whether there is a next page.
    const rows = (
      newestFirst
        ? this.statements.newestFirst.all(afterSeq === 0 ? Number.MAX_SAFE_INTEGER : afterSeq, limit + 1)
        : this.statements.oldestFirst.all(afterSeq, limit + 1)
    ) as (TokenRow & { seq: number })[];
    return {
      items: rows.slice(0, limit).map((row) => ({ seq: row.seq, token: toToken(row) })),
      hasMore: rows.length > limit,
    };
  }

  async clear(): Promise<void> {
    this.db.exec(`DELETE FROM download_urls`);
  }
}
