import { MatchersV3 } from '@pact-foundation/pact';
import { FeishuErrorCode, isFeishuApiError, type RetryInfo } from '../../src/index.js';
import {
  EXAMPLE,
  Path,
  attachmentPath,
  bearerToken,
  clientOn,
  feishuError,
  executeWithRetryServer,
  getAttachmentInteraction,
  injected,
  jsonResponseHeaders,
  newPact,
  taskGuidFromState,
  tenantTokenInteraction,
} from './support/feishu-contract.js';
import { settled } from '@feishu-attachments/test-support/pact-settled';

const { regex } = MatchersV3;

/** The error a call rejected with; fails the test if it resolved. */
async function failureOf(call: Promise<unknown>) {
  const error = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (reason: unknown) => reason,
  );
  if (!isFeishuApiError(error)) throw error;
  return error;
}

describe('errors contract (consumer: api-client)', () => {
  it('surfaces 400/1470400 for a page token that belongs to another task', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T has 3 attachments, and task U gave out a page token')
      .uponReceiving('a request for task T attachments with a page token of task U')
      .withRequest('GET', Path.attachments, (request) =>
        request.headers({ authorization: bearerToken() }).query({
          resource_type: 'task',
          resource_id: taskGuidFromState(),
          page_token: injected('${foreignPageToken}', EXAMPLE.pageToken, '^\\S+$'),
        }),
      )
      .willRespondWith(400, (response) =>
        response
          .headers(jsonResponseHeaders())
          .jsonBody(
            feishuError(
              FeishuErrorCode.InvalidParam,
              "^Invalid Param 'page_token'.*",
              "Invalid Param 'page_token', the page token belongs to another resource.",
            ),
          ),
      )
      .executeTest(
        settled(async (mock) => {
          const error = await failureOf(
            clientOn(mock.url).attachments.listPage({
              taskGuid: EXAMPLE.taskGuid,
              pageToken: EXAMPLE.pageToken,
            }),
          );
          expect(error).toMatchObject({
            httpStatus: 400,
            code: FeishuErrorCode.InvalidParam,
            logId: EXAMPLE.logId,
          });
          expect(error.msg).toContain('page_token');
        }),
      );
  });

  it('surfaces 403/1470403 for the attachments of a task the app cannot read', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('task T belongs to another user')
      .uponReceiving('a request for the attachments of task T, which the app cannot read')
      .withRequest('GET', Path.attachments, (request) =>
        request
          .headers({ authorization: bearerToken() })
          .query({ resource_type: 'task', resource_id: taskGuidFromState() }),
      )
      .willRespondWith(403, (response) =>
        response
          .headers(jsonResponseHeaders())
          .jsonBody(
            feishuError(
              FeishuErrorCode.PermissionDenied,
              '^Permission denied: .*read.*',
              'Permission denied: no read permission on the task.',
            ),
          ),
      )
      .executeTest(
        settled(async (mock) => {
          const error = await failureOf(
            clientOn(mock.url).attachments.listPage({ taskGuid: EXAMPLE.taskGuid }),
          );
          expect(error).toMatchObject({ httpStatus: 403, code: FeishuErrorCode.PermissionDenied });
        }),
      );
  });

  it('surfaces 404/1470404 for an attachment that was deleted', async () => {
    const pact = newPact();
    tenantTokenInteraction(pact);
    await pact
      .addInteraction()
      .given('attachment A was deleted')
      .uponReceiving('a request for attachment A, which was deleted')
      .withRequest('GET', attachmentPath(), (request) => request.headers({ authorization: bearerToken() }))
      .willRespondWith(404, (response) =>
        response
          .headers(jsonResponseHeaders())
          .jsonBody(
            feishuError(
              FeishuErrorCode.NotFound,
              '.*attachment does not exist.*',
              'The attachment does not exist or has been deleted.',
            ),
          ),
      )
      .executeTest(
        settled(async (mock) => {
          const error = await failureOf(clientOn(mock.url).attachments.get(EXAMPLE.attachmentGuid));
          expect(error).toMatchObject({ httpStatus: 404, code: FeishuErrorCode.NotFound });
        }),
      );
  });

  it('waits x-ogw-ratelimit-reset seconds after 429/99991400 and then succeeds', async () => {
    // Pact answers one request one way, so the retry is routed to a second mock server.
    const limited = newPact();
    const recovered = newPact();
    tenantTokenInteraction(limited);
    const retries: RetryInfo[] = [];
    const limitedCall = limited
      .addInteraction()
      .given('task T has an attachment A, and reading it is rate limited once')
      .uponReceiving('a request for attachment A while the API is rate limited')
      .withRequest('GET', attachmentPath(), (request) => request.headers({ authorization: bearerToken() }))
      .willRespondWith(429, (response) =>
        response
          .headers(jsonResponseHeaders({ 'x-ogw-ratelimit-reset': regex('^\\d+$', '1') }))
          .jsonBody(
            feishuError(
              FeishuErrorCode.RateLimited,
              '.*frequency limit.*',
              'request trigger frequency limit',
            ),
          ),
      );
    await executeWithRetryServer(limitedCall, getAttachmentInteraction(recovered), async (baseUrl, fetch) => {
      const client = clientOn(baseUrl, { fetch, hooks: { beforeRetry: (info) => retries.push(info) } });
      const started = performance.now();
      const attachment = await client.attachments.get(EXAMPLE.attachmentGuid);
      expect(attachment.guid).toBe(EXAMPLE.attachmentGuid);
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    });
    expect(retries.map((retry) => [retry.reason, retry.delayMs])).toEqual([['rate_limited', 1000]]);
  });

  it('fetches a new tenant token after 99991663 and retries the call once with it', async () => {
    // The second mock server answers the new token request and the retry made with it.
    const rejected = newPact();
    const refreshed = newPact();
    tenantTokenInteraction(rejected);
    tenantTokenInteraction(refreshed);
    const retries: RetryInfo[] = [];
    const rejectedCall = rejected
      .addInteraction()
      .given('the tenant token was revoked')
      .uponReceiving('a request for attachment A with a revoked tenant token')
      .withRequest('GET', attachmentPath(), (request) => request.headers({ authorization: bearerToken() }))
      .willRespondWith(400, (response) =>
        response
          .headers(jsonResponseHeaders())
          .jsonBody(
            feishuError(
              FeishuErrorCode.InvalidTenantAccessToken,
              '^Invalid access token.*',
              'Invalid access token for authorization. Please make a request with token attached.',
            ),
          ),
      );
    await executeWithRetryServer(
      rejectedCall,
      getAttachmentInteraction(refreshed),
      async (baseUrl, fetch) => {
        const client = clientOn(baseUrl, { fetch, hooks: { beforeRetry: (info) => retries.push(info) } });
        const attachment = await client.attachments.get(EXAMPLE.attachmentGuid);
        expect(attachment.guid).toBe(EXAMPLE.attachmentGuid);
      },
    );
    expect(retries.map((retry) => retry.reason)).toEqual(['token_rejected']);
  });
});
