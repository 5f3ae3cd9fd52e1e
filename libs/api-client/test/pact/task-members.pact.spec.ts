import {
  EXAMPLE,
  Path,
  clientOn,
  jsonRequestHeaders,
  jsonResponseHeaders,
  newPact,
  success,
  taskGuidFromState,
  taskShape,
  tenantTokenInteraction,
  underTaskPath,
  userMemberShape,
  userOpenIdFromState,
} from './support/feishu-contract.js';
import { settled } from '@feishu-attachments/test-support/pact-settled';

describe('task members contract (consumer: api-client)', () => {
  it('adds a user as an assignee and gets the task back with its members', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('user Alice is registered, and task T exists')
      .uponReceiving('a request to add user Alice to task T as an assignee')
      .withRequest('POST', underTaskPath(Path.taskAddMembers), (request) =>
        request
          .headers(jsonRequestHeaders())
          .jsonBody({ members: [{ id: userOpenIdFromState(), type: 'user', role: 'assignee' }] }),
      )
      .willRespondWith(200, (response) =>
        response
          .headers(jsonResponseHeaders())
          .jsonBody(
            success({ task: taskShape(taskGuidFromState(), { members: [userMemberShape('assignee')] }) }),
          ),
      )
      .executeTest(
        settled(async (mock) => {
          const task = await clientOn(mock.url).tasks.addMembers(EXAMPLE.taskGuid, {
            members: [{ id: EXAMPLE.openId, type: 'user', role: 'assignee' }],
          });
          expect(task.members).toEqual([{ id: EXAMPLE.openId, type: 'user', role: 'assignee' }]);
        }),
      );
  });

  it('removes an assignee and gets the task back without them', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('user Alice is an assignee of task T')
      .uponReceiving('a request to remove user Alice from task T')
      .withRequest('POST', underTaskPath(Path.taskRemoveMembers), (request) =>
        request
          .headers(jsonRequestHeaders())
          .jsonBody({ members: [{ id: userOpenIdFromState(), type: 'user', role: 'assignee' }] }),
      )
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(success({ task: taskShape(taskGuidFromState()) })),
      )
      .executeTest(
        settled(async (mock) => {
          const task = await clientOn(mock.url).tasks.removeMembers(EXAMPLE.taskGuid, {
            members: [{ id: EXAMPLE.openId, type: 'user', role: 'assignee' }],
          });
          expect(task.members).toEqual([]);
        }),
      );
  });
});
