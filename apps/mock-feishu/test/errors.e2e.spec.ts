import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

// Feishu log ids: yyyyMMddHHmmss and 20 upper-case hex digits (reference §9.4).
const LOG_ID = /^\d{14}[0-9A-F]{20}$/;
// What a leaked stack trace looks like: a "stack" field or V8 frames such as "at fn (file.js:1:2)".
const STACK_TRACE = /"stack"|\n\s+at |\bat .*\(.*:\d+:\d+\)|\.ts:\d+|\.js:\d+/;

describe('error envelope and headers', () => {
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });

  afterAll(async () => {
    await feishu.close();
  });

  beforeEach(async () => {
    await feishu.reset();
  });

  const postRaw = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${feishu.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  describe('unknown routes', () => {
    it.each([
      ['an unknown path', 'GET', '/open-apis/task/v2/nowhere'],
      ['a path outside the API', 'GET', '/'],
      ['a wrong method on a known path', 'PUT', '/open-apis/task/v2/tasks'],
      ['PATCH on the upload path', 'PATCH', '/open-apis/task/v2/attachments/upload'],
    ])('answers %s with 404 text/plain "404 page not found"', async (_label, method, path) => {
      const result = await feishu.call(method, path);

      expect(result.status).toBe(404);
      expect(result.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(result.text).toBe('404 page not found');
    });

    it('answers an unknown route with 404 even with a valid token', async () => {
      const token = await feishu.tenantToken();

      const result = await feishu.call('DELETE', '/open-apis/task/v2/tasks', { token });

      expect(result.status).toBe(404);
      expect(result.text).toBe('404 page not found');
    });
  });

  it('journals an unknown route with its 404 and no Feishu code, since the text body has none', async () => {
    await feishu.call('GET', '/open-apis/task/v2/nowhere');

    const [entry] = (
      await feishu.call('GET', '/__mock/requests', { query: { path: '/open-apis/task/v2/nowhere' } })
    ).body.items;
    expect(entry.status).toBe(404);
    expect(entry).not.toHaveProperty('code');
  });

  describe('malformed guids', () => {
    it.each([
      ['GET', '/open-apis/task/v2/tasks/not-a-guid', "'task_guid'"],
      ['DELETE', '/open-apis/task/v2/tasks/not-a-guid', "'task_guid'"],
      ['GET', '/open-apis/task/v2/attachments/not-a-guid', "'attachment_guid'"],
      ['DELETE', `/open-apis/task/v2/attachments/${'a'.repeat(101)}`, "'attachment_guid'"],
    ])(
      'answers %s %s with 400/1470400 naming %s, as Feishu does for an invalid GUID',
      async (method, path, named) => {
        const token = await feishu.tenantToken();

        const result = await feishu.call(method, path, { token });

        expect(result.status).toBe(400);
        expect(result.body.code).toBe(1470400);
        expect(result.body.msg).toContain(named);
      },
    );
  });

  it('sends no ETag, which Feishu is not known to send', async () => {
    const token = await feishu.tenantToken();

    const result = await feishu.call('POST', '/open-apis/task/v2/tasks', {
      token,
      json: { summary: 'no etag' },
    });

    expect(result.status).toBe(200);
    expect(result.headers.has('etag')).toBe(false);
  });

  describe('X-Tt-Logid', () => {
    it('is on a success response', async () => {
      const token = await feishu.tenantToken();
      const result = await feishu.call('POST', '/open-apis/task/v2/tasks', {
        token,
        json: { summary: 'logged' },
      });

      expect(result.status).toBe(200);
      expect(result.headers.get('x-tt-logid')).toMatch(LOG_ID);
    });

    it('is on an error response and equals error.log_id in the body', async () => {
      const result = await feishu.call('GET', '/open-apis/task/v2/tasks/some-task');

      expect(result.status).toBe(400);
      expect(result.headers.get('x-tt-logid')).toMatch(LOG_ID);
      expect(result.body.error.log_id).toBe(result.headers.get('x-tt-logid'));
    });

    it('is on a 404 for an unknown route', async () => {
      const result = await feishu.call('GET', '/open-apis/nowhere');

      expect(result.headers.get('x-tt-logid')).toMatch(LOG_ID);
    });

    it('is on the token endpoint answer', async () => {
      const result = await feishu.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
        json: { app_id: feishu.app.appId, app_secret: feishu.app.appSecret },
      });

      expect(result.headers.get('x-tt-logid')).toMatch(LOG_ID);
    });

    it('is on a download and on a refused download', async () => {
      const token = await feishu.tenantToken();
      const seeded = await feishu.call('POST', '/__mock/tasks', {
        json: { summary: 'with file', attachments: [{ name: 'a.txt', content: 'bytes' }] },
      });
      const got = await feishu.call(
        'GET',
        `/open-apis/task/v2/attachments/${seeded.body.attachments[0].guid}`,
        { token },
      );

      const downloaded = await fetch(got.body.data.attachment.url);
      const refused = await fetch(`${feishu.url}/download/authcode/?code=not-a-code`);

      expect(downloaded.status).toBe(200);
      expect(downloaded.headers.get('x-tt-logid')).toMatch(LOG_ID);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.headers.get('x-tt-logid')).toMatch(LOG_ID);
    });

    it('is on control-plane answers, successful or not', async () => {
      const health = await feishu.call('GET', '/__mock/health');
      const refused = await feishu.call('POST', '/__mock/clock', { json: { advanceMs: -1 } });

      expect(health.headers.get('x-tt-logid')).toMatch(LOG_ID);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('x-tt-logid')).toMatch(LOG_ID);
    });

    it('differs between two calls', async () => {
      const first = await feishu.call('GET', '/__mock/health');
      const second = await feishu.call('GET', '/__mock/health');

      expect(first.headers.get('x-tt-logid')).not.toBe(second.headers.get('x-tt-logid'));
    });
  });

  describe('malformed bodies', () => {
    it("answers malformed JSON to the tenant-token endpoint in the auth API's shape (HTTP 200, 10003) and no stack", async () => {
      const response = await postRaw(
        '/open-apis/auth/v3/tenant_access_token/internal',
        '{"app_id": "cli_mock_app",',
      );
      const text = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual({ code: 10003, msg: 'invalid param', data: {} });
      expect(text).not.toMatch(STACK_TRACE);
      expect(response.headers.get('x-tt-logid')).toMatch(LOG_ID);
    });

    it('answers malformed JSON to task create with 400/1470400 and no stack', async () => {
      const token = await feishu.tenantToken();

      const response = await postRaw('/open-apis/task/v2/tasks', '{summary: oops}', {
        authorization: `Bearer ${token}`,
      });
      const text = await response.text();

      expect(response.status).toBe(400);
      const body = JSON.parse(text);
      expect(body).toMatchObject({ code: 1470400, msg: expect.stringMatching(/body|JSON/i) });
      expect(body.error.log_id).toBe(response.headers.get('x-tt-logid'));
      expect(text).not.toMatch(STACK_TRACE);
    });

    it('answers a JSON body over the size limit with a 4xx Feishu-shaped body and no stack', async () => {
      const token = await feishu.tenantToken();
      const huge = JSON.stringify({ summary: 'x'.repeat(2 * 1024 * 1024) });

      const response = await postRaw('/open-apis/task/v2/tasks', huge, { authorization: `Bearer ${token}` });
      const text = await response.text();

      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(JSON.parse(text)).toMatchObject({ code: expect.any(Number), msg: expect.any(String) });
      expect(text).not.toMatch(STACK_TRACE);
    });

    it('records a malformed call in the journal with its status', async () => {
      await postRaw('/open-apis/task/v2/tasks', '{');

      const entries = (await feishu.call('GET', '/__mock/requests')).body.items;
      expect(entries).toEqual([
        expect.objectContaining({ method: 'POST', path: '/open-apis/task/v2/tasks', status: 400 }),
      ]);
    });
  });
});
