import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';
import { allPages, dataOf, expectFeishuError, taskCalls } from './support/task-calls.js';

/** Feishu's task list (task-v2/task/list): the calling user's "my tasks", user token only, paged. */
describe('task list', () => {
  let feishu: MockFeishuFixture;
  let alice: { open_id: string; union_id: string };
  let aliceToken: string;
  const tasks = () => taskCalls(feishu);

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    alice = await feishu.createUser('Alice');
    aliceToken = await feishu.userToken(alice.open_id);
  });

  /** Tasks seeded with Alice in the given role (none: not a member), their guids in creation order. */
  async function seed(
    roles: ('assignee' | 'follower' | undefined)[],
    completedAt?: number,
  ): Promise<string[]> {
    const guids: string[] = [];
    for (const [index, role] of roles.entries()) {
      guids.push(
        await feishu.seeder.createTask({
          summary: `Task ${index}`,
          members: role ? [{ openId: alice.open_id, role }] : [],
          completedAt,
        }),
      );
    }
    return guids;
  }

  it("lists the tasks the user is an assignee of, oldest first, not those they follow, created or don't belong to", async () => {
    const [first, , third] = await seed(['assignee', 'follower', 'assignee', undefined]);
    await feishu.seeder.createTask({ summary: 'made by Alice', creator: { openId: alice.open_id } });

    const data = dataOf(await tasks().list(aliceToken));

    expect(data.items.map((task: { guid: string }) => task.guid)).toEqual([first, third]);
    expect(data.has_more).toBe(false);
    expect(data).not.toHaveProperty('page_token');
    expect(data.items[0]).toMatchObject({
      summary: 'Task 0',
      members: [{ id: alice.open_id, type: 'user', role: 'assignee' }],
      status: 'todo',
      subtask_count: 0,
    });
  });

  it('pages with page_size, has_more and page_token until every task is listed once', async () => {
    const guids = await seed(Array(5).fill('assignee'));

    const listed = await allPages((pageToken) =>
      tasks().list(aliceToken, { page_size: 2, page_token: pageToken }),
    );

    expect(listed).toEqual({ guids, pages: 3 });
  });

  it('keeps completed, open or both with completed=true, false or absent', async () => {
    const open = await seed(['assignee', 'assignee']);
    const done = await seed(['assignee'], 1767200000000);
    const guidsOf = async (completed?: string) =>
      dataOf(await tasks().list(aliceToken, { completed })).items.map((task: { guid: string }) => task.guid);

    expect(await guidsOf('true')).toEqual(done);
    expect(await guidsOf('false')).toEqual(open);
    expect(await guidsOf()).toEqual([...open, ...done]);
  });

  it('answers members in user_id_type', async () => {
    await seed(['assignee']);

    const [task] = dataOf(await tasks().list(aliceToken, { user_id_type: 'union_id' })).items;

    expect(task.members).toEqual([{ id: alice.union_id, type: 'user', role: 'assignee' }]);
  });

  it('refuses a page token used with another completed filter, or of another list, with 400/1470400', async () => {
    await seed(['assignee', 'assignee', 'assignee']);
    const { page_token: pageToken } = dataOf(await tasks().list(aliceToken, { page_size: 1 }));
    const bob = await feishu.createUser('Bob');

    expectFeishuError(
      await tasks().list(aliceToken, { page_size: 1, page_token: pageToken, completed: 'false' }),
      400,
      1470400,
      /'page_token'/,
    );
    expectFeishuError(
      await tasks().list(await feishu.userToken(bob.open_id), { page_token: pageToken }),
      400,
      1470400,
      /'page_token'/,
    );
  });

  it.each([
    ['a type other than my_tasks', { type: 'followed' }, /'type'/],
    ['completed that is not true or false', { completed: 'yes' }, /'completed'/],
    ['page_size 0', { page_size: 0 }, /'page_size'/],
    ['page_size 101', { page_size: 101 }, /'page_size'/],
  ])('refuses %s with 400/1470400', async (_what, query, msg) => {
    expectFeishuError(await tasks().list(aliceToken, query), 400, 1470400, msg);
  });

  it('refuses a tenant token with 400/99991663 ("not support"), whatever scopes the app holds', async () => {
    const result = await tasks().list(await feishu.tenantToken());

    expectFeishuError(result, 400, 99991663, /Tenant access token not support/);
    expect(result.body.error.troubleshooter).toContain('code=99991663');
  });
});
