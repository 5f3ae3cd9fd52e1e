import { randomUUID } from 'node:crypto';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';
import { dataOf, expectFeishuError, taskCalls } from './support/task-calls.js';

/**
 * Feishu's add_members / remove_members (task-v2/task/add_members, remove_members), and what
 * membership decides: members read the task and its attachments; assignees (and the creator) edit.
 */
describe('task members', () => {
  let feishu: MockFeishuFixture;
  let token: string;
  let guid: string;
  let bob: { open_id: string; union_id: string; user_id: string };
  let bobToken: string;
  const tasks = () => taskCalls(feishu);

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    token = await feishu.tenantToken();
    bob = await feishu.createUser('Bob');
    bobToken = await feishu.userToken(bob.open_id);
    guid = (
      await feishu.seeder.createTaskWithAttachments({
        summary: 'Shared report',
        attachments: [{ name: 'figures.csv', content: 'q3,42\n', contentType: 'text/csv' }],
      })
    ).taskGuid;
  });

  const follower = (id: string) => ({ members: [{ id, type: 'user', role: 'follower' }] });

  it('lets a user added as a follower list and download the attachments, and refuses them 1470403 once removed', async () => {
    expectFeishuError(await tasks().listAttachments(bobToken, guid), 403, 1470403);

    const added = dataOf(await tasks().addMembers(token, guid, follower(bob.open_id))).task;
    const listed = dataOf(await tasks().listAttachments(bobToken, guid));
    const download = await fetch(listed.items[0].url);

    expect(added.members).toEqual([{ id: bob.open_id, type: 'user', role: 'follower' }]);
    expect(listed.items.map((item: { name: string }) => item.name)).toEqual(['figures.csv']);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('q3,42\n');

    const removed = dataOf(await tasks().removeMembers(token, guid, follower(bob.open_id))).task;

    expect(removed.members).toEqual([]);
    expectFeishuError(await tasks().listAttachments(bobToken, guid), 403, 1470403);
    expectFeishuError(await tasks().get(bobToken, guid), 403, 1470403);
  });

  it('lets a follower read but not edit: no upload, no member changes (403/1470403)', async () => {
    await tasks().addMembers(token, guid, follower(bob.open_id));
    const carol = await feishu.createUser('Carol');

    expect(dataOf(await tasks().get(bobToken, guid)).task.summary).toBe('Shared report');
    expectFeishuError(
      await feishu.upload(bobToken, guid, [{ name: 'mine.txt', content: 'x' }]),
      403,
      1470403,
    );
    expectFeishuError(await tasks().addMembers(bobToken, guid, follower(carol.open_id)), 403, 1470403);
  });

  it('lets an added assignee edit: upload, and change members', async () => {
    await tasks().addMembers(token, guid, { members: [{ id: bob.open_id, role: 'assignee' }] });
    const carol = await feishu.createUser('Carol');

    expect(
      dataOf(await feishu.upload(bobToken, guid, [{ name: 'mine.txt', content: 'x' }])).items,
    ).toHaveLength(1);
    expect(
      dataOf(await tasks().addMembers(bobToken, guid, follower(carol.open_id))).task.members,
    ).toHaveLength(2);
  });

  it('reads and answers member ids in user_id_type, and ignores a member already there with that role', async () => {
    const query = { user_id_type: 'user_id' };
    await tasks().addMembers(token, guid, follower(bob.user_id), query);

    const again = dataOf(
      await tasks().addMembers(
        token,
        guid,
        {
          members: [
            { id: bob.user_id, role: 'follower' },
            { id: bob.user_id, role: 'assignee' },
          ],
        },
        query,
      ),
    ).task;

    expect(again.members).toEqual([
      { id: bob.user_id, type: 'user', role: 'follower' },
      { id: bob.user_id, type: 'user', role: 'assignee' },
    ]);
  });

  it('adds and removes an app as a member, which then reads the task with its tenant token', async () => {
    await feishu.call('POST', '/__mock/apps', { json: { app_id: 'cli_other', app_secret: 'other_secret' } });
    const otherToken = await feishu.tenantToken('cli_other', 'other_secret');
    expectFeishuError(await tasks().get(otherToken, guid), 403, 1470403);

    await tasks().addMembers(token, guid, { members: [{ id: 'cli_other', type: 'app', role: 'follower' }] });
    expect(dataOf(await tasks().get(otherToken, guid)).task.members).toEqual([
      { id: 'cli_other', type: 'app', role: 'follower' },
    ]);

    await tasks().removeMembers(token, guid, {
      members: [{ id: 'cli_other', type: 'app', role: 'follower' }],
    });
    expectFeishuError(await tasks().get(otherToken, guid), 403, 1470403);
  });

  it('ignores a removal of someone who is not a member with that role, or not known at all', async () => {
    await tasks().addMembers(token, guid, follower(bob.open_id));

    const task = dataOf(
      await tasks().removeMembers(token, guid, {
        members: [
          { id: bob.open_id, role: 'assignee' },
          { id: 'ou_nobody', role: 'follower' },
        ],
      }),
    ).task;

    expect(task.members).toEqual([{ id: bob.open_id, type: 'user', role: 'follower' }]);
  });

  it('moves updated_at when the members change, on the emulator clock', async () => {
    const frozenAt = feishu.clock.freeze(true);
    feishu.clock.advance(5_000);

    const added = dataOf(await tasks().addMembers(token, guid, follower(bob.open_id))).task;
    feishu.clock.advance(5_000);
    const unchanged = dataOf(await tasks().addMembers(token, guid, follower(bob.open_id))).task;

    expect(Number(added.updated_at)).toBe(frozenAt + 5_000);
    expect(unchanged.updated_at).toBe(added.updated_at);
  });

  it.each([
    ['no members', {}, /'members'/],
    ['an empty members list', { members: [] }, /'members'/],
    ['an unknown user', { members: [{ id: 'ou_nobody', role: 'follower' }] }, /'members.id'/],
    ['an unknown role', { members: [{ id: 'ou_x', role: 'owner' }] }, /'members.role'/],
    [
      'a client_token of 9 characters',
      { members: [{ id: 'ou_x', role: 'follower' }], client_token: 'a'.repeat(9) },
      /'client_token'/,
    ],
  ])('refuses add_members with %s: 400/1470400', async (_what, body, msg) => {
    expectFeishuError(await tasks().addMembers(token, guid, body), 400, 1470400, msg);
  });

  it('refuses an add that would leave more than 50 members with 400/1470400', async () => {
    const members = [];
    for (let index = 0; index < 51; index++) {
      members.push({ id: (await feishu.createUser(`User ${index}`)).open_id, role: 'follower' });
    }
    await tasks().addMembers(token, guid, { members: members.slice(0, 50) });

    expectFeishuError(
      await tasks().addMembers(token, guid, { members: members.slice(50) }),
      400,
      1470400,
      /50/,
    );
  });

  it('answers an unknown task 404/1470404', async () => {
    expectFeishuError(await tasks().addMembers(token, randomUUID(), follower(bob.open_id)), 404, 1470404);
    expectFeishuError(await tasks().removeMembers(token, randomUUID(), follower(bob.open_id)), 404, 1470404);
  });
});
