import { FeishuPath } from '@feishu-attachments/api-client/wire';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const NOT_JSON = '{"app_id": "cli_mock_app", <oops>';
const OVER_1_MB = JSON.stringify({ app_id: 'cli_mock_app', padding: 'x'.repeat(1024 * 1024 + 1) });

describe('request bodies', () => {
  let feishu: MockFeishuFixture;
  let tenantToken: string;

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });
  afterAll(() => feishu?.close());
  beforeEach(async () => {
    await feishu.reset();
    tenantToken = await feishu.tenantToken();
  });

  /** A raw body as the caller typed it, not re-encoded. */
  const post = async (path: string, body: string, token?: string) => {
    const response = await fetch(`${feishu.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) };
  };

  describe('auth v3 token endpoints answer any unusable body with HTTP 200 {code:10003}', () => {
    it.each([FeishuPath.TenantAccessToken, FeishuPath.AppAccessToken])('%s', async (path) => {
      const bodies = [NOT_JSON, OVER_1_MB, 'null', '[1,2]', '"text"', '{}', '{"app_id":1,"app_secret":true}'];

      for (const body of bodies) {
        const result = await post(path, body);

        expect([body.slice(0, 40), result.status, result.body]).toEqual([
          body.slice(0, 40),
          200,
          { code: 10003, msg: 'invalid param', data: {} },
        ]);
      }
    });
  });

  describe('the OAuth v2 token endpoint answers in its OAuth shape', () => {
    it.each([
      ['not JSON', NOT_JSON],
      ['over 1 MB', OVER_1_MB],
      ['an array', '[]'],
      ['a grant_type that is not a string', '{"grant_type":5}'],
      ['a client_id that is not a string', '{"grant_type":"authorization_code","client_id":["cli"]}'],
    ])('400/20063 invalid_request for %s', async (_label, body) => {
      const result = await post(FeishuPath.OAuthToken, body);

      expect(result.status).toBe(400);
      expect(result.body).toEqual({
        code: 20063,
        error: 'invalid_request',
        error_description: 'The request is malformed.',
      });
    });

    it.each([
      ['null', 'null'],
      ['{}', '{}'],
    ])('400/20001 naming grant_type for %s, a body with nothing in it', async (_label, body) => {
      const result = await post(FeishuPath.OAuthToken, body);

      expect(result.status).toBe(400);
      expect(result.body).toEqual({
        code: 20001,
        error: 'invalid_request',
        error_description: 'The parameter grant_type is missing.',
      });
    });
  });

  describe('the legacy oidc routes answer OAuth codes in the v1 envelope, never a Task code', () => {
    it.each([
      [FeishuPath.OidcAccessToken, NOT_JSON, 20063],
      [FeishuPath.OidcAccessToken, '{"grant_type":true}', 20063],
      [FeishuPath.OidcAccessToken, '{}', 20001],
      [FeishuPath.OidcAccessToken, 'null', 20001],
      [FeishuPath.OidcRefreshAccessToken, NOT_JSON, 20063],
      [FeishuPath.OidcRefreshAccessToken, '{"grant_type":"authorization_code"}', 20036],
    ])('%s with %s → 400/%d', async (path, body, code) => {
      const result = await post(path, body, tenantToken);

      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({
        code,
        msg: expect.any(String),
        error: { log_id: expect.any(String) },
      });
    });
  });

  describe('other routes', () => {
    it('answer malformed JSON with 400/1470400 and a fixed message that quotes nothing of the body or the parser', async () => {
      const result = await post(FeishuPath.Tasks, '{"summary": "<b>bold</b>", oops}', tenantToken);

      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({
        code: 1470400,
        msg: 'Invalid request body: the body is not valid JSON.',
      });
      expect(result.text).not.toMatch(/oops|<b>|position|Unexpected|token/i);
    });

    it('answer a JSON body over 1 MB with 400/1470400 saying so', async () => {
      const result = await post(
        FeishuPath.Tasks,
        JSON.stringify({ summary: 'x'.repeat(1024 * 1024 + 1) }),
        tenantToken,
      );

      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({
        code: 1470400,
        msg: 'Invalid request body: the body is larger than 1MB.',
      });
    });

    it('take null as a body that is valid JSON but no task: 400/1470400 asking for an object', async () => {
      const result = await post(FeishuPath.Tasks, 'null', tenantToken);

      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ code: 1470400, msg: 'The request body must be a JSON object.' });
    });
  });
});

describe('Authorization header', () => {
  let feishu: MockFeishuFixture;
  let tenantToken: string;

  beforeAll(async () => {
    feishu = await createMockFeishu();
    tenantToken = await feishu.tenantToken();
  });
  afterAll(() => feishu?.close());

  const getTask = (authorization: string) =>
    feishu.call('GET', FeishuPath.Task.replace(':task_guid', '00000000-0000-4000-8000-000000000000'), {
      headers: { authorization },
    });

  it('refuses "Bearer <token> <more>" as an invalid token (400/99991663), not a missing one', async () => {
    const result = await getTask(`Bearer ${tenantToken} extra`);

    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      code: 99991663,
      msg: 'Invalid access token for authorization. Please make a request with token attached.',
    });
  });

  it.each([
    ['no scheme', () => tenantToken],
    ['another scheme', () => `Basic ${tenantToken}`],
    ['the scheme alone', () => 'Bearer'],
    ['the scheme and blanks', () => 'Bearer    '],
  ])('counts %s as no token (400/99991661)', async (_label, header) => {
    const result = await getTask(header());

    expect(result.status).toBe(400);
    expect(result.body.code).toBe(99991661);
  });

  it('accepts the token itself, with any blanks around it (the task is unknown: 404/1470404)', async () => {
    const result = await getTask(`Bearer   ${tenantToken}  `);

    expect(result.status).toBe(404);
    expect(result.body.code).toBe(1470404);
  });
});

describe('downloads', () => {
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });
  afterAll(() => feishu?.close());

  it.each([
    ['page.html', 'text/html', '<script>alert(1)</script>'],
    ['image.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
  ])(
    'serve %s (%s) with X-Content-Type-Options: nosniff, on GET and HEAD',
    async (name, contentType, content) => {
      const token = await feishu.tenantToken();
      const seeded = await feishu.call('POST', '/__mock/tasks', {
        json: { summary: 'active content', attachments: [{ name, content, content_type: contentType }] },
      });
      const got = await feishu.call(
        'GET',
        FeishuPath.Attachment.replace(':attachment_guid', seeded.body.attachments[0].guid),
        { token },
      );
      const url = got.body.data.attachment.url as string;

      const head = await fetch(url, { method: 'HEAD' });
      const download = await fetch(url);

      for (const response of [head, download]) {
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe(contentType);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }
      expect(await download.text()).toBe(content);
    },
  );
});
