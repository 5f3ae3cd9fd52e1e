import contentDisposition from 'content-disposition';
import { ADMIN_TOKEN, startHarness, type Harness } from './support/admin-api.harness.js';
/** Feishu: a download URL works for 3 minutes (task-v2/attachment/get). */
const URL_TTL_MS = 3 * 60 * 1000;

describe('attachments', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    await h.feishu.reset({ keepTokens: true });
  });

  const seedTask = (attachments: { name: string; content: string | Buffer; contentType?: string }[]) =>
    h.feishu.seeder.createTaskWithAttachments({ summary: 'Attachments', attachments });

  /** Downloads through admin-api and returns the status, headers and bytes. */
  const download = async (guid: string) => {
    const response = await fetch(`${h.api.url}/attachments/${guid}/content`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return {
      status: response.status,
      headers: response.headers,
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };

  describe('GET /tasks/:taskGuid/attachments', () => {
    it('answers every attachment, following Feishu pages past 100, as {items} in upload order', async () => {
      const names = Array.from({ length: 120 }, (_, index) => `file-${String(index).padStart(3, '0')}.txt`);
      const seeded = await seedTask(names.map((name) => ({ name, content: name })));

      const result = await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`);

      expect(result.status).toBe(200);
      expect(Object.keys(result.body)).toEqual(['items']);
      expect(result.body.items.map((item: { name: string }) => item.name)).toEqual(names);
      // 100 is Feishu's largest page, so 120 attachments take two list calls.
      expect(await h.journal({ operation: 'attachment.list' })).toHaveLength(2);
    });

    it('answers {items: []} for a task without attachments', async () => {
      const seeded = await seedTask([]);

      const result = await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`);

      expect(result.status).toBe(200);
      expect(result.body).toEqual({ items: [] });
    });

    it('answers one page with ?limit and a nextCursor that leads to the next page, and none on the last', async () => {
      const seeded = await seedTask(['a', 'b', 'c'].map((name) => ({ name, content: name })));

      const first = await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`, { query: { limit: 2 } });
      const second = await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`, {
        query: { limit: 2, cursor: first.body.nextCursor },
      });

      expect(first.status).toBe(200);
      expect(first.body.items.map((item: { name: string }) => item.name)).toEqual(['a', 'b']);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ name: 'c' })] });
    });

    it('passes the page size to Feishu as page_size', async () => {
      const seeded = await seedTask([{ name: 'a', content: 'a' }]);

      await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`, { query: { limit: 7 } });

      const [entry] = await h.journal({ operation: 'attachment.list' });
      expect((entry as unknown as { query: Record<string, string> }).query.page_size).toBe('7');
    });

    it.each([
      ['0', { limit: 0 }, /limit must be a whole number from 1 to 100/],
      ['101', { limit: 101 }, /limit must be a whole number from 1 to 100/],
      ['not a number', { limit: 'ten' }, /limit must be a whole number from 1 to 100/],
      ['a fraction', { limit: '2.5' }, /limit must be a whole number from 1 to 100/],
      ['an empty cursor', { cursor: '' }, /cursor must not be empty/],
      ['an unknown parameter', { pageSize: 5 }, /unknown query field\(s\): pageSize/],
    ])('refuses %s with 400 naming the parameter, without calling Feishu', async (_label, query, message) => {
      const seeded = await seedTask([]);

      const result = await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`, { query });

      expect(result.status).toBe(400);
      expect(result.body).toEqual({ error: { status: 400, message: expect.stringMatching(message) } });
      expect(await h.journal({ operation: 'attachment.list' })).toEqual([]);
    });

    it('refuses a limit given twice with 400', async () => {
      const seeded = await seedTask([]);

      const result = await h.call('GET', `/tasks/${seeded.taskGuid}/attachments?limit=1&limit=2`);

      expect(result.status).toBe(400);
      expect(result.body.error.message).toMatch(/limit must be a whole number from 1 to 100, given once/);
    });

    it("answers a cursor Feishu does not accept with Feishu's 400 and code", async () => {
      const seeded = await seedTask([{ name: 'a', content: 'a' }]);

      const result = await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`, {
        query: { cursor: 'forged' },
      });

      expect(result.status).toBe(400);
      expect(result.body.error.feishu).toEqual(expect.objectContaining({ code: 1470400 }));
    });
  });

  describe('GET /attachments/:guid', () => {
    it("answers one attachment's metadata without Feishu's temporary URL", async () => {
      const seeded = await seedTask([{ name: 'notes.txt', content: 'hello' }]);
      const [attachment] = seeded.attachments;

      const result = await h.call('GET', `/attachments/${attachment.guid}`);

      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        guid: attachment.guid,
        name: 'notes.txt',
        size: 5,
        fileToken: attachment.fileToken,
        taskGuid: seeded.taskGuid,
        uploader: { id: h.feishu.app.appId, type: 'app', role: 'editor' },
        isCover: false,
        uploadedAt: new Date(attachment.uploadedAt).toISOString(),
        contentPath: `/attachments/${attachment.guid}/content`,
      });
      expect(result.text).not.toContain('/download/authcode');
    });

    it('answers 404 with Feishu code 1470404 for an attachment that does not exist', async () => {
      const result = await h.call('GET', '/attachments/00000000-0000-4000-8000-000000000002');

      expect(result.status).toBe(404);
      expect(result.body.error).toEqual({
        status: 404,
        message: 'The attachment does not exist or has been deleted.',
        feishu: expect.objectContaining({ code: 1470404 }),
      });
    });

    it('refuses a guid that is not a GUID with 400', async () => {
      const result = await h.call('GET', '/attachments/123');

      expect(result.status).toBe(400);
      expect(result.body.error.message).toMatch(/^guid must be a GUID like/);
    });
  });

  describe('GET /attachments/:guid/content', () => {
    it('streams the bytes with Content-Type, Content-Length and a UTF-8 Content-Disposition', async () => {
      const content = Buffer.from('%PDF-1.7 季度报告 ✓');
      const seeded = await seedTask([
        { name: '季度报告 "final".pdf', content, contentType: 'application/pdf' },
      ]);

      const result = await download(seeded.attachments[0].guid);

      expect(result.status).toBe(200);
      expect(result.bytes.equals(content)).toBe(true);
      expect(result.headers.get('content-type')).toBe('application/pdf');
      expect(result.headers.get('content-length')).toBe(String(content.length));
      const disposition = result.headers.get('content-disposition') ?? '';
      // RFC 6266: an ASCII fallback for old clients, and the exact name as UTF-8 in filename*.
      expect(disposition).toContain(`filename*=UTF-8''`);
      expect(contentDisposition.parse(disposition)).toEqual({
        type: 'attachment',
        parameters: { filename: '季度报告 "final".pdf' },
      });
      expect(result.headers.get('cache-control')).toBe('no-store');
    });

    it('keeps serving after the URL was used three times: the fourth download gets a fresh URL', async () => {
      const content = 'four downloads';
      const seeded = await seedTask([{ name: 'four.txt', content }]);
      const guid = seeded.attachments[0].guid;

      const results = [];
      for (let index = 0; index < 4; index++) results.push(await download(guid));

      expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);
      expect(results.every((result) => result.bytes.toString() === content)).toBe(true);
      // One URL serves three downloads; the fourth needs a second `get`.
      expect(await h.journal({ operation: 'attachment.get' })).toHaveLength(2);
      const downloads = await h.journalOf({ operation: 'download' }, 4);
      expect(downloads.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);
    });

    it('replaces a URL used up by someone else without the caller noticing', async () => {
      const seeded = await seedTask([{ name: 'shared.txt', content: 'shared bytes' }]);
      const guid = seeded.attachments[0].guid;
      // Listing hands the client a URL, which it keeps for later downloads...
      await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`);
      // ...and someone else spends all three of its uses.
      const [issued] = await h.downloadUrls();
      for (let index = 0; index < 3; index++) expect((await fetch(issued.url)).status).toBe(200);

      const result = await download(guid);

      expect(result.status).toBe(200);
      expect(result.bytes.toString()).toBe('shared bytes');
      expect((await h.journalOf({ operation: 'download' }, 5)).map((entry) => entry.status)).toEqual([
        200, 200, 200, 403, 200,
      ]);
      expect(await h.journal({ operation: 'attachment.get' })).toHaveLength(1);
    });

    it('keeps serving after 3 minutes, when the URL the client holds has expired', async () => {
      const seeded = await seedTask([{ name: 'later.txt', content: 'still here' }]);
      const guid = seeded.attachments[0].guid;
      expect((await download(guid)).status).toBe(200);

      h.feishu.clock.advance(URL_TTL_MS + 1);
      const result = await download(guid);

      expect(result.status).toBe(200);
      expect(result.bytes.toString()).toBe('still here');
      // The client still trusted its URL (its own clock did not move); Feishu refused it, and a fresh one worked.
      expect((await h.journalOf({ operation: 'download' }, 3)).map((entry) => entry.status)).toEqual([
        200, 403, 200,
      ]);
      expect(await h.journal({ operation: 'attachment.get' })).toHaveLength(2);
    });

    it('answers 404 in the error shape, not bytes, for an attachment that does not exist', async () => {
      const result = await h.call('GET', '/attachments/00000000-0000-4000-8000-000000000003/content');

      expect(result.status).toBe(404);
      expect(result.headers.get('content-type')).toMatch(/^application\/json/);
      expect(result.body.error.feishu.code).toBe(1470404);
    });
  });

  describe('DELETE /attachments/:guid', () => {
    it('deletes the attachment with 204 and no body; it is gone afterwards', async () => {
      const seeded = await seedTask([{ name: 'gone.txt', content: 'x' }]);
      const guid = seeded.attachments[0].guid;

      const result = await h.call('DELETE', `/attachments/${guid}`);

      expect(result.status).toBe(204);
      expect(result.text).toBe('');
      expect((await h.call('GET', `/attachments/${guid}`)).status).toBe(404);
    });

    it('answers 404 for an attachment deleted already', async () => {
      const seeded = await seedTask([{ name: 'twice.txt', content: 'x' }]);
      const guid = seeded.attachments[0].guid;
      await h.call('DELETE', `/attachments/${guid}`);

      const result = await h.call('DELETE', `/attachments/${guid}`);

      expect(result.status).toBe(404);
      expect(result.body.error.feishu.code).toBe(1470404);
    });
  });

  describe('DELETE /tasks/:taskGuid/attachments', () => {
    it('deletes every attachment and reports each one', async () => {
      const seeded = await seedTask(['a.txt', 'b.txt', 'c.txt'].map((name) => ({ name, content: name })));

      const result = await h.call('DELETE', `/tasks/${seeded.taskGuid}/attachments`);

      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        deleted: 3,
        failed: 0,
        results: seeded.attachments.map((attachment) => ({
          guid: attachment.guid,
          name: attachment.name,
          status: 'deleted',
        })),
      });
      expect((await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`)).body).toEqual({ items: [] });
    });

    it('goes on past an attachment Feishu refuses to delete, and reports why', async () => {
      const seeded = await seedTask(['a.txt', 'b.txt', 'c.txt'].map((name) => ({ name, content: name })));
      const refused = seeded.attachments[1];
      await h.fault({
        method: 'DELETE',
        path: `/open-apis/task/v2/attachments/${refused.guid}`,
        error: { status: 403, code: 1470403, msg: 'Permission denied: injected.' },
      });

      const result = await h.call('DELETE', `/tasks/${seeded.taskGuid}/attachments`);

      expect(result.status).toBe(200);
      expect(result.body.deleted).toBe(2);
      expect(result.body.failed).toBe(1);
      expect(result.body.results).toEqual([
        { guid: seeded.attachments[0].guid, name: 'a.txt', status: 'deleted' },
        {
          guid: refused.guid,
          name: 'b.txt',
          status: 'failed',
          error: {
            status: 403,
            message: 'Permission denied: injected.',
            feishu: { code: 1470403, msg: 'Permission denied: injected.', logId: expect.any(String) },
          },
        },
        { guid: seeded.attachments[2].guid, name: 'c.txt', status: 'deleted' },
      ]);
      const left = await h.call('GET', `/tasks/${seeded.taskGuid}/attachments`);
      expect(left.body.items.map((item: { guid: string }) => item.guid)).toEqual([refused.guid]);
    });

    it('answers {deleted: 0, failed: 0, results: []} for a task without attachments', async () => {
      const seeded = await seedTask([]);

      const result = await h.call('DELETE', `/tasks/${seeded.taskGuid}/attachments`);

      expect(result.status).toBe(200);
      expect(result.body).toEqual({ deleted: 0, failed: 0, results: [] });
    });

    it('answers 404 when the task does not exist, since nothing could be listed', async () => {
      const result = await h.call('DELETE', '/tasks/00000000-0000-4000-8000-000000000004/attachments');

      expect(result.status).toBe(404);
      expect(result.body.error.feishu.code).toBe(1470404);
    });
  });
});
