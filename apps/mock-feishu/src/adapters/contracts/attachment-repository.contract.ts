import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import type { AttachmentRepository } from '../../core/attachments/attachment.repository.js';
import { freshEach, T0, together, type OpenPort } from './port-harness.js';

/** An attachment record with every field set; `seq` and the ids as given. */
export function attachmentRecord(
  guid: string,
  resourceId: string,
  seq: number,
  fields: Partial<AttachmentRecord> = {},
): AttachmentRecord {
  return {
    guid,
    fileToken: `ft-${guid}`,
    name: `${guid}.txt`,
    size: seq * 10,
    contentType: 'text/plain',
    resourceType: 'task',
    resourceId,
    uploaderKey: 'app:cli_contract',
    isCover: false,
    uploadedAt: T0 + seq,
    seq,
    blobKey: `blob-${guid}`,
    ...fields,
  };
}

/**
 * What AttachmentRepository promises (core/attachments/attachment.repository.ts), as the upload,
 * list, get, delete and reset use cases rely on it: an upload-order counter (`seq`) that page
 * tokens point into; lists of a task in `seq` order whatever order uploads were saved in; keyset
 * pages (`listAfter`) that neither skip nor repeat; deletes that return what they removed, so its
 * bytes can go too.
 */
export function describeAttachmentRepositoryContract(
  name: string,
  open: OpenPort<AttachmentRepository>,
): void {
  describe(`AttachmentRepository contract: ${name}`, () => {
    const store = freshEach(open);
    const repo = () => store.repo;
    const guids = (records: readonly AttachmentRecord[]) => records.map((record) => record.guid);
    const bySeq = (records: readonly AttachmentRecord[]) => [...records].sort((a, b) => a.seq - b.seq);

    describe('nextSeq', () => {
      it('counts 1, 2, 3, … from a fresh store', async () => {
        expect([await repo().nextSeq(), await repo().nextSeq(), await repo().nextSeq()]).toEqual([1, 2, 3]);
      });

      it('never gives two concurrent callers the same number', async () => {
        const numbers = await together(20, () => repo().nextSeq());

        expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      });
    });

    describe('saveAll, find', () => {
      it('finds each attachment of an upload with every field as saved', async () => {
        const records = [
          attachmentRecord('a1', 'task-1', 1),
          attachmentRecord('a2', 'task-1', 2, {
            name: 'Quarterly report ünïcode 报告.pdf',
            size: 0,
            contentType: 'application/pdf',
            uploaderKey: 'user:ou_contract',
            isCover: true,
          }),
        ];
        await repo().saveAll(records);

        expect(await repo().find('a1')).toEqual(records[0]);
        expect(await repo().find('a2')).toEqual(records[1]);
        expect(await repo().find('a3')).toBeUndefined();
      });

      it('keeps its own copy: changing a saved object afterwards changes nothing', async () => {
        const record = attachmentRecord('a1', 'task-1', 1);
        await repo().saveAll([record]);

        record.name = 'changed';
        record.seq = 99;

        expect(await repo().find('a1')).toMatchObject({ name: 'a1.txt', seq: 1 });
        expect(guids(await repo().listAfter('task-1', 0, 10))).toEqual(['a1']);
      });
    });

    describe('listAll, listAfter', () => {
      // Two uploads to one task can save in either order: the one given the later seq may save first.
      const saveOutOfOrder = async () => {
        await repo().saveAll([attachmentRecord('a3', 'task-1', 3), attachmentRecord('a4', 'task-1', 4)]);
        await repo().saveAll([attachmentRecord('b2', 'task-2', 2)]);
        await repo().saveAll([attachmentRecord('a1', 'task-1', 1)]);
        await repo().saveAll([attachmentRecord('a5', 'task-1', 5), attachmentRecord('b6', 'task-2', 6)]);
      };

      it('lists a task’s attachments in upload (seq) order, whatever order they were saved in', async () => {
        await saveOutOfOrder();

        expect(guids(await repo().listAll('task-1'))).toEqual(['a1', 'a3', 'a4', 'a5']);
        expect(guids(await repo().listAll('task-2'))).toEqual(['b2', 'b6']);
        expect(await repo().listAll('task-3')).toEqual([]);
      });

      it('pages by seq: up to `limit` past `afterSeq`, neither skipping nor repeating', async () => {
        await saveOutOfOrder();

        expect(guids(await repo().listAfter('task-1', 0, 2))).toEqual(['a1', 'a3']);
        expect(guids(await repo().listAfter('task-1', 3, 2))).toEqual(['a4', 'a5']);
        expect(guids(await repo().listAfter('task-1', 5, 2))).toEqual([]);
        // A cursor is a seq, not a position: one of another task, or of a deleted attachment, works too.
        expect(guids(await repo().listAfter('task-1', 2, 10))).toEqual(['a3', 'a4', 'a5']);
        await repo().delete('a3');
        expect(guids(await repo().listAfter('task-1', 3, 10))).toEqual(['a4', 'a5']);
        // The use case asks for one more than a page to learn whether another follows.
        expect(guids(await repo().listAfter('task-1', 0, 3 + 1))).toEqual(['a1', 'a4', 'a5']);
        expect(await repo().listAfter('task-3', 0, 10)).toEqual([]);
      });

      it('takes in an attachment uploaded between two pages, after the cursor, once', async () => {
        await repo().saveAll([attachmentRecord('a1', 'task-1', 1), attachmentRecord('a2', 'task-1', 2)]);
        const first = await repo().listAfter('task-1', 0, 2);

        await repo().saveAll([attachmentRecord('a3', 'task-1', 3)]);

        expect(guids(await repo().listAfter('task-1', first[1].seq, 2))).toEqual(['a3']);
      });
    });

    describe('delete, deleteAllOf', () => {
      it('deletes one attachment, returning it; it is then gone from finds, lists and the count', async () => {
        const records = [attachmentRecord('a1', 'task-1', 1), attachmentRecord('a2', 'task-1', 2)];
        await repo().saveAll(records);

        expect(await repo().delete('a1')).toEqual(records[0]);

        expect(await repo().find('a1')).toBeUndefined();
        expect(guids(await repo().listAll('task-1'))).toEqual(['a2']);
        expect(await repo().count()).toBe(1);
        expect(await repo().delete('a1')).toBeUndefined();
        expect(await repo().delete('nothing')).toBeUndefined();
      });

      it('deletes every attachment of one task, returning them, and leaves other tasks’ alone', async () => {
        const task1 = [attachmentRecord('a1', 'task-1', 1), attachmentRecord('a3', 'task-1', 3)];
        await repo().saveAll([...task1, attachmentRecord('b2', 'task-2', 2)]);

        expect(bySeq(await repo().deleteAllOf('task-1'))).toEqual(task1);

        expect(await repo().listAll('task-1')).toEqual([]);
        expect(await repo().find('a1')).toBeUndefined();
        expect(guids(await repo().listAll('task-2'))).toEqual(['b2']);
        expect(await repo().count()).toBe(1);
        expect(await repo().deleteAllOf('task-1')).toEqual([]);
      });
    });

    describe('count, clear', () => {
      it('counts every attachment of every task', async () => {
        expect(await repo().count()).toBe(0);
        await repo().saveAll([attachmentRecord('a1', 'task-1', 1), attachmentRecord('b2', 'task-2', 2)]);
        await repo().saveAll([attachmentRecord('a3', 'task-1', 3)]);

        expect(await repo().count()).toBe(3);
      });

      it('clears everything, returning what it removed (to drop the bytes), and starts seq over', async () => {
        const records = [attachmentRecord('a1', 'task-1', 1), attachmentRecord('b2', 'task-2', 2)];
        await repo().nextSeq();
        await repo().nextSeq();
        await repo().saveAll(records);

        expect(bySeq(await repo().clear())).toEqual(records);

        expect(await repo().count()).toBe(0);
        expect(await repo().find('a1')).toBeUndefined();
        expect(await repo().listAll('task-2')).toEqual([]);
        expect(await repo().nextSeq()).toBe(1);
        expect(await repo().clear()).toEqual([]);
      });
    });
  });
}
