import { controlPlaneRoutes } from './support/control-plane-routes.js';
import { createMockFeishu, testStore, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

interface Prepared {
  path?: string;
  json?: unknown;
  query?: Record<string, string>;
}

/** Builds a working request for a route; `control` calls the control plane with the token, if any. */
type Prepare = (
  feishu: MockFeishuFixture,
  control: (method: string, path: string, json?: unknown) => Promise<{ status: number; body: any }>,
) => Promise<Prepared>;

let serial = 0;
const none: Prepare = async () => ({});
const seededAttachment = async (feishu: MockFeishuFixture) => {
  const seeded = await feishu.seeder.createTaskWithAttachments({
    summary: 'access',
    attachments: [{ name: 'a.txt', content: 'a' }],
  });
  return seeded.attachments[0].guid;
};

/** One working request per `/__mock` route; the test checks this covers every route of the controllers. */
const requests: Record<string, Prepare> = {
  'GET /__mock/health': none,
  'GET /__mock/openapi.yaml': none,
  'POST /__mock/reset': async () => ({ json: { keepTokens: true } }),
  'GET /__mock/clock': none,
  'POST /__mock/clock': async () => ({ json: { advanceMs: 0 } }),
  'POST /__mock/apps': async () => ({ json: { app_id: `cli_access_${++serial}`, app_secret: 's' } }),
  'POST /__mock/users': async () => ({ json: { name: 'Access' } }),
  'POST /__mock/user-access-tokens': async (feishu) => ({
    json: { open_id: (await feishu.seeder.createUser('Token')).openId },
  }),
  'POST /__mock/authorization-codes': async (feishu) => ({
    json: { open_id: (await feishu.seeder.createUser('Code')).openId },
  }),
  'POST /__mock/tasks': async () => ({ json: { summary: 'seeded' } }),
  'POST /__mock/faults': async () => ({ json: { operation: 'task.get', drop: true } }),
  'GET /__mock/faults': none,
  'DELETE /__mock/faults': none,
  'GET /__mock/requests': none,
  'DELETE /__mock/requests': none,
  'GET /__mock/download-urls': none,
  'GET /__mock/snapshot': none,
  'PUT /__mock/rate-limits': async () => ({ json: { enabled: true } }),
  'GET /__mock/rate-limits': none,
  'GET /__mock/state': none,
  'GET /__mock/operations': none,
  'DELETE /__mock/faults/{id}': async (_feishu, control) => {
    const added = await control('POST', '/__mock/faults', { operation: 'task.get', drop: true });
    return { path: `/__mock/faults/${added.body.id ?? 1}` };
  },
  'GET /__mock/requests/{id}': async (feishu, control) => {
    await feishu.call('GET', '/open-apis/task/v2/tasks/00000000-0000-0000-0000-000000000000');
    const listed = await control('GET', '/__mock/requests?limit=1');
    return { path: `/__mock/requests/${listed.body.items?.[0]?.id ?? 1}` };
  },
  'POST /__mock/attachments/{attachment_guid}/download-urls': async (feishu) => ({
    path: `/__mock/attachments/${await seededAttachment(feishu)}/download-urls`,
  }),
  'DELETE /__mock/attachments/{attachment_guid}': async (feishu) => ({
    path: `/__mock/attachments/${await seededAttachment(feishu)}`,
  }),
  'POST /__mock/sandboxes': async () => ({ json: { name: 'access' } }),
  'GET /__mock/sandboxes': none,
  'GET /__mock/sandboxes/{id}': async (feishu) => ({
    path: `/__mock/sandboxes/${(await feishu.sandboxes.create()).id}`,
  }),
  'DELETE /__mock/sandboxes/{id}': async (feishu) => ({
    path: `/__mock/sandboxes/${(await feishu.sandboxes.create()).id}`,
  }),
};

// A snapshot needs the durable store; on the in-memory run it is a clear 400 either way.
const expectedWithAccess = (route: string) =>
  route === 'GET /__mock/snapshot' && testStore === 'memory' ? 400 : expect.any(Number);

const table = Object.entries(requests).map(([route, prepare]) => {
  const [method, pathTemplate] = route.split(' ');
  return { route, method, pathTemplate, prepare };
});

async function send(
  feishu: MockFeishuFixture,
  method: string,
  prepared: Prepared & { path: string },
  token?: string,
) {
  return feishu.call(method, prepared.path, { json: prepared.json, query: prepared.query, token });
}

describe('the table of control-plane routes', () => {
  it('names every route of the /__mock controllers, and only those', () => {
    expect(Object.keys(requests).sort()).toEqual(controlPlaneRoutes().sort());
    expect(table.length).toBe(29);
  });
});

describe('an emulator bound beyond loopback (0.0.0.0) with no token given', () => {
  let feishu: MockFeishuFixture;
  let token: string;
  const control = (method: string, path: string, json?: unknown) =>
    feishu.call(method, path, { json, token });

  beforeAll(async () => {
    feishu = await createMockFeishu({ host: '0.0.0.0' });
    token = feishu.controlToken as string;
  });
  afterAll(() => feishu?.close());

  it('generated a random control token and exposes it, and reports the address it bound', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(feishu.boundAddress).toEqual({ address: '0.0.0.0', family: 'IPv4', port: feishu.port });
    // From this machine it is reached through loopback (under PRISM_REFEREE=1, the referee's URL).
    expect(new URL(feishu.url).hostname).toBe('127.0.0.1');
  });

  it.each(table)(
    'refuses $route from 127.0.0.1 without the token: 401 in the gateway envelope',
    async (row) => {
      const path = row.pathTemplate.replace(/\{\w+\}/g, '1');
      const refused = await feishu.call(row.method, path);
      expect({ route: row.route, status: refused.status, code: refused.body.code }).toEqual({
        route: row.route,
        status: 401,
        code: 99991661,
      });
      expect(refused.body.msg).toMatch(/Authorization: Bearer <control token>/);
      expect(refused.body.error.log_id).toBe(refused.headers.get('x-tt-logid'));
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      expect(refused.text).not.toContain(token);
    },
  );

  it.each(table)('answers $route with the token', async (row) => {
    const prepared = await row.prepare(feishu, control);
    const path = prepared.path ?? row.pathTemplate;
    const answered = await send(feishu, row.method, { ...prepared, path }, token);
    expect(answered.status).not.toBe(401);
    expect({ route: row.route, status: answered.status }).toEqual({
      route: row.route,
      status: expectedWithAccess(row.route),
    });
    if (expectedWithAccess(row.route) !== 400) expect(answered.status).toBeLessThan(300);
  });

  it('refuses a wrong token', async () => {
    expect((await feishu.call('GET', '/__mock/health', { token: `${token}x` })).status).toBe(401);
  });

  it('guards the inspector page too, and opens it with ?token=', async () => {
    const refused = await feishu.call('GET', '/__mock/ui/');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.text).not.toContain(token);
    const opened = await fetch(`${feishu.url}/__mock/ui/?token=${token}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
  });

  it('leaves the emulated Feishu surface open to its own credentials', async () => {
    expect(await feishu.tenantToken()).toMatch(/^t-/);
  });
});

describe('an emulator bound beyond loopback with a token given', () => {
  it('uses the given token rather than generating one', async () => {
    const feishu = await createMockFeishu({ host: '0.0.0.0', controlToken: 'given-token' });
    try {
      expect(feishu.controlToken).toBe('given-token');
      expect((await feishu.call('GET', '/__mock/clock')).status).toBe(401);
      expect((await feishu.call('GET', '/__mock/clock', { token: 'given-token' })).status).toBe(200);
    } finally {
      await feishu.close();
    }
  });
});

describe('an emulator on loopback (the default 127.0.0.1) with no token', () => {
  let feishu: MockFeishuFixture;
  beforeAll(async () => {
    feishu = await createMockFeishu();
  });
  afterAll(() => feishu?.close());

  it('has no control token and binds 127.0.0.1', () => {
    expect(feishu.controlToken).toBeUndefined();
    expect(feishu.boundAddress.address).toBe('127.0.0.1');
  });

  it.each(table)('answers $route without any token, as before', async (row) => {
    const control = (method: string, path: string, json?: unknown) => feishu.call(method, path, { json });
    const prepared = await row.prepare(feishu, control);
    const answered = await send(feishu, row.method, { ...prepared, path: prepared.path ?? row.pathTemplate });
    expect({ route: row.route, status: answered.status }).toEqual({
      route: row.route,
      status: expectedWithAccess(row.route),
    });
    if (expectedWithAccess(row.route) !== 400) expect(answered.status).toBeLessThan(300);
  });
});
