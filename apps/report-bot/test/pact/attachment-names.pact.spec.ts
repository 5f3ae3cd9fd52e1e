import { MatchersV3, PactV4, SpecificationVersion } from '@pact-foundation/pact';
import { createFeishuClient } from '@feishu-attachments/api-client';
import { resolve } from 'node:path';
import { attachmentNames } from '../../src/attachment-names.js';
import { settled } from '@feishu-attachments/test-support/pact-settled';

const { eachLike, integer, regex, string } = MatchersV3;

// Pact's native core reports usage over the network unless told not to; these runs stay offline.
process.env.PACT_DO_NOT_TRACK ??= 'true';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const EXAMPLE = {
  tenantToken: 't-g1044ghJRUIJJ5ELPPSLMF3VU7VWVPT4GZD6ZB4O',
  taskGuid: 'f860de3e-6881-4ddd-9321-070f36d1af0b',
  attachmentGuid: 'b59aa7a3-e98c-4830-8273-cbb29f89b837',
};

/**
 * A value the provider state supplies at verification (`${name}` in `expression`), with the
 * example this consumer run uses, checked against `pattern` on both sides.
 */
const fromProviderState = (expression: string, example: string, pattern: string) => ({
  'pact:matcher:type': 'regex',
  regex: pattern,
  'pact:generator:type': 'ProviderState',
  expression,
  value: example,
});

describe('report-bot contract with mock-feishu', () => {
  it("lists the names of a task's attachments", async () => {
    // The consumer is this Nx project: verification looks for pacts/report-bot-mock-feishu.json.
    const pact = new PactV4({
      consumer: 'report-bot',
      provider: 'mock-feishu',
      dir: resolve(__dirname, '../../../..', 'pacts'),
      spec: SpecificationVersion.SPECIFICATION_VERSION_V4,
      logLevel: 'warn',
    });
    await pact
      .addInteraction()
      .given('task T has an attachment A')
      .uponReceiving('a request for the attachments of task T, from report-bot')
      .withRequest('GET', '/open-apis/task/v2/attachments', (request) =>
        request
          // The emulator accepts only tokens it issued: the state hands one out, and verification
          // puts it into this header in place of the example.
          .headers({
            authorization: fromProviderState(
              'Bearer ${tenantAccessToken}',
              `Bearer ${EXAMPLE.tenantToken}`,
              '^Bearer t-[0-9A-Za-z]+$',
            ),
          })
          .query({
            resource_type: 'task',
            resource_id: fromProviderState('${taskGuid}', EXAMPLE.taskGuid, UUID),
            page_size: '100',
          }),
      )
      .willRespondWith(200, (response) =>
        response.jsonBody({
          code: 0,
          msg: string('success'),
          data: {
            items: eachLike({
              guid: regex(UUID, EXAMPLE.attachmentGuid),
              name: string('notes.txt'),
              size: integer(14),
            }),
            has_more: false,
          },
        }),
      )
      .executeTest(
        settled(async (mock) => {
          const feishu = createFeishuClient({
            baseUrl: mock.url,
            auth: { tenantAccessToken: EXAMPLE.tenantToken },
          });
          expect(await attachmentNames(feishu, EXAMPLE.taskGuid)).toEqual(['notes.txt']);
        }),
      );
  });
});
