import { startHarness, type Harness } from './support/admin-api.harness.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('tasks', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    // Tokens survive, as they would in Feishu: the client keeps its cached tenant token.
    await h.feishu.reset({ keepTokens: true });
  });

  describe('POST /tasks', () => {
    it('creates a task as the app and answers 201 with its camelCase shape and ISO times', async () => {
      const createdAt = Date.UTC(2025, 0, 2, 3, 4, 5);
      // Frozen first: set on a running clock, a busy machine could let a millisecond pass before the freeze.
      h.feishu.clock.freeze(true);
      h.feishu.clock.set(createdAt);

      const result = await h.call('POST', '/tasks', {
        json: { summary: 'Quarterly report', description: 'Q3' },
      });

      expect(result.status).toBe(201);
      expect(result.body).toEqual({
        guid: expect.stringMatching(GUID),
        taskId: expect.any(String),
        summary: 'Quarterly report',
        description: 'Q3',
        status: 'todo',
        creator: { id: h.feishu.app.appId, type: 'app', role: 'creator' },
        members: [],
        attachments: [],
        createdAt: '2025-01-02T03:04:05.000Z',
        updatedAt: '2025-01-02T03:04:05.000Z',
        due: null,
        completedAt: null,
        appLink: expect.stringContaining(result.body.guid),
      });
      expect(await h.journal({ operation: 'task.create' })).toEqual([
        expect.objectContaining({ status: 200, code: 0, caller: `app:${h.feishu.app.appId}` }),
      ]);
    });

    it('creates a task without a description, which Feishu stores as empty', async () => {
      const result = await h.call('POST', '/tasks', { json: { summary: 'No description' } });

      expect(result.status).toBe(201);
      expect(result.body.description).toBe('');
    });

    it.each([
      ['no summary', {}, /summary is required/],
      ['an empty summary', { summary: '   ' }, /summary must not be empty/],
      [
        'a summary over 3000 characters',
        { summary: 'x'.repeat(3001) },
        /summary must be at most 3000 characters/,
      ],
      ['a non-string description', { summary: 'ok', description: 5 }, /description must be a string/],
      ['an unknown field', { summary: 'ok', assignee: 'me' }, /unknown body field\(s\): assignee/],
      ['a JSON array', [{ summary: 'ok' }], /the body must be a JSON object/],
    ])('refuses %s with 400 naming the problem, without calling Feishu', async (_label, json, message) => {
      const result = await h.call('POST', '/tasks', { json });

      expect(result.status).toBe(400);
      expect(result.body).toEqual({ error: { status: 400, message: expect.stringMatching(message) } });
      expect(await h.journal({ operation: 'task.create' })).toEqual([]);
    });

    it('refuses a body that is not valid JSON with 400 in the usual error shape', async () => {
      const result = await h.call('POST', '/tasks', {
        body: '{"summary": ',
        headers: { 'content-type': 'application/json' },
      });

      expect(result.status).toBe(400);
      expect(result.body).toEqual({ error: { status: 400, message: 'The request body is not valid JSON.' } });
    });

    it('refuses a request without a JSON body with 400', async () => {
      const result = await h.call('POST', '/tasks');

      expect(result.status).toBe(400);
      expect(result.body.error.message).toMatch(/the body must be a JSON object/);
    });
  });

  describe('GET /tasks/:taskGuid', () => {
    it('answers the task with its attachments, in upload order', async () => {
      const seeded = await h.feishu.seeder.createTaskWithAttachments({
        summary: 'Seeded',
        attachments: [
          { name: 'a.txt', content: 'alpha' },
          { name: 'b.txt', content: 'beta!' },
        ],
      });

      const result = await h.call('GET', `/tasks/${seeded.taskGuid}`);

      expect(result.status).toBe(200);
      expect(result.body.guid).toBe(seeded.taskGuid);
      expect(result.body.summary).toBe('Seeded');
      expect(result.body.attachments).toEqual(
        seeded.attachments.map((attachment) => ({
          guid: attachment.guid,
          name: attachment.name,
          size: attachment.size,
          fileToken: attachment.fileToken,
          taskGuid: seeded.taskGuid,
          uploader: { id: h.feishu.app.appId, type: 'app', role: 'editor' },
          isCover: false,
          uploadedAt: new Date(attachment.uploadedAt).toISOString(),
          contentPath: `/attachments/${attachment.guid}/content`,
        })),
      );
    });

    it('answers 404 with Feishu code 1470404 and its log id for a task that does not exist', async () => {
      const result = await h.call('GET', '/tasks/00000000-0000-4000-8000-000000000001');

      expect(result.status).toBe(404);
      expect(result.body).toEqual({
        error: {
          status: 404,
          message: 'The task does not exist or has been deleted.',
          feishu: {
            code: 1470404,
            msg: 'The task does not exist or has been deleted.',
            logId: expect.any(String),
          },
        },
      });
      const [entry] = await h.journal({ operation: 'task.get' });
      expect(result.body.error.feishu.logId).toBe(entry.log_id);
    });

    it('refuses a taskGuid that is not a GUID with 400 naming it, without calling Feishu', async () => {
      const result = await h.call('GET', '/tasks/not-a-guid');

      expect(result.status).toBe(400);
      expect(result.body).toEqual({
        error: {
          status: 400,
          message: expect.stringMatching(/^taskGuid must be a GUID like .*; got "not-a-guid"\.$/),
        },
      });
      expect(await h.journal({ operation: 'task.get' })).toEqual([]);
    });
  });
});
