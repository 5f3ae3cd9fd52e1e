import { startHarness, type Harness } from './support/admin-api.harness.js';

const UNKNOWN_GUID = '00000000-0000-4000-8000-000000000003';

describe('task members', () => {
  let h: Harness;
  let taskGuid: string;
  let alice: string;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    await h.feishu.reset({ keepTokens: true });
    alice = (await h.createUser('Alice')).open_id;
    taskGuid = await h.feishu.seeder.createTask({ summary: 'Quarterly report' });
    h.sent.length = 0;
  });

  const add = (members: unknown) => h.call('POST', `/tasks/${taskGuid}/members`, { json: { members } });
  const members = async () => (await h.call('GET', `/tasks/${taskGuid}`)).body.members;

  describe('POST /tasks/:taskGuid/members', () => {
    it('adds a user as assignee and an app as follower, and answers the task with its members', async () => {
      const result = await add([
        { id: alice, role: 'assignee' },
        { id: h.feishu.app.appId, role: 'follower' },
      ]);

      expect(result.status).toBe(200);
      expect(result.body.guid).toBe(taskGuid);
      expect(result.body.members).toEqual(
        expect.arrayContaining([
          { id: alice, type: 'user', role: 'assignee' },
          { id: h.feishu.app.appId, type: 'app', role: 'follower' },
        ]),
      );
      expect(result.body.members).toHaveLength(2);
      expect(await members()).toEqual(result.body.members);
    });

    it('leaves a member that is already there as it is', async () => {
      await add([{ id: alice, role: 'assignee' }]);

      const again = await add([{ id: alice, role: 'assignee' }]);

      expect(again.status).toBe(200);
      expect(again.body.members).toEqual([{ id: alice, type: 'user', role: 'assignee' }]);
    });

    it("passes on Feishu's 400 for a user it does not know", async () => {
      const result = await add([{ id: 'ou_00000000000000000000000000000000', role: 'assignee' }]);

      expect(result.status).toBe(400);
      expect(result.body.error.feishu).toMatchObject({ code: 1470400 });
      expect(await members()).toEqual([]);
    });

    it("answers 404 with Feishu's code for a task that does not exist", async () => {
      const result = await h.call('POST', `/tasks/${UNKNOWN_GUID}/members`, {
        json: { members: [{ id: alice, role: 'assignee' }] },
      });

      expect(result.status).toBe(404);
      expect(result.body.error.feishu).toMatchObject({ code: 1470404 });
    });

    it.each([
      ['no members field', {}, /members must be a list of \{id, role\}/],
      ['an empty list', { members: [] }, /members must list at least one member/],
      [
        '51 members',
        { members: Array.from({ length: 51 }, (_, i) => ({ id: `ou_${i}`, role: 'follower' })) },
        /members may list at most 50/,
      ],
      ['a member that is a string', { members: ['ou_a'] }, /members\[0\] must be an object \{id, role\}/],
      [
        'a member without a role',
        { members: [{ id: 'ou_a' }] },
        /members\[0\]\.role must be assignee or follower/,
      ],
      [
        'an unknown role',
        { members: [{ id: 'ou_a', role: 'owner' }] },
        /members\[0\]\.role must be assignee or follower/,
      ],
      [
        'a type (the id says it)',
        { members: [{ id: 'ou_a', type: 'user', role: 'assignee' }] },
        /unknown body field\(s\): members\[0\]\.type/,
      ],
      [
        'an id with a space',
        { members: [{ id: 'ou a', role: 'assignee' }] },
        /members\[0\]\.id must be a user's open_id \(ou_…\) or an app id \(cli_…\)/,
      ],
      [
        'a union_id, which admin-api does not take',
        { members: [{ id: 'on_e4d65380f2a0556cbc0ca6ea89b286bo', role: 'assignee' }] },
        /members\[0\]\.id must be a user's open_id/,
      ],
      [
        'an unknown member field',
        { members: [{ id: 'ou_a', role: 'assignee', admin: true }] },
        /unknown body field\(s\): members\[0\]\.admin/,
      ],
      [
        'an unknown field',
        { members: [{ id: 'ou_a', role: 'assignee' }], notify: true },
        /unknown body field\(s\): notify/,
      ],
    ])('refuses %s with 400 naming the problem, without calling Feishu', async (_what, json, message) => {
      const result = await h.call('POST', `/tasks/${taskGuid}/members`, { json });

      expect(result.status).toBe(400);
      expect(result.body).toEqual({ error: { status: 400, message: expect.stringMatching(message) } });
      expect(h.sent).toEqual([]);
    });
  });

  describe('DELETE /tasks/:taskGuid/members/:memberId', () => {
    beforeEach(async () => {
      await add([
        { id: alice, role: 'assignee' },
        { id: alice, role: 'follower' },
      ]);
    });

    it('removes the member in every role it holds, and answers the task without it', async () => {
      const result = await h.call('DELETE', `/tasks/${taskGuid}/members/${alice}`);

      expect(result.status).toBe(200);
      expect(result.body.members).toEqual([]);
      expect(await members()).toEqual([]);
    });

    it('removes only the role given', async () => {
      const result = await h.call('DELETE', `/tasks/${taskGuid}/members/${alice}`, {
        query: { role: 'follower' },
      });

      expect(result.status).toBe(200);
      expect(result.body.members).toEqual([{ id: alice, type: 'user', role: 'assignee' }]);
    });

    it('answers 200 with the task as it is for someone who is not a member', async () => {
      const bob = (await h.createUser('Bob')).open_id;

      const result = await h.call('DELETE', `/tasks/${taskGuid}/members/${bob}`);

      expect(result.status).toBe(200);
      expect(result.body.members).toHaveLength(2);
    });

    it.each([
      [
        'a memberId with a dot',
        'ou.a',
        {},
        /^memberId must be a user's open_id \(ou_…\) or an app id \(cli_…\); got "ou\.a"\.$/,
      ],
      ['a 101-character memberId', 'o'.repeat(101), {}, /^memberId must be/],
      ['an unknown role', 'ou_a', { role: 'owner' }, /role must be assignee or follower/],
      ['a union_id', 'on_e4d65380f2a0556cbc0ca6ea89b286bo', {}, /^memberId must be a user's open_id/],
      ['an unknown query parameter', 'ou_a', { notify: 'no' }, /unknown query field\(s\): notify/],
    ])('refuses %s with 400, without calling Feishu', async (_what, memberId, query, message) => {
      h.sent.length = 0;

      const result = await h.call('DELETE', `/tasks/${taskGuid}/members/${memberId}`, { query });

      expect(result.status).toBe(400);
      expect(result.body.error.message).toMatch(message);
      expect(h.sent).toEqual([]);
    });

    it('refuses a role given twice with 400', async () => {
      const result = await h.call(
        'DELETE',
        `/tasks/${taskGuid}/members/${alice}?role=assignee&role=follower`,
      );

      expect(result.status).toBe(400);
      expect(result.body.error.message).toMatch(/role must be assignee or follower, given once/);
    });
  });
});
