import { MatchersV3 } from '@pact-foundation/pact';
import {
  EXAMPLE,
  Path,
  UUID,
  bearerToken,
  clientOn,
  injected,
  jsonRequestHeaders,
  jsonResponseHeaders,
  newPact,
  success,
  taskGuidFromState,
  taskShape,
  tenantTokenInteraction,
  underTaskPath,
} from './support/feishu-contract.js';
import { settled } from '@feishu-attachments/test-support/pact-settled';

const { eachLike, regex } = MatchersV3;

const SUBTASK = 'Collect the figures';

describe('subtasks contract (consumer: api-client)', () => {
  it('creates a subtask under task T, which names T as its parent', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T exists')
      .uponReceiving('a request to create a subtask of task T')
      .withRequest('POST', underTaskPath(Path.taskSubtasks), (request) =>
        request.headers(jsonRequestHeaders()).jsonBody({ summary: SUBTASK }),
      )
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            subtask: taskShape(regex(UUID, EXAMPLE.subtaskGuid), {
              summary: SUBTASK,
              parent_task_guid: taskGuidFromState(),
            }),
          }),
        ),
      )
      .executeTest(
        settled(async (mock) => {
          const subtask = await clientOn(mock.url).tasks.subtasks.create(EXAMPLE.taskGuid, {
            summary: SUBTASK,
          });
          expect(subtask).toMatchObject({ summary: SUBTASK, parent_task_guid: EXAMPLE.taskGuid });
          expect(subtask.guid).not.toBe(EXAMPLE.taskGuid);
        }),
      );
  });

  it('lists the subtasks of task T', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T has a subtask S')
      .uponReceiving('a request for the subtasks of task T')
      .withRequest('GET', underTaskPath(Path.taskSubtasks), (request) =>
        request.headers({ authorization: bearerToken() }),
      )
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            items: eachLike(
              taskShape(injected('${subtaskGuid}', EXAMPLE.subtaskGuid, UUID), {
                parent_task_guid: taskGuidFromState(),
              }),
              1,
            ),
            has_more: false,
          }),
        ),
      )
      .executeTest(
        settled(async (mock) => {
          const subtasks = [];
          for await (const subtask of clientOn(mock.url).tasks.subtasks.listAll({
            taskGuid: EXAMPLE.taskGuid,
          }))
            subtasks.push(subtask);
          expect(subtasks.map((subtask) => [subtask.guid, subtask.parent_task_guid])).toEqual([
            [EXAMPLE.subtaskGuid, EXAMPLE.taskGuid],
          ]);
        }),
      );
  });
});
