import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

describe('the control token (--control-token)', () => {
  let feishu: MockFeishuFixture;
  const controlToken = 'ct-4f9a1e';

  beforeAll(async () => {
    feishu = await createMockFeishu({ controlToken });
  });

  afterAll(async () => {
    await feishu?.close();
  });

  it('refuses every /__mock route without it, with 401 and Feishu’s error shape', async () => {
    for (const [method, path] of [
      ['GET', '/__mock/health'],
      ['GET', '/__mock/state'],
      ['POST', '/__mock/reset'],
      ['GET', '/__mock/requests/1'],
    ]) {
      const refused = await feishu.call(method, path);
      expect({ path, status: refused.status, code: refused.body.code }).toEqual({
        path,
        status: 401,
        code: 99991661,
      });
      expect(refused.body.msg).toMatch(/Authorization: Bearer <control token>/);
      expect(refused.body.error.log_id).toBe(refused.headers.get('x-tt-logid'));
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('refuses a wrong token and admits the right one', async () => {
    const wrong = await feishu.call('GET', '/__mock/clock', { token: 'ct-4f9a1f' });
    expect(wrong.status).toBe(401);
    const right = await feishu.call('GET', '/__mock/clock', { token: controlToken });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ now: expect.any(Number), frozen: false });
  });

  it('leaves the emulated Feishu surface alone', async () => {
    expect(await feishu.tenantToken()).toEqual(expect.any(String));
  });

  it('answers the inspector page without it with a 401 page that says how to open it', async () => {
    const refused = await feishu.call('GET', '/__mock/ui/');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.text).toContain('/__mock/ui/?token=');
    expect(refused.text).not.toContain(controlToken);
  });

  it('takes ?token= on the inspector once: sets an HttpOnly cookie for /__mock and drops the token from the address', async () => {
    const opened = await fetch(`${feishu.url}/__mock/ui/?token=${controlToken}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/__mock/ui/');
    const cookie = opened.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^mock_feishu_control=ct-4f9a1e; Path=\/__mock; HttpOnly; SameSite=Strict$/);

    const withCookie = await feishu.call('GET', '/__mock/clock', {
      headers: { cookie: cookie.split(';')[0] },
    });
    expect(withCookie.status).toBe(200);

    const wrongQuery = await fetch(`${feishu.url}/__mock/ui/?token=nope`, { redirect: 'manual' });
    expect(wrongQuery.status).toBe(401);
  });
});

describe('without a control token', () => {
  it('keeps the control plane open, as before', async () => {
    const feishu = await createMockFeishu();
    try {
      expect((await feishu.call('GET', '/__mock/health')).status).toBe(200);
    } finally {
      await feishu.close();
    }
  });
});
