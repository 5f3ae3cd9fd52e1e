import { DOWNLOAD_URL_MAX_USES } from '@feishu-attachments/api-client/wire';
import type { Database } from './sqlite-database.js';
import {
  DOWNLOAD_TOKEN_CAPACITY,
  grantCode,
  isExpired,
  MAX_GRANT_SIZE,
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

/** A `download_grants` row. */
interface GrantRow {
  seq: number;
  id: string;
  /** The grant's attachment guids as a JSON array, in code order. */
  attachment_guids: string;
  urls: number;
  issued_at: number;
  expires_at: number;
  /** 1: the grant's one URL has the grant id itself as its code (a URL migrated from schema 2). */
  whole_code: number;
}

/** One URL of a grant, as `locate` reads it. */
interface UrlRow {
  /** The URL's place in issue order. */
  seq: number;
  attachment_guid: string | null;
  issued_at: number;
  expires_at: number;
  uses: number | null;
}

/** A stored URL: its token and its place in issue order. */
interface LocatedUrl {
  token: DownloadToken;
  seq: number;
}

// Evicting in bulk now and then, not on every save, so the store holds up to EVICT_EVERY URLs
// (and one grant's worth more) over DOWNLOAD_TOKEN_CAPACITY for a while.
const EVICT_EVERY = 1000;

/**
 * Download URLs as the grants they are minted in (core/downloads/download-token.ts):
 * `download_grants` holds one row per grant, its attachment guids a JSON array in code order, so
 * a list page of 50 URLs writes one row, not 50; `download_uses` holds the uses taken of a URL,
 * a row only once the URL has been redeemed.
 *
 * Every URL has a place in issue order, `seq`: a grant's `seq` is its first URL's, its URL at
 * `index` is at `seq + index`, and the next grant starts at `seq + urls`. That place is the page
 * cursor, the key of the URL's uses row, and what eviction counts URLs by, as the rowid of a
 * row per URL was.
 */
export class SqliteDownloadTokenRepository extends DownloadTokenRepository {
  private readonly statements;
  private readonly evict;
  private savedSinceEviction = 0;

  constructor(private readonly db: Database) {
    super();
    const urlColumns = `g.issued_at, g.expires_at, u.uses`;
    this.statements = {
      // Positional parameters: this runs on every list page and get. OR REPLACE: a grant saved
      // again under its id is the newest, as in the memory store.
      insert: db.prepare(
        `INSERT OR REPLACE INTO download_grants (seq, id, attachment_guids, urls, issued_at, expires_at)
         VALUES (coalesce((SELECT seq + urls FROM download_grants ORDER BY seq DESC LIMIT 1), 1), ?, ?, ?, ?, ?)`,
      ),
      // `->>` takes out the one guid a code names (NULL past the grant's end), not the whole array.
      inGrant: db.prepare(
        `SELECT g.seq + @index AS seq, g.attachment_guids ->> @path AS attachment_guid,
           ${urlColumns}
         FROM download_grants g LEFT JOIN download_uses u ON u.seq = g.seq + @index
         WHERE g.id = @grantId AND g.whole_code = 0`,
      ),
      wholeCode: db.prepare(
        `SELECT g.seq, g.attachment_guids ->> '$[0]' AS attachment_guid, ${urlColumns}
         FROM download_grants g LEFT JOIN download_uses u ON u.seq = g.seq
         WHERE g.id = ? AND g.whole_code = 1`,
      ),
      // One statement decides whether a use is left, so of concurrent downloads exactly as many
      // succeed as uses were left: the first use inserts the row, later ones count up while below
      // the limit, and one at the limit changes nothing and returns no row.
      takeUse: db.prepare(
        `INSERT INTO download_uses (seq, uses) VALUES (?, 1)
         ON CONFLICT (seq) DO UPDATE SET uses = uses + 1 WHERE uses < ${DOWNLOAD_URL_MAX_USES}
         RETURNING uses`,
      ),
      // From the grant holding the URL at `afterSeq` (which may hold later ones too) on.
      oldestFirst: db.prepare(
        `SELECT * FROM download_grants
         WHERE seq >= coalesce((SELECT seq FROM download_grants WHERE seq <= ? ORDER BY seq DESC LIMIT 1), 0)
         ORDER BY seq LIMIT ?`,
      ),
      newestFirst: db.prepare(`SELECT * FROM download_grants WHERE seq < ? ORDER BY seq DESC LIMIT ?`),
      uses: db.prepare(`SELECT seq, uses FROM download_uses WHERE seq >= ? AND seq < ?`),
    };
    // Whole grants only, and only those with every URL older than the newest CAPACITY: a grant
    // that starts MAX_GRANT_SIZE places or more before them ends before them. Uses go with their
    // grants.
    const evictGrants = db.prepare(
      `DELETE FROM download_grants
       WHERE seq <= (SELECT seq + urls FROM download_grants ORDER BY seq DESC LIMIT 1)
         - ${DOWNLOAD_TOKEN_CAPACITY + MAX_GRANT_SIZE}`,
    );
    const evictUses = db.prepare(
      `DELETE FROM download_uses WHERE seq < (SELECT min(seq) FROM download_grants)`,
    );
    this.evict = db.transaction(() => {
      evictGrants.run();
      evictUses.run();
    });
  }

  async saveGrant(grant: DownloadGrant): Promise<void> {
    const urls = grant.attachmentGuids.length;
    // A grant of no URLs has nothing to find or list; stored, it would share its place with the next.
    if (urls === 0) return;
    this.statements.insert.run(
      grant.id,
      JSON.stringify(grant.attachmentGuids),
      urls,
      grant.issuedAt,
      grant.expiresAt,
    );
    this.savedSinceEviction += urls;
    if (this.savedSinceEviction >= EVICT_EVERY) {
      this.savedSinceEviction = 0;
      this.evict();
    }
  }

  async find(code: string): Promise<DownloadToken | undefined> {
    return this.locate(code)?.token;
  }

  async takeDownloadUse(code: string, now: number): Promise<Redemption> {
    const url = this.locate(code);
    // A grant's times never change, so the read settles unknown and expired; whether a use is
    // left is for the one statement below.
    if (!url) return { ok: false, reason: 'unknown' };
    if (isExpired(url.token, now)) return { ok: false, reason: 'expired' };
    const taken = this.statements.takeUse.get(url.seq) as { uses: number } | undefined;
    if (!taken) return { ok: false, reason: 'used_up' };
    return { ok: true, token: { ...url.token, usesLeft: DOWNLOAD_URL_MAX_USES - taken.uses } };
  }

  async page({
    afterSeq,
    limit,
    newestFirst,
  }: DownloadTokenPageQuery): Promise<{ items: SequencedDownloadToken[]; hasMore: boolean }> {
    // Enough grants for one URL more than asked (which says whether there is a next page): every
    // grant holds a URL at least, and oldest first the first grant may hold none past the cursor.
    const grants = (
      newestFirst
        ? this.statements.newestFirst.all(afterSeq === 0 ? Number.MAX_SAFE_INTEGER : afterSeq, limit + 1)
        : this.statements.oldestFirst.all(afterSeq, limit + 2)
    ) as GrantRow[];
    if (grants.length === 0) return { items: [], hasMore: false };
    const oldest = newestFirst ? grants[grants.length - 1] : grants[0];
    const newest = newestFirst ? grants[0] : grants[grants.length - 1];
    const uses = new Map(
      (this.statements.uses.all(oldest.seq, newest.seq + newest.urls) as { seq: number; uses: number }[]).map(
        (row) => [row.seq, row.uses],
      ),
    );
    const past = (seq: number) => afterSeq === 0 || (newestFirst ? seq < afterSeq : seq > afterSeq);
    const items: SequencedDownloadToken[] = [];
    for (const grant of grants) {
      const guids = JSON.parse(grant.attachment_guids) as string[];
      for (let step = 0; step < guids.length && items.length <= limit; step++) {
        const index = newestFirst ? guids.length - 1 - step : step;
        const seq = grant.seq + index;
        if (!past(seq)) continue;
        items.push({
          seq,
          token: {
            code: grant.whole_code ? grant.id : grantCode(grant.id, index),
            attachmentGuid: guids[index],
            issuedAt: grant.issued_at,
            expiresAt: grant.expires_at,
            usesLeft: DOWNLOAD_URL_MAX_USES - (uses.get(seq) ?? 0),
          },
        });
      }
      if (items.length > limit) break;
    }
    return { items: items.slice(0, limit), hasMore: items.length > limit };
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM download_grants`);
      this.db.exec(`DELETE FROM download_uses`);
    })();
    this.savedSinceEviction = 0;
  }

  /** The URL a code names: the `index`th of grant `grantId`, or a migrated URL by its whole code. */
  private locate(code: string): LocatedUrl | undefined {
    const named = splitGrantCode(code);
    const inGrant = named
      ? (this.statements.inGrant.get({
          grantId: named.grantId,
          index: named.index,
          path: `$[${named.index}]`,
        }) as UrlRow | undefined)
      : undefined;
    const row =
      inGrant?.attachment_guid != null
        ? inGrant
        : (this.statements.wholeCode.get(code) as UrlRow | undefined);
    if (row?.attachment_guid == null) return undefined;
    return {
      seq: row.seq,
      token: {
        code,
        attachmentGuid: row.attachment_guid,
        issuedAt: row.issued_at,
        expiresAt: row.expires_at,
        usesLeft: DOWNLOAD_URL_MAX_USES - (row.uses ?? 0),
      },
    };
  }
}
