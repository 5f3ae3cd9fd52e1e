import { FeishuPath } from '@feishu-attachments/api-client/wire';
import { startMockFeishu, type RunningMockFeishu } from '../src/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneRoutes } from './support/control-plane-routes.js';
import { testStore } from './support/mock-feishu.fixture.js';

/**
 * Malformed and hostile requests on every route of the emulator: each must get a 4xx in the
 * emulator's own error shape, with no stack trace and no internal path. The emulator is started
 * directly (not behind the Prism referee), so the bytes sent are the bytes it sees; on the SQLite
 * run it gets a data dir of its own.
 */

interface Hostile {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | FormData | Uint8Array;
  /** The Authorization header; `null` sends none. @default a valid tenant token */
  auth?: string | null;
  /** Feishu may accept it (an empty file); then only "no 5xx, no stack" is asserted. */
  mayPass?: boolean;
}

let feishu: RunningMockFeishu;
let dataDir: string | undefined;
let tenantToken: string;
let otherAppToken: string;
let expiredToken: string;
let taskGuid: string;
let attachmentGuid: string;

const UNKNOWN_GUID = '00000000-0000-4000-8000-000000000000';
const tasksPath = (guid: string) => FeishuPath.Task.replace(':task_guid', guid);
const attachmentPath = (guid: string) => FeishuPath.Attachment.replace(':attachment_guid', guid);

async function tokenFor(appId: string, appSecret: string): Promise<string> {
  const response = await fetch(`${feishu.url}${FeishuPath.TenantAccessToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_id: appId, app_secret: appSecret }),
  });
  return ((await response.json()) as { tenant_access_token: string }).tenant_access_token;
}

beforeAll(async () => {
  dataDir = testStore === 'sqlite' ? mkdtempSync(join(tmpdir(), 'mock-feishu-hostile-')) : undefined;
  feishu = await startMockFeishu({ port: 0, rateLimits: false, dataDir });
  // Issued first, then the clock moves 2 h + 1 s, so it is past Feishu's 7200 s lifetime.
  expiredToken = await tokenFor(feishu.app.appId, feishu.app.appSecret);
  feishu.clock.advance(7_201_000);
  tenantToken = await tokenFor(feishu.app.appId, feishu.app.appSecret);
  await feishu.seeder.createApp({ appId: 'cli_hostile_other', appSecret: 'other_secret', scopes: [] });
  otherAppToken = await tokenFor('cli_hostile_other', 'other_secret');
  const seeded = await feishu.seeder.createTaskWithAttachments({
    summary: 'hostile',
    attachments: [{ name: 'a.txt', content: 'a' }],
  });
  taskGuid = seeded.taskGuid;
  attachmentGuid = seeded.attachments[0].guid;
});
afterAll(async () => {
  await feishu?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const json = (value: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: typeof value === 'string' ? value : JSON.stringify(value),
});

const form = (parts: [field: string, value: string | Blob, filename?: string][]) => {
  const data = new FormData();
  for (const [field, value, filename] of parts) {
    if (typeof value === 'string') data.append(field, value);
    else data.append(field, value, filename);
  }
  return data;
};

const file = (content = 'x') => new Blob([content], { type: 'text/plain' });

// --- bad tokens, on every authenticated route ------------------------------------------------
const authenticatedRoutes = (): [string, string, Partial<Hostile>][] => [
  ['POST', FeishuPath.Tasks, json({ summary: 's' })],
  ['GET', tasksPath(taskGuid), {}],
  ['DELETE', tasksPath(UNKNOWN_GUID), {}],
  [
    'POST',
    FeishuPath.AttachmentUpload,
    {
      body: form([
        ['resource_type', 'task'],
        ['resource_id', taskGuid],
        ['file', file(), 'f.txt'],
      ]),
    },
  ],
  ['GET', `${FeishuPath.Attachments}?resource_type=task&resource_id=${taskGuid}`, {}],
  ['GET', attachmentPath(attachmentGuid), {}],
  ['DELETE', attachmentPath(UNKNOWN_GUID), {}],
  ['POST', FeishuPath.OidcAccessToken, json({ grant_type: 'authorization_code', code: 'nope' })],
  ['POST', FeishuPath.OidcRefreshAccessToken, json({ grant_type: 'refresh_token', refresh_token: 'nope' })],
];

const badTokens = (): [string, string | null][] => [
  ['no Authorization', null],
  ['a bare Bearer', 'Bearer'],
  ['Bearer and spaces', 'Bearer    '],
  ['Bearer a b', 'Bearer a b'],
  ['Basic credentials', 'Basic Y2xpOnNlY3JldA=='],
  ['an unknown token', 'Bearer t-not-a-token'],
  ['a 4 KiB token', `Bearer ${'t'.repeat(4096)}`],
  ['an expired token', `Bearer ${expiredToken}`],
];

function tokenCases(): Hostile[] {
  const cases: Hostile[] = [];
  for (const [method, path, rest] of authenticatedRoutes()) {
    for (const [what, auth] of badTokens()) {
      cases.push({ name: `${method} ${path.split('?')[0]} with ${what}`, method, path, auth, ...rest });
    }
    // Another app's token: no scopes, and not a member of the task.
    cases.push({
      name: `${method} ${path.split('?')[0]} with another app's token`,
      method,
      path,
      auth: `Bearer ${otherAppToken}`,
      ...rest,
    });
  }
  return cases;
}

