import { ADMIN_TOKEN, OTHER_ADMIN_TOKEN, startHarness, type Harness } from './support/admin-api.harness.js';

const SOME_GUID = '00000000-0000-4000-8000-000000000006';

/** Every route the service has, as `METHOD /openapi/path`. */
const ROUTES = [
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'POST /tasks',
  'GET /tasks/{taskGuid}',
  'PATCH /tasks/{taskGuid}',
  'POST /tasks/{taskGuid}/complete',
  'POST /tasks/{taskGuid}/reopen',
  'POST /tasks/{taskGuid}/members',
  'DELETE /tasks/{taskGuid}/members/{memberId}',
  'GET /tasks/{taskGuid}/attachments',
  'POST /tasks/{taskGuid}/attachments',
  'DELETE /tasks/{taskGuid}/attachments',
  'GET /attachments/{guid}',
  'GET /attachments/{guid}/content',
  'DELETE /attachments/{guid}',
];
const PROTECTED = ROUTES.filter((route) => !route.startsWith('GET /health'));
const concrete = (route: string) => {
  const [method, path] = route.split(' ');
  return [
    method,
    path.replace('{taskGuid}', SOME_GUID).replace('{guid}', SOME_GUID).replace('{memberId}', 'ou_someone'),
  ] as const;
};

