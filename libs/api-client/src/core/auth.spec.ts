import {
  ATTACHMENT_GUID,
  FakeFeishuFetch,
  TOKEN_PATH,
  attachment,
  attachmentPath,
  clientOn,
  fail,
  ok,
  tenantToken,
} from '../../test/support/fake-feishu-fetch.js';
import { FeishuApiError, FeishuErrorCode, type RetryInfo } from '../index.js';

const app = { appId: 'cli_app', appSecret: 'secret' };
const getOk = () => ok({ attachment: attachment() });
const tokenRejected = () =>
  fail(400, FeishuErrorCode.InvalidTenantAccessToken, 'Invalid access token for authorization.');
const bearerOf = (fake: FakeFeishuFetch) =>
  fake.to(attachmentPath()).map((request) => request.headers.get('authorization'));

describe('tenant token from app credentials', () => {
  it('fetches the tenant token once for many concurrent calls and reuses it afterwards', async () => {
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, tenantToken('t-1'))
      .on('GET', attachmentPath(), getOk());
    const client = clientOn(fake, { auth: app });

    await Promise.all(Array.from({ length: 8 }, () => client.attachments.get(ATTACHMENT_GUID)));
    await client.attachments.get(ATTACHMENT_GUID);

    const tokenCalls = fake.to(TOKEN_PATH);
    expect(tokenCalls).toHaveLength(1);
    expect(JSON.parse(tokenCalls[0].body.toString())).toEqual({ app_id: 'cli_app', app_secret: 'secret' });
    expect(tokenCalls[0].headers.get('authorization')).toBeNull();
    expect(bearerOf(fake)).toEqual(Array(9).fill('Bearer t-1'));
  });

  it('drops a token answered with 99991663, fetches a new one and retries the call once', async () => {
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, tenantToken('t-old'), tenantToken('t-new'))
      .on('GET', attachmentPath(), tokenRejected(), getOk());
    const retries: RetryInfo[] = [];
    const client = clientOn(fake, { auth: app, hooks: { beforeRetry: (info) => retries.push(info) } });

    await expect(client.attachments.get(ATTACHMENT_GUID)).resolves.toMatchObject({ guid: ATTACHMENT_GUID });

    expect(bearerOf(fake)).toEqual(['Bearer t-old', 'Bearer t-new']);
    expect(fake.to(TOKEN_PATH)).toHaveLength(2);
    expect(retries).toEqual([expect.objectContaining({ reason: 'token_rejected', delayMs: 0 })]);
  });

  it('throws when the fresh token is rejected too, after exactly one refresh', async () => {
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, tenantToken('t-1'), tenantToken('t-2'), tenantToken('t-3'))
      .on('GET', attachmentPath(), tokenRejected());

    const error = await clientOn(fake, { auth: app })
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error).toMatchObject({ code: FeishuErrorCode.InvalidTenantAccessToken, httpStatus: 400 });
    expect(bearerOf(fake)).toEqual(['Bearer t-1', 'Bearer t-2']);
    expect(fake.to(TOKEN_PATH)).toHaveLength(2);
  });

  it('numbers attempts on across a token replacement, which retry.limit does not count', async () => {
    const serverError = () => fail(500, FeishuErrorCode.ServerError, 'Internal server error, please retry.');
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, tenantToken('t-old'), tenantToken('t-new'))
      .on('GET', attachmentPath(), serverError(), tokenRejected(), serverError());
    const attempts: number[] = [];
    const retries: RetryInfo[] = [];
    const client = clientOn(fake, {
      auth: app,
      retry: { limit: 2 },
      hooks: {
        beforeRequest: (info) => info.path === attachmentPath() && attempts.push(info.attempt),
        beforeRetry: (info) => retries.push(info),
      },
    });

    const error = await client.attachments.get(ATTACHMENT_GUID).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'FeishuApiError', code: FeishuErrorCode.ServerError });
    // 500, rejected token (replaced, not counted), 500 (the second retry), 500: the limit is reached.
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(retries.map((info) => [info.reason, info.attempt])).toEqual([
      ['server_error', 1],
      ['token_rejected', 2],
      ['server_error', 3],
    ]);
    expect(bearerOf(fake)).toEqual(['Bearer t-old', 'Bearer t-old', 'Bearer t-new', 'Bearer t-new']);
  });

  it('fetches a new token once fewer than 30 minutes of its 2 hours remain', async () => {
    let now = 1_700_000_000_000;
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, tenantToken('t-1', 7200), tenantToken('t-2', 7200))
      .on('GET', attachmentPath(), getOk());
    const client = clientOn(fake, { auth: app, now: () => now });

    await client.attachments.get(ATTACHMENT_GUID);
    now += 90 * 60 * 1000 - 1;
    await client.attachments.get(ATTACHMENT_GUID);
    now += 1;
    await client.attachments.get(ATTACHMENT_GUID);

    expect(bearerOf(fake)).toEqual(['Bearer t-1', 'Bearer t-1', 'Bearer t-2']);
    expect(fake.to(TOKEN_PATH)).toHaveLength(2);
  });

  it('throws FeishuApiError with the token endpoint code when the app is refused, and sends nothing else', async () => {
    const refused = Response.json(
      { code: FeishuErrorCode.AuthAppSecretInvalid, msg: 'app secret invalid' },
      { status: 200 },
    );
    const fake = new FakeFeishuFetch().on('POST', TOKEN_PATH, refused).on('GET', attachmentPath(), getOk());

    const error = await clientOn(fake, { auth: app })
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error).toMatchObject({
      httpStatus: 200,
      code: 10014,
      msg: 'app secret invalid',
      request: { method: 'POST', path: TOKEN_PATH },
    });
    expect(fake.to(attachmentPath())).toHaveLength(0);
  });

  it('tries the token endpoint again on the next call after a failed fetch', async () => {
    const refused = Response.json({ code: FeishuErrorCode.AuthAppSecretInvalid, msg: 'app secret invalid' });
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, refused, tenantToken('t-1'))
      .on('GET', attachmentPath(), getOk());
    const client = clientOn(fake, { auth: app });

    await expect(client.attachments.get(ATTACHMENT_GUID)).rejects.toMatchObject({ code: 10014 });
    await expect(client.attachments.get(ATTACHMENT_GUID)).resolves.toMatchObject({ guid: ATTACHMENT_GUID });
    expect(bearerOf(fake)).toEqual(['Bearer t-1']);
  });

  it('lets one caller abort while waiting for the shared token fetch without failing the others', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, async () => {
        await gate;
        return tenantToken('t-1');
      })
      .on('GET', attachmentPath(), getOk());
    const client = clientOn(fake, { auth: app });
    const controller = new AbortController();
    const reason = new Error('this caller left');

    const leaving = client.attachments.get(ATTACHMENT_GUID, { signal: controller.signal });
    const staying = client.attachments.get(ATTACHMENT_GUID);
    controller.abort(reason);
    await expect(leaving).rejects.toBe(reason);
    release();

    await expect(staying).resolves.toMatchObject({ guid: ATTACHMENT_GUID });
    expect(fake.to(TOKEN_PATH)).toHaveLength(1);
    expect(bearerOf(fake)).toEqual(['Bearer t-1']);
  });
});