// --- bad ids ------------------------------------------------------------------------------
const badIds = [
  ['a non-GUID', 'not-a-guid'],
  ['a 300-character id', 'a'.repeat(300)],
  ['a unicode id', encodeURIComponent('任务-тест-😀')],
  ['a traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['a NUL byte', `${UNKNOWN_GUID.slice(0, 8)}%00`],
  ['a percent sign', '%25'],
  ['a broken escape', '%E0%A4%A'],
];

function idCases(): Hostile[] {
  const cases: Hostile[] = [];
  for (const [what, id] of badIds) {
    cases.push({ name: `GET task with ${what}`, method: 'GET', path: tasksPath(id) });
    cases.push({ name: `DELETE task with ${what}`, method: 'DELETE', path: tasksPath(id) });
    cases.push({ name: `GET attachment with ${what}`, method: 'GET', path: attachmentPath(id) });
    cases.push({ name: `DELETE attachment with ${what}`, method: 'DELETE', path: attachmentPath(id) });
    cases.push({
      name: `list with resource_id ${what}`,
      method: 'GET',
      path: `${FeishuPath.Attachments}?resource_type=task&resource_id=${id}`,
    });
    cases.push({
      name: `upload with resource_id ${what}`,
      method: 'POST',
      path: FeishuPath.AttachmentUpload,
      body: form([
        ['resource_type', 'task'],
        ['resource_id', decodeURIComponentSafe(id)],
        ['file', file(), 'f.txt'],
      ]),
    });
  }
  return cases;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// --- bad bodies, queries and headers on the emulated surface --------------------------------
function surfaceCases(): Hostile[] {
  const upload = (name: string, body: Hostile['body'], headers?: Record<string, string>): Hostile => ({
    name: `upload: ${name}`,
    method: 'POST',
    path: FeishuPath.AttachmentUpload,
    body,
    headers,
  });
  const list = (name: string, query: string): Hostile => ({
    name: `list: ${name}`,
    method: 'GET',
    path: `${FeishuPath.Attachments}?${query}`,
  });
  const createTask = (
    name: string,
    body: string,
    headers = { 'content-type': 'application/json' },
  ): Hostile => ({
    name: `create task: ${name}`,
    method: 'POST',
    path: FeishuPath.Tasks,
    body,
    headers,
  });
  const six = form([
    ['resource_type', 'task'],
    ['resource_id', taskGuid],
    ...Array.from({ length: 6 }, (_, index) => ['file', file(), `f${index}.txt`] as [string, Blob, string]),
  ]);
  const tokenEndpoint = (
    name: string,
    body: string,
    headers = { 'content-type': 'application/json' },
  ): Hostile => ({
    name: `tenant token: ${name}`,
    method: 'POST',
    path: FeishuPath.TenantAccessToken,
    body,
    headers,
    auth: null,
  });
  return [
    createTask('truncated JSON', '{"summary": "s"'),
    createTask('a JSON array', '[]'),
    createTask('JSON null', 'null'),
    createTask('a JSON string', '"summary"'),
    createTask('summary as a number', '{"summary": 1}'),
    createTask('an empty summary', '{"summary": ""}'),
    createTask('a 3001-character summary', JSON.stringify({ summary: 's'.repeat(3001) })),
    createTask('members not an array', '{"summary": "s", "members": "all"}'),
    createTask('a member without id', '{"summary": "s", "members": [{"role": "assignee"}]}'),
    createTask('deeply nested JSON', `{"summary": ${'['.repeat(5000)}${']'.repeat(5000)}}`),
    createTask('a raw NUL inside a JSON string', '{"summary": "a\u0000b"}'),
    createTask('a body over 1 MB', JSON.stringify({ summary: 's', description: 'd'.repeat(1_100_000) })),
    createTask('an unknown content type', '{"summary": "s"}', { 'content-type': 'application/x-evil' }),
    // body-parser reads a charset without a value as none, so the JSON is read: accepted.
    {
      ...createTask('a malformed content type', '{"summary": "s"}', {
        'content-type': 'application/json; charset',
      }),
      mayPass: true,
    },
    createTask('an unknown charset', '{"summary": "s"}', {
      'content-type': 'application/json; charset=klingon',
    }),
    upload('no content type', 'resource_type=task'),
    upload('multipart without boundary', '--x\r\n\r\n', { 'content-type': 'multipart/form-data' }),
    upload(
      'a broken boundary',
      '--wrong\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nx\r\n--wrong--',
      { 'content-type': 'multipart/form-data; boundary=right' },
    ),
    upload('a truncated part', '--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nxx', {
      'content-type': 'multipart/form-data; boundary=b',
    }),
    upload(
      'a wrong file field name',
      form([
        ['resource_type', 'task'],
        ['resource_id', taskGuid],
        ['files', file(), 'f.txt'],
      ]),
    ),
    upload('six files', six),
    upload(
      'no file',
      form([
        ['resource_type', 'task'],
        ['resource_id', taskGuid],
      ]),
    ),
    {
      ...upload(
        'an empty file',
        form([
          ['resource_type', 'task'],
          ['resource_id', taskGuid],
          ['file', file(''), 'empty.txt'],
        ]),
      ),
      mayPass: true,
    },
    upload(
      'no resource_id',
      form([
        ['resource_type', 'task'],
        ['file', file(), 'f.txt'],
      ]),
    ),
    upload(
      'an unknown resource_type',
      form([
        ['resource_type', 'doc'],
        ['resource_id', taskGuid],
        ['file', file(), 'f.txt'],
      ]),
    ),
    upload(
      'a traversal file name',
      form([
        ['resource_type', 'task'],
        ['resource_id', UNKNOWN_GUID],
        ['file', file(), '../../etc/passwd'],
      ]),
    ),
    upload('JSON instead of multipart', JSON.stringify({ resource_id: taskGuid }), {
      'content-type': 'application/json',
    }),
    list('no resource_id', 'resource_type=task'),
    list('page_size 0', `resource_type=task&resource_id=${taskGuid}&page_size=0`),
    list('page_size 101', `resource_type=task&resource_id=${taskGuid}&page_size=101`),
    list('page_size abc', `resource_type=task&resource_id=${taskGuid}&page_size=abc`),
    list('a forged page_token', `resource_type=task&resource_id=${taskGuid}&page_token=forged`),
    list('page_token twice', `resource_type=task&resource_id=${taskGuid}&page_token=a&page_token=b`),
    list('user_id_type unknown', `resource_type=task&resource_id=${taskGuid}&user_id_type=email`),
    { name: 'download: no code', method: 'GET', path: '/download/authcode/', auth: null },
    { name: 'download: unknown code', method: 'GET', path: '/download/authcode/?code=nope', auth: null },
    { name: 'download: code twice', method: 'GET', path: '/download/authcode/?code=a&code=b', auth: null },
    {
      name: 'download: 8 KiB code',
      method: 'GET',
      path: `/download/authcode/?code=${'c'.repeat(8192)}`,
      auth: null,
    },
    { name: 'an unknown route', method: 'GET', path: '/open-apis/task/v2/nothing' },
    { name: 'an unknown method', method: 'PATCH', path: FeishuPath.Tasks, ...json({ summary: 's' }) },
    tokenEndpoint('truncated JSON', '{"app_id": '),
    tokenEndpoint('no fields', '{}'),
    tokenEndpoint('a wrong secret', JSON.stringify({ app_id: feishu.app.appId, app_secret: 'wrong' })),
    tokenEndpoint('an unknown app', JSON.stringify({ app_id: 'cli_nobody', app_secret: 'x' })),
  ];
}

// --- bad control-plane bodies, on every control route that reads one -----------------------
const controlBodies: Record<string, string[]> = {
  'POST /__mock/reset': ['{"keepTokens": "yes"}', '[]', '{"extra": 1}'],
  'POST /__mock/clock': ['{}', '{"advanceMs": -1}', '{"advanceMs": 1, "setMs": 1}', '{"setMs": "now"}', '{'],
  'POST /__mock/apps': [
    '{}',
    '{"app_id": ""}',
    '{"app_id": "a", "app_secret": "s", "scopes": "all"}',
    'null',
  ],
  'POST /__mock/users': ['{}', '{"name": 1}', '{"name": "a", "replace": "yes"}', '{"name": "a", "extra": 1}'],
  'POST /__mock/user-access-tokens': ['{}', '{"open_id": "ou_nobody"}', '{"open_id": ["a"]}'],
  'POST /__mock/authorization-codes': ['{}', '{"open_id": "ou_nobody"}', '{"open_id": 1}'],
  'POST /__mock/tasks': [
    '{}',
    '{"summary": "s", "attachments": [{"name": "a", "content": "!!", "encoding": "base64"}]}',
    '{"summary": "s", "attachments": [{"name": "a", "content": "a", "content_type": "text"}]}',
    '{"summary": "s", "attachments": [{"name": "a", "content": "a", "content_type": "a/b\\r\\nx: y"}]}',
    '{"summary": "s", "creator_open_id": "ou_nobody"}',
  ],
  'POST /__mock/faults': [
    '{}',
    '{"operation": "nope", "drop": true}',
    '{"operation": "task.get", "error": {"status": 200, "code": 0}}',
    '{"operation": "task.get", "error": {"status": 500, "code": 1, "headers": {"a b": "c"}}}',
    '{"operation": "task.get", "error": {"status": 500, "code": 1, "headers": {"a": "b\\nc"}}}',
    '{"operation": "task.get", "delayMs": 600000}',
    '{"operation": "task.get", "drop": true, "times": 100000}',
  ],
  'PUT /__mock/rate-limits': ['{}', '{"enabled": "no"}', '['],
};
const controlQueries: Record<string, string[]> = {
  'GET /__mock/requests': ['limit=0', 'limit=abc', 'limit=10001', 'nope=1'],
  'GET /__mock/download-urls': [
    'page_size=0',
    'page_size=501',
    'page_token=forged',
    'order=sideways',
    'nope=1',
  ],
};
const controlPaths: Record<string, string[]> = {
  'DELETE /__mock/faults/{id}': ['0', '-1', 'abc', '99999999999999999999', '1.5'],
  'GET /__mock/requests/{id}': ['0', 'abc', '%00', '99999'],
  'POST /__mock/attachments/{attachment_guid}/download-urls': ['not-a-guid', UNKNOWN_GUID, '..%2F..'],
  'DELETE /__mock/attachments/{attachment_guid}': ['not-a-guid', UNKNOWN_GUID, '%E0%A4%A'],
};

function controlCases(): Hostile[] {
  const cases: Hostile[] = [];
  for (const [route, bodies] of Object.entries(controlBodies)) {
    const [method, path] = route.split(' ');
    for (const body of bodies)
      cases.push({ name: `${route} ${body}`, method, path, auth: null, ...json(body) });
    // A reset without a JSON body is a valid reset, which would wipe the tokens the other rows use.
    if (route === 'POST /__mock/reset') continue;
    cases.push({
      name: `${route} as text/plain`,
      method,
      path,
      auth: null,
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
  }
  for (const [route, queries] of Object.entries(controlQueries)) {
    const [method, path] = route.split(' ');
    for (const query of queries)
      cases.push({ name: `${route}?${query}`, method, path: `${path}?${query}`, auth: null });
  }
  for (const [route, ids] of Object.entries(controlPaths)) {
    const [method, template] = route.split(' ');
    for (const id of ids) {
      cases.push({ name: `${route} with ${id}`, method, path: template.replace(/\{\w+\}/, id), auth: null });
    }
  }
  cases.push({ name: 'an unknown control route', method: 'GET', path: '/__mock/nothing', auth: null });
  return cases;
}

// --- the checks ----------------------------------------------------------------------------
const STACK_OR_PATH = /\n\s+at |\bat [\w.<>]+ \(|Error: |\/work\/|node_modules|dist\/|src\//;

async function send(request: Hostile): Promise<{ status: number; text: string; type: string }> {
  const headers: Record<string, string> = { ...request.headers };
  const auth = request.auth === undefined ? `Bearer ${tenantToken}` : request.auth;
  if (auth !== null) headers.authorization = auth;
  const response = await fetch(`${feishu.url}${request.path}`, {
    method: request.method,
    headers,
    body: request.body as BodyInit | undefined,
  });
  return {
    status: response.status,
    text: await response.text(),
    type: response.headers.get('content-type') ?? '',
  };
}

/**
 * Feishu's envelope or flat `{code, msg}` (the token endpoints answer HTTP 200 with a non-zero
 * code), the OAuth `{code, error, error_description}`, or the gateway's text 404.
 */
function isEmulatorErrorShape(answer: { status: number; text: string }): boolean {
  if (answer.status === 404 && answer.text === '404 page not found') return true;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return false;
  }
  if (typeof body.code !== 'number' || body.code === 0) return false;
  return typeof body.msg === 'string' || typeof body.error_description === 'string';
}

const rows = () => [...tokenCases(), ...idCases(), ...surfaceCases(), ...controlCases()];

describe('hostile input to the emulator', () => {
  it('covers at least 150 requests, every authenticated route and every control route that reads input', () => {
    expect(tokenCases()).toHaveLength(authenticatedRoutes().length * (badTokens().length + 1));
    expect(idCases()).toHaveLength(badIds.length * 6);
    const covered = new Set([
      ...Object.keys(controlBodies),
      ...Object.keys(controlQueries),
      ...Object.keys(controlPaths),
    ]);
    const readingInput = controlPlaneRoutes().filter((route) =>
      /^(POST|PUT)|\{|GET \/__mock\/(requests|download-urls)$/.test(route),
    );
    expect(readingInput.filter((route) => !covered.has(route))).toEqual([]);
    expect(rows().length).toBeGreaterThanOrEqual(150);
  });

  it('answers every one below 500 in the emulator error shape, without a stack trace or an internal path', async () => {
    const failures: string[] = [];
    for (const request of rows()) {
      const answer = await send(request);
      const accepted = request.mayPass === true && answer.status < 300;
      const problems = [
        answer.status >= 500 ? `status ${answer.status}` : '',
        accepted || isEmulatorErrorShape(answer) ? '' : 'not the emulator error shape',
        STACK_OR_PATH.test(answer.text) ? 'a stack trace or an internal path' : '',
      ].filter(Boolean);
      if (problems.length > 0)
        failures.push(`${request.name}: ${problems.join(', ')}: ${answer.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it('left the seeded attachment and its URL uses alone', async () => {
    expect((await feishu.seeder.counts()).attachments).toBeGreaterThanOrEqual(1);
  });
});
