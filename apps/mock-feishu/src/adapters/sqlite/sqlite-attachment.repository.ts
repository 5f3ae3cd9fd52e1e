import { counter, durably, type Database } from './sqlite-database.js';
import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import { AttachmentRepository } from '../../core/attachments/attachment.repository.js';

// Each column under its record field's name, so a row is a record but for `is_cover` (0 or 1).
const COLUMNS = `guid, file_token AS fileToken, name, size, content_type AS contentType,
  resource_type AS resourceType, resource_id AS resourceId, uploader_key AS uploaderKey,
  is_cover AS isCover, uploaded_at AS uploadedAt, seq, blob_key AS blobKey`;

type AttachmentRow = Omit<AttachmentRecord, 'isCover'> & { isCover: number };

const toRecord = (row: AttachmentRow): AttachmentRecord => ({ ...row, isCover: row.isCover === 1 });

export class SqliteAttachmentRepository extends AttachmentRepository {
  private readonly statements;
  private readonly seq;

  constructor(private readonly db: Database) {
    super();
    this.seq = counter(db, 'attachment_seq');
    this.statements = {
      insert: db.prepare(
        `INSERT INTO attachments (guid, file_token, name, size, content_type, resource_type, resource_id,
           uploader_key, is_cover, uploaded_at, seq, blob_key)
         VALUES (@guid, @fileToken, @name, @size, @contentType, @resourceType, @resourceId,
           @uploaderKey, @isCover, @uploadedAt, @seq, @blobKey)`,
      ),
      find: db.prepare(`SELECT ${COLUMNS} FROM attachments WHERE guid = ?`),
      delete: db.prepare(`DELETE FROM attachments WHERE guid = ? RETURNING ${COLUMNS}`),
      listAfter: db.prepare(
        `SELECT ${COLUMNS} FROM attachments WHERE resource_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      listAll: db.prepare(`SELECT ${COLUMNS} FROM attachments WHERE resource_id = ? ORDER BY seq`),
      deleteAllOf: db.prepare(`DELETE FROM attachments WHERE resource_id = ? RETURNING ${COLUMNS}`),
      count: db.prepare(`SELECT count(*) AS n FROM attachments`),
      all: db.prepare(`SELECT ${COLUMNS} FROM attachments`),
      blobKeys: db.prepare(`SELECT blob_key FROM attachments`).pluck(),
    };
  }

  async nextSeq(): Promise<number> {
    return this.seq.next();
  }

  // The upload is answered only after this returns, so its rows are fsynced, not only committed.
  async saveAll(attachments: readonly AttachmentRecord[]): Promise<void> {
    durably(this.db, () => {
      for (const attachment of attachments) {
        this.statements.insert.run({ ...attachment, isCover: attachment.isCover ? 1 : 0 });
      }
    });
  }

  async find(guid: string): Promise<AttachmentRecord | undefined> {
    const row = this.statements.find.get(guid) as AttachmentRow | undefined;
    return row && toRecord(row);
  }

  async delete(guid: string): Promise<AttachmentRecord | undefined> {
    const row = this.statements.delete.get(guid) as AttachmentRow | undefined;
    return row && toRecord(row);
  }

  async listAfter(resourceId: string, afterSeq: number, limit: number): Promise<AttachmentRecord[]> {
    return (this.statements.listAfter.all(resourceId, afterSeq, limit) as AttachmentRow[]).map(toRecord);
  }

  async listAll(resourceId: string): Promise<AttachmentRecord[]> {
    return (this.statements.listAll.all(resourceId) as AttachmentRow[]).map(toRecord);
  }

  async deleteAllOf(resourceId: string): Promise<AttachmentRecord[]> {
    return (this.statements.deleteAllOf.all(resourceId) as AttachmentRow[]).map(toRecord);
  }

  async count(): Promise<number> {
    return (this.statements.count.get() as { n: number }).n;
  }

  async clear(): Promise<AttachmentRecord[]> {
    return this.db.transaction(() => {
      const removed = (this.statements.all.all() as AttachmentRow[]).map(toRecord);
      this.db.exec(`DELETE FROM attachments`);
      this.seq.reset();
      return removed;
    })();
  }

  /** Every blob key a committed row names: what the start-up sweep keeps. */
  blobKeys(): Set<string> {
    return new Set(this.statements.blobKeys.all() as string[]);
  }
}