describe('fixed tokens and providers', () => {
  it('never tries to refresh a fixed tenantAccessToken that Feishu rejects', async () => {
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), tokenRejected(), getOk());

    const error = await clientOn(fake, { auth: { tenantAccessToken: 't-fixed' } })
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: FeishuErrorCode.InvalidTenantAccessToken });
    expect(bearerOf(fake)).toEqual(['Bearer t-fixed']);
    expect(fake.to(TOKEN_PATH)).toHaveLength(0);
  });

  it('sends a per-call userAccessToken instead of the tenant token, fetching no tenant token and never refreshing it', async () => {
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, tenantToken('t-1'))
      .on(
        'GET',
        attachmentPath(),
        getOk(),
        fail(400, FeishuErrorCode.InvalidUserAccessToken, 'Invalid access token'),
        getOk(),
      );
    const client = clientOn(fake, { auth: app });

    await client.attachments.get(ATTACHMENT_GUID, { userAccessToken: 'u-alice' });
    const error = await client.attachments
      .get(ATTACHMENT_GUID, { userAccessToken: 'u-alice' })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'FeishuApiError', code: FeishuErrorCode.InvalidUserAccessToken });
    expect(bearerOf(fake)).toEqual(['Bearer u-alice', 'Bearer u-alice']);
    expect(fake.to(TOKEN_PATH)).toHaveLength(0);
  });

  it('does not refresh a per-call user token that Feishu says has expired', async () => {
    const fake = new FakeFeishuFetch().on(
      'GET',
      attachmentPath(),
      fail(400, FeishuErrorCode.UserAccessTokenExpired, 'expired'),
      getOk(),
    );
    const getToken = jest.fn(() => 't-provided');

    const error = await clientOn(fake, { auth: { getToken } })
      .attachments.get(ATTACHMENT_GUID, { userAccessToken: 'u-old' })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: FeishuErrorCode.UserAccessTokenExpired });
    expect(getToken).not.toHaveBeenCalled();
    expect(fake.to(attachmentPath())).toHaveLength(1);
  });

  it('asks the getToken provider again with forceRefresh: true after Feishu rejects its token', async () => {
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), tokenRejected(), getOk());
    const getToken = jest.fn(async ({ forceRefresh }: { forceRefresh: boolean }) =>
      forceRefresh ? 't-renewed' : 't-cached',
    );

    await clientOn(fake, { auth: { getToken } }).attachments.get(ATTACHMENT_GUID);

    expect(getToken.mock.calls.map(([context]) => context.forceRefresh)).toEqual([false, true]);
    expect(bearerOf(fake)).toEqual(['Bearer t-cached', 'Bearer t-renewed']);
  });

  it('passes the call signal to the getToken provider', async () => {
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), getOk());
    const getToken = jest.fn(() => 't-x');
    const { signal } = new AbortController();

    await clientOn(fake, { auth: { getToken } }).attachments.get(ATTACHMENT_GUID, { signal });

    expect(getToken).toHaveBeenCalledWith({ forceRefresh: false, signal });
  });
});
