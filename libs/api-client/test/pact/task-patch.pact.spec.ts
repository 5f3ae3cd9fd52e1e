import { MatchersV3 } from '@pact-foundation/pact';
import type { PatchTaskBody } from '../../src/index.js';
import {
  EXAMPLE,
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

const { regex } = MatchersV3;

const EPOCH_MS = '^\\d{13}$';
const RENAMED = 'Prepare the quarterly report, final';
const DESCRIBED = 'Figures for Q3, checked by finance';

describe('task patch contract (consumer: api-client)', () => {
  it('changes the summary, description and due time it names in update_fields', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    const body: PatchTaskBody = {
      task: {
        summary: RENAMED,
        description: DESCRIBED,
        due: { timestamp: EXAMPLE.dueAt, is_all_day: false },
      },
      update_fields: ['summary', 'description', 'due'],
    };
    await pact
      .addInteraction()
      .given('task T exists')
      .uponReceiving('a request to change the summary, description and due time of task T')
      .withRequest('PATCH', taskPath(), (request) => request.headers(jsonRequestHeaders()).jsonBody(body))
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            task: taskShape(taskGuidFromState(), {
              summary: RENAMED,
              description: DESCRIBED,
              due: { timestamp: EXAMPLE.dueAt },
            }),
          }),
        ),
      )
      .executeTest(
        settled(async (mock) => {
          const task = await clientOn(mock.url).tasks.patch(EXAMPLE.taskGuid, body);
          expect(task).toMatchObject({
            guid: EXAMPLE.taskGuid,
            summary: RENAMED,
            description: DESCRIBED,
            due: { timestamp: EXAMPLE.dueAt },
          });
        }),
      );
  });

  it('completes a task by setting completed_at', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T exists')
      .uponReceiving('a request to complete task T')
      .withRequest('PATCH', taskPath(), (request) =>
        request
          .headers(jsonRequestHeaders())
          .jsonBody({ task: { completed_at: EXAMPLE.dueAt }, update_fields: ['completed_at'] }),
      )
      .willRespondWith(200, (response) =>
        response.headers(jsonResponseHeaders()).jsonBody(
          success({
            task: taskShape(taskGuidFromState(), {
              status: 'done',
              completed_at: regex(EPOCH_MS, EXAMPLE.dueAt),
            }),
          }),
        ),
      )
      .executeTest(
        settled(async (mock) => {
          const task = await clientOn(mock.url).tasks.patch(EXAMPLE.taskGuid, {
            task: { completed_at: EXAMPLE.dueAt },
            update_fields: ['completed_at'],
          });
          expect(task.status).toBe('done');
          expect(Number(task.completed_at)).toBeGreaterThan(0);
        }),
      );
  });

  it('reopens a completed task by setting completed_at to "0"', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T is completed')
      .uponReceiving('a request to reopen task T')
      .withRequest('PATCH', taskPath(), (request) =>
        request
          .headers(jsonRequestHeaders())
          .jsonBody({ task: { completed_at: '0' }, update_fields: ['completed_at'] }),
      )
      .willRespondWith(200, (response) =>
        response
          .headers(jsonResponseHeaders())
          .jsonBody(success({ task: taskShape(taskGuidFromState(), { status: 'todo', completed_at: '0' }) })),
      )
      .executeTest(
        settled(async (mock) => {
          const task = await clientOn(mock.url).tasks.patch(EXAMPLE.taskGuid, {
            task: { completed_at: '0' },
            update_fields: ['completed_at'],
          });
          expect(task).toMatchObject({ status: 'todo', completed_at: '0' });
        }),
      );
  });
});
