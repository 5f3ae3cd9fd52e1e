import * as lark from '@larksuiteoapi/node-sdk';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const ACCESS = '/open-apis/authen/v1/oidc/access_token';
const REFRESH = '/open-apis/authen/v1/oidc/refresh_access_token';

/** The legacy authen v1 routes behind the official node-sdk's `client.userAccessToken`. */
describe('legacy oidc user-token routes', () => {
  let feishu: MockFeishuFixture;
  let openId: string;
  let tenantToken: string;

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });

  afterAll(async () => {
    await feishu.close();
  });

  beforeEach(async () => {
    await feishu.reset();
    openId = (await feishu.createUser('Legacy')).open_id;
    tenantToken = await feishu.tenantToken();
  });

  const newCode = async () =>
    (await feishu.call('POST', '/__mock/authorization-codes', { json: { open_id: openId } })).body
      .code as string;

  it('exchanges a code for a user token wrapped in data, which then works on the Task APIs', async () => {
    const result = await feishu.call('POST', ACCESS, {
      token: tenantToken,
      json: { grant_type: 'authorization_code', code: await newCode() },
    });

    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      code: 0,
      msg: 'success',
      data: {
        access_token: expect.stringMatching(/^(u-|eyJ)/),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 7200,
        refresh_expires_in: 604800,
        scope: expect.any(String),
      },
    });
    const created = await feishu.call('POST', '/open-apis/task/v2/tasks', {
      token: result.body.data.access_token,
      json: { summary: 'by a legacy user token' },
    });
    expect(created.body.data.task.creator).toMatchObject({ id: openId, type: 'user' });
  });

  it('refreshes once: the refresh token is single use, the second try gets 400/20073', async () => {
    const first = await feishu.call('POST', ACCESS, {
      token: tenantToken,
      json: { grant_type: 'authorization_code', code: await newCode() },
    });
    const refresh = (refreshToken: string) =>
      feishu.call('POST', REFRESH, {
        token: tenantToken,
        json: { grant_type: 'refresh_token', refresh_token: refreshToken },
      });

    const refreshed = await refresh(first.body.data.refresh_token);
    const again = await refresh(first.body.data.refresh_token);

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.data.access_token).not.toBe(first.body.data.access_token);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 20073, error: { log_id: expect.any(String) } });
  });

  it('refuses a used code with 400/20065, a wrong grant_type with 400/20036, and no token with 99991661', async () => {
    const code = await newCode();
    const exchange = (body: object, token: string | undefined) =>
      feishu.call('POST', ACCESS, { token, json: body });

    await exchange({ grant_type: 'authorization_code', code }, tenantToken);
    const used = await exchange({ grant_type: 'authorization_code', code }, tenantToken);
    const wrongGrant = await exchange({ grant_type: 'refresh_token', code }, tenantToken);
    const anonymous = await exchange({ grant_type: 'authorization_code', code }, undefined);

    expect([used.status, used.body.code]).toEqual([400, 20065]);
    expect([wrongGrant.status, wrongGrant.body.code]).toEqual([400, 20036]);
    expect(wrongGrant.body.msg).toBe(
      'The grant_type refresh_token is not supported here: this route takes authorization_code.',
    );
    expect([anonymous.status, anonymous.body.code]).toEqual([400, 99991661]);
  });

  it("serves the official SDK's client.userAccessToken: initWithCode, then get", async () => {
    const client = new lark.Client({
      appId: feishu.app.appId,
      appSecret: feishu.app.appSecret,
      domain: feishu.url,
      loggerLevel: lark.LoggerLevel.error,
    });

    const initialised = await client.userAccessToken.initWithCode({ ada: await newCode() });
    const token = await client.userAccessToken.get('ada');

    expect(initialised.ada?.token).toBe(token);
    const created = await client.task.v2.task.create(
      { data: { summary: 'via the SDK user token' } },
      lark.withUserAccessToken(token as string),
    );
    expect(created.data?.task?.creator).toMatchObject({ id: openId, type: 'user' });
  });
});
