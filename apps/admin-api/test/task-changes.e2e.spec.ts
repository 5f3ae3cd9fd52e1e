import { startHarness, type Harness } from './support/admin-api.harness.js';

const UNKNOWN_GUID = '00000000-0000-4000-8000-000000000002';
const DUE = '2026-01-30T18:00:00.000Z';

/** Requests the Feishu client sent to a path under /open-apis/task/v2/tasks (any method unless given). */
const feishuCallsTo = (h: Harness, taskGuid: string, method?: string) =>
  h.sent.filter(
    (sent) =>
      sent.url.pathname.startsWith(`/open-apis/task/v2/tasks/${taskGuid}`) &&
      (method === undefined || sent.method === method),
  );

describe('changing, completing and reopening tasks', () => {
  let h: Harness;
  let taskGuid: string;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    await h.feishu.reset({ keepTokens: true });
    taskGuid = await h.feishu.seeder.createTask({ summary: 'Quarterly report', description: 'Q3' });
    h.sent.length = 0;
  });

  describe('PATCH /tasks/:taskGuid', () => {
    it('changes the summary, description and due time, and answers the task as it now is', async () => {
      const result = await h.call('PATCH', `/tasks/${taskGuid}`, {
        json: { summary: 'Quarterly report, final', description: 'Figures checked', due: { at: DUE } },
      });

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({
        guid: taskGuid,
        summary: 'Quarterly report, final',
        description: 'Figures checked',
        due: { at: DUE, allDay: false },
        status: 'todo',
      });
      // Feishu holds the change: a fresh read sees it.
      const read = await h.call('GET', `/tasks/${taskGuid}`);
      expect(read.body).toMatchObject({
        summary: 'Quarterly report, final',
        due: { at: DUE, allDay: false },
      });
    });

    it('changes only the fields given', async () => {
      const result = await h.call('PATCH', `/tasks/${taskGuid}`, { json: { summary: 'Renamed' } });

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ summary: 'Renamed', description: 'Q3', due: null });
    });

    it('takes a due time with an offset and an all-day due, and clears them with null', async () => {
      const offset = await h.call('PATCH', `/tasks/${taskGuid}`, {
        json: { due: { at: '2026-01-31T02:00:00+08:00', allDay: true } },
      });
      expect(offset.body.due).toEqual({ at: '2026-01-30T18:00:00.000Z', allDay: true });

      const cleared = await h.call('PATCH', `/tasks/${taskGuid}`, { json: { due: null, description: '' } });

      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ due: null, description: '', summary: 'Quarterly report' });
    });

    it.each([
      ['an empty object', {}, /name at least one of summary, description, due/],
      ['an unknown field', { summary: 's', status: 'done' }, /unknown body field\(s\): status/],
      ['completion through the change route', { completedAt: DUE }, /unknown body field\(s\): completedAt/],
      ['an empty summary', { summary: '  ' }, /summary must not be empty/],
      ['a number summary', { summary: 7 }, /summary must be a string/],
      ['a summary over 3000 characters', { summary: 'x'.repeat(3001) }, /summary must be at most 3000/],
      [
        'a description over 3000 characters',
        { description: 'd'.repeat(3001) },
        /description must be at most 3000/,
      ],
      ['a due that is a string', { due: DUE }, /due must be an object \{at, allDay\?\}, or null/],
      ['a due without at', { due: {} }, /due\.at must be an ISO 8601 date-time with a time zone/],
      ['a due time without a zone', { due: { at: '2026-01-30T18:00:00' } }, /due\.at must be an ISO 8601/],
      ['a due date without a time', { due: { at: '2026-01-30' } }, /due\.at must be an ISO 8601/],
      ['a due before 1970', { due: { at: '1969-12-31T23:59:59Z' } }, /due\.at must be after 1970/],
      ['a non-boolean allDay', { due: { at: DUE, allDay: 'yes' } }, /due\.allDay must be true or false/],
      ['an unknown due field', { due: { at: DUE, tz: 'UTC' } }, /unknown body field\(s\): due\.tz/],
      ['a JSON array', [{ summary: 's' }], /the body must be a JSON object/],
    ])('refuses %s with 400 naming the problem, without calling Feishu', async (_what, json, message) => {
      const result = await h.call('PATCH', `/tasks/${taskGuid}`, { json });

      expect(result.status).toBe(400);
      expect(result.body).toEqual({ error: { status: 400, message: expect.stringMatching(message) } });
      expect(feishuCallsTo(h, taskGuid)).toEqual([]);
    });

    it('refuses a body that is not JSON, and a taskGuid that is not a GUID, with 400', async () => {
      const broken = await h.call('PATCH', `/tasks/${taskGuid}`, {
        body: '{"summary": ',
        headers: { 'content-type': 'application/json' },
      });
      const badGuid = await h.call('PATCH', '/tasks/not-a-guid', { json: { summary: 's' } });

      expect(broken.body).toEqual({ error: { status: 400, message: 'The request body is not valid JSON.' } });
      expect(badGuid.status).toBe(400);
      expect(badGuid.body.error.message).toMatch(/^taskGuid must be a GUID/);
      expect(h.sent).toEqual([]);
    });

    it("answers 404 with Feishu's code for a task that does not exist", async () => {
      const result = await h.call('PATCH', `/tasks/${UNKNOWN_GUID}`, { json: { summary: 's' } });

      expect(result.status).toBe(404);
      expect(result.body.error.feishu).toMatchObject({ code: 1470404 });
    });

    it("answers 403 with Feishu's code when the app may not edit the task", async () => {
      const owner = await h.createUser('Owner');
      const theirs = await h.feishu.seeder.createTask({
        summary: 'Private',
        creator: { openId: owner.open_id },
      });

      const result = await h.call('PATCH', `/tasks/${theirs}`, { json: { summary: 'Taken over' } });

      expect(result.status).toBe(403);
      expect(result.body.error.feishu).toMatchObject({ code: 1470403 });
    });
  });

  describe('POST /tasks/:taskGuid/complete and /reopen', () => {
    it('completes a task now, and reopens it', async () => {
      const before = Date.now();
      const done = await h.call('POST', `/tasks/${taskGuid}/complete`);

      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ guid: taskGuid, status: 'done' });
      expect(Date.parse(done.body.completedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect((await h.call('GET', `/tasks/${taskGuid}`)).body.status).toBe('done');

      const reopened = await h.call('POST', `/tasks/${taskGuid}/reopen`);

      expect(reopened.status).toBe(200);
      expect(reopened.body).toMatchObject({ status: 'todo', completedAt: null });
    });

    it('answers 409 for a task that is already completed, and leaves it completed', async () => {
      await h.call('POST', `/tasks/${taskGuid}/complete`);

      const again = await h.call('POST', `/tasks/${taskGuid}/complete`);

      expect(again.status).toBe(409);
      expect(again.body).toEqual({
        error: { status: 409, message: `Task ${taskGuid} is already completed; reopen it first.` },
      });
      expect((await h.call('GET', `/tasks/${taskGuid}`)).body.status).toBe('done');
    });

    it('reopens a task that is open as it is', async () => {
      const result = await h.call('POST', `/tasks/${taskGuid}/reopen`);

      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ status: 'todo', completedAt: null, summary: 'Quarterly report' });
    });

    it.each(['complete', 'reopen'])(
      "answers 404 with Feishu's code when %s names no task",
      async (action) => {
        const result = await h.call('POST', `/tasks/${UNKNOWN_GUID}/${action}`);

        expect(result.status).toBe(404);
        expect(result.body.error.feishu).toMatchObject({ code: 1470404 });
      },
    );

    it.each(['complete', 'reopen'])(
      'refuses %s of a taskGuid that is not a GUID without calling Feishu',
      async (action) => {
        const result = await h.call('POST', `/tasks/42/${action}`);

        expect(result.status).toBe(400);
        expect(result.body.error.message).toMatch(/^taskGuid must be a GUID/);
        expect(h.sent).toEqual([]);
      },
    );
  });
});