describe('admin token', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  it.each(PROTECTED)('answers %s without a token with 401 JSON and no Feishu call', async (route) => {
    const [method, path] = concrete(route);
    const before = (await h.journal()).length;

    const result = await h.call(method, path, { token: null });

    expect(result.status).toBe(401);
    expect(result.body).toEqual({
      error: { status: 401, message: 'Missing admin token: send "Authorization: Bearer <admin token>".' },
    });
    expect(result.headers.get('www-authenticate')).toBe('Bearer realm="admin-api"');
    expect(await h.journal()).toHaveLength(before);
  });

  it.each(PROTECTED)('answers %s with a wrong token with 401 JSON', async (route) => {
    const [method, path] = concrete(route);

    const result = await h.call(method, path, { token: 'wrong-admin-token-0000000000' });

    expect(result.status).toBe(401);
    expect(result.body).toEqual({ error: { status: 401, message: 'The admin token is not valid.' } });
  });

  it.each([
    ['a prefix of the right token', ADMIN_TOKEN.slice(0, -1)],
    ['the right token with a character more', `${ADMIN_TOKEN}x`],
    ['the right token in another case', ADMIN_TOKEN.toUpperCase()],
  ])('refuses %s', async (_label, token) => {
    expect((await h.call('GET', `/tasks/${SOME_GUID}`, { token })).status).toBe(401);
  });

  it.each([
    ['Basic credentials', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`],
    ['a bare token without "Bearer"', ADMIN_TOKEN],
    ['"Bearer" and nothing else', 'Bearer '],
  ])('refuses an Authorization header with %s, saying what shape it needs', async (_label, authorization) => {
    const result = await h.call('GET', `/tasks/${SOME_GUID}`, { token: null, headers: { authorization } });

    expect(result.status).toBe(401);
    expect(result.body.error.message).toBe('The Authorization header must be "Bearer <admin token>".');
  });

  it('admits each of the configured tokens', async () => {
    for (const token of [ADMIN_TOKEN, OTHER_ADMIN_TOKEN]) {
      const result = await h.call('POST', '/tasks', { token, json: { summary: 'admitted' } });
      expect(result.status).toBe(201);
    }
  });

  it('accepts the scheme in any case, as RFC 7235 has it', async () => {
    const result = await h.call('GET', `/tasks/${SOME_GUID}`, {
      token: null,
      headers: { authorization: `bearer ${ADMIN_TOKEN}` },
    });

    expect(result.status).toBe(404);
  });

  it('leaves GET /health open and answers 200 with the state of Feishu', async () => {
    const result = await h.call('GET', '/health', { token: null });

    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      status: 'ok',
      feishu: { reachable: true, authenticated: true, latencyMs: expect.any(Number) },
    });
    expect(result.body.feishu.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('leaves the Swagger UI at /docs open', async () => {
    const response = await fetch(`${h.api.url}/docs`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('swagger-ui');
  });

  describe('/docs-json', () => {
    let document: any;

    beforeAll(async () => {
      const response = await fetch(`${h.api.url}/docs-json`);
      expect(response.status).toBe(200);
      document = await response.json();
    });

    const operation = (route: string) => {
      const [method, path] = route.split(' ');
      return document.paths[path]?.[method.toLowerCase()];
    };

    it('is an OpenAPI 3 document open without a token, listing exactly the routes the service has', () => {
      expect(document.openapi).toMatch(/^3\./);
      const listed = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
        ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(listed.sort()).toEqual([...ROUTES].sort());
    });

    it('declares bearer auth and requires it on every route but /health', () => {
      expect(document.components.securitySchemes['admin-token']).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      );
      for (const route of PROTECTED) expect(operation(route).security).toEqual([{ 'admin-token': [] }]);
      for (const route of ['GET /health', 'GET /health/live', 'GET /health/ready'])
        expect(operation(route).security).toBeUndefined();
    });

    it('documents the path and query parameters and the user-token header', () => {
      const names = (route: string) =>
        (operation(route).parameters as { name: string; in: string }[])
          .map((p) => `${p.in}:${p.name}`)
          .sort();

      expect(names('GET /tasks/{taskGuid}/attachments')).toEqual(
        ['header:X-Feishu-User-Access-Token', 'path:taskGuid', 'query:cursor', 'query:limit'].sort(),
      );
      expect(names('GET /attachments/{guid}/content')).toEqual(
        ['header:X-Feishu-User-Access-Token', 'path:guid'].sort(),
      );
      expect(names('DELETE /tasks/{taskGuid}/members/{memberId}')).toEqual(
        ['header:X-Feishu-User-Access-Token', 'path:memberId', 'path:taskGuid', 'query:role'].sort(),
      );
      const limit = operation('GET /tasks/{taskGuid}/attachments').parameters.find(
        (p: { name: string }) => p.name === 'limit',
      );
      expect(limit.schema).toEqual(expect.objectContaining({ type: 'integer', minimum: 1, maximum: 100 }));
    });

    it('documents the request bodies: a JSON task and a multipart upload of files', () => {
      const createBody = operation('POST /tasks').requestBody.content['application/json'].schema;
      const createSchema = document.components.schemas[createBody.$ref.split('/').pop()];
      expect(createSchema.required).toEqual(['summary']);
      expect(Object.keys(createSchema.properties).sort()).toEqual(['description', 'summary']);

      const schemaOf = (route: string) =>
        document.components.schemas[
          operation(route).requestBody.content['application/json'].schema.$ref.split('/').pop()
        ];
      const patchSchema = schemaOf('PATCH /tasks/{taskGuid}');
      expect(patchSchema.required ?? []).toEqual([]);
      expect(Object.keys(patchSchema.properties).sort()).toEqual(['description', 'due', 'summary']);
      const membersSchema = schemaOf('POST /tasks/{taskGuid}/members');
      expect(membersSchema.required).toEqual(['members']);
      expect(membersSchema.properties.members).toEqual(
        expect.objectContaining({ type: 'array', minItems: 1, maxItems: 50 }),
      );

      const uploadBody = operation('POST /tasks/{taskGuid}/attachments').requestBody.content[
        'multipart/form-data'
      ];
      const uploadSchema = document.components.schemas[uploadBody.schema.$ref.split('/').pop()];
      expect(uploadSchema.properties.file).toEqual(
        expect.objectContaining({ type: 'array', items: { type: 'string', format: 'binary' } }),
      );
    });

    it('documents the success status of each route and the error shape', () => {
      const statuses = Object.fromEntries(
        ROUTES.map((route) => [
          route,
          Object.keys(operation(route).responses).filter((s) => s.startsWith('2')),
        ]),
      );
      expect(statuses).toEqual({
        'GET /health': ['200'],
        'GET /health/live': ['200'],
        'GET /health/ready': ['200'],
        'POST /tasks': ['201'],
        'GET /tasks/{taskGuid}': ['200'],
        'PATCH /tasks/{taskGuid}': ['200'],
        'POST /tasks/{taskGuid}/complete': ['200'],
        'POST /tasks/{taskGuid}/reopen': ['200'],
        'POST /tasks/{taskGuid}/members': ['200'],
        'DELETE /tasks/{taskGuid}/members/{memberId}': ['200'],
        'GET /tasks/{taskGuid}/attachments': ['200'],
        'POST /tasks/{taskGuid}/attachments': ['201'],
        'DELETE /tasks/{taskGuid}/attachments': ['200'],
        'GET /attachments/{guid}': ['200'],
        'GET /attachments/{guid}/content': ['200'],
        'DELETE /attachments/{guid}': ['204'],
      });
      for (const route of PROTECTED) {
        for (const status of ['401', '429', '502', '504']) {
          expect(operation(route).responses[status].content['application/json'].schema.$ref).toBe(
            '#/components/schemas/ErrorBodyDto',
          );
        }
      }
      expect(operation('POST /tasks/{taskGuid}/attachments').responses['413']).toBeDefined();
      expect(operation('POST /tasks/{taskGuid}/complete').responses['409']).toBeDefined();
      expect(
        operation('GET /attachments/{guid}/content').responses['200'].content['application/octet-stream'],
      ).toBeDefined();
      expect(document.components.schemas.ErrorBodyDto.required).toEqual(['error']);
    });
  });
});
