import { MatchersV3 } from '@pact-foundation/pact';
import {
  EXAMPLE,
  Path,
  UUID,
  attachmentShape,
  bearerToken,
  clientOn,
  jsonRequestHeaders,
  jsonResponseHeaders,
  newPact,
  success,
  taskGuidFromState,
  taskPath,
  taskShape,
  tenantTokenInteraction,
} from './support/feishu-contract.js';
import { settled } from '@feishu-attachments/test-support/pact-settled';

const { eachLike, regex } = MatchersV3;

const SUMMARY = 'Prepare the quarterly report';

describe('tasks contract (consumer: api-client)', () => {
  it('fetches a tenant token with the app credentials, then creates a task with it', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('the app cli_mock_app is registered')
      .uponReceiving('a request to create a task')
      .withRequest('POST', Path.tasks, (request) =>
        request.headers(jsonRequestHeaders()).jsonBody({ summary: SUMMARY }),
      )
      .willRespondWith(200, (response) =>
        response
          .headers(jsonResponseHeaders())
          .jsonBody(success({ task: { ...taskShape(regex(UUID, EXAMPLE.taskGuid)), summary: SUMMARY } })),
      )
      .executeTest(
        settled(async (mock) => {
          const task = await clientOn(mock.url).tasks.create({ summary: SUMMARY });
          expect(task).toMatchObject({ guid: EXAMPLE.taskGuid, summary: SUMMARY, attachments: [] });
        }),
      );
  });

  it('gets a task with the attachments it holds', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T has an attachment A')
      .uponReceiving('a request for task T')
      .withRequest('GET', taskPath(), (request) => request.headers({ authorization: bearerToken() }))
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            task: taskShape(taskGuidFromState(), {
              attachments: eachLike(attachmentShape({ taskGuid: taskGuidFromState() })),
            }),
          }),
        ),
      )
      .executeTest(
        settled(async (mock) => {
          const task = await clientOn(mock.url).tasks.get(EXAMPLE.taskGuid);
          expect(task.guid).toBe(EXAMPLE.taskGuid);
          expect(task.attachments).toHaveLength(1);
          expect(task.attachments[0].resource.id).toBe(EXAMPLE.taskGuid);
        }),
      );
  });

  it('deletes a task', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T exists')
      .uponReceiving('a request to delete task T')
      .withRequest('DELETE', taskPath(), (request) => request.headers({ authorization: bearerToken() }))
      .willRespondWith(200, (response) => response.headers(jsonResponseHeaders()).jsonBody(success({})))
      .executeTest(
        settled(async (mock) => {
          await expect(clientOn(mock.url).tasks.delete(EXAMPLE.taskGuid)).resolves.toBeUndefined();
        }),
      );
  });
});
