import { MatchersV3 } from '@pact-foundation/pact';
import type { Task } from '../../src/index.js';
import {
  EXAMPLE,
  Path,
  UUID,
  clientOn,
  injected,
  jsonResponseHeaders,
  newPact,
  success,
  taskShape,
  userBearerToken,
  userMemberShape,
} from './support/feishu-contract.js';
import { settled } from '@feishu-attachments/test-support/pact-settled';

const { eachLike, regex, string } = MatchersV3;

const STATE = 'user Alice is an assignee of 3 tasks, listed 2 per page';
/** What the calls send: `my_tasks` is the one list type Feishu documents. */
const QUERY = { page_size: '2', type: 'my_tasks' };
const assigned = () =>
  taskShape(regex(UUID, EXAMPLE.taskGuid), { members: eachLike(userMemberShape('assignee'), 1) });

describe('task list contract (consumer: api-client)', () => {
  it("lists a user's tasks with the user's token, page by page, without fetching a tenant token", async () => {
    const pact = newPact();
    pact
      .addInteraction()
      .given(STATE)
      .uponReceiving("a request for the first page of Alice's tasks")
      .withRequest('GET', Path.tasks, (request) =>
        request.headers({ authorization: userBearerToken() }).query(QUERY),
      )
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            items: eachLike(assigned(), 2),
            has_more: true,
            page_token: string(EXAMPLE.pageToken),
          }),
        ),
      );
    await pact
      .addInteraction()
      .given(STATE)
      .uponReceiving("a request for the page of Alice's tasks after the first 2")
      .withRequest('GET', Path.tasks, (request) =>
        request.headers({ authorization: userBearerToken() }).query({
          ...QUERY,
          page_token: injected('${pageToken}', EXAMPLE.pageToken, '^\\S+$'),
        }),
      )
      .willRespondWith(200, (response) =>
        response
          .headers(jsonResponseHeaders())
          .jsonBody(success({ items: eachLike(assigned(), 1), has_more: false })),
      )
      .executeTest(
        settled(async (mock) => {
          // The app's credentials are there, but a call that brings a user token never asks for a tenant one.
          const client = clientOn(mock.url);
          const asUser = { userAccessToken: EXAMPLE.userToken };
          const first = await client.tasks.listPage({ pageSize: 2, type: 'my_tasks' }, asUser);
          expect(first).toMatchObject({ has_more: true, page_token: EXAMPLE.pageToken });
          expect(first.items).toHaveLength(2);

          const all: Task[] = [];
          for await (const task of client.tasks.listAll({ pageSize: 2, type: 'my_tasks' }, asUser))
            all.push(task);
          expect(all).toHaveLength(3);
          expect(all.every((task) => task.members.some((member) => member.id === EXAMPLE.openId))).toBe(true);
        }),
      );
  });
});
