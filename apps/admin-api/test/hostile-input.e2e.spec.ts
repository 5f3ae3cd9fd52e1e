import { ADMIN_TOKEN, fileForm, startHarness, type Harness } from './support/admin-api.harness.js';

/**
 * Malformed and hostile requests on every route of admin-api: each must get a 4xx in admin-api's
 * own error shape `{error: {status, message, feishu?}}`, with no stack trace and no internal path.
 */

interface Hostile {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  /** The admin token; `null` sends no Authorization header. @default ADMIN_TOKEN */
  auth?: string | null;
}

let h: Harness;
let taskGuid: string;
let attachmentGuid: string;
const UNKNOWN_GUID = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  h = await startHarness();
  const seeded = await h.feishu.seeder.createTaskWithAttachments({
    summary: 'hostile',
    attachments: [{ name: 'a.txt', content: 'a' }],
  });
  taskGuid = seeded.taskGuid;
  attachmentGuid = seeded.attachments[0].guid;
});
afterAll(() => h?.close());

const json = (body: string) => ({ headers: { 'content-type': 'application/json' }, body });

// Every route behind the admin token, with a request that would otherwise be fine.
const guardedRoutes = (): [string, string, Partial<Hostile>][] => [
  ['POST', '/tasks', json('{"summary": "s"}')],
  ['GET', `/tasks/${taskGuid}`, {}],
  ['PATCH', `/tasks/${taskGuid}`, json('{"summary": "s"}')],
  ['POST', `/tasks/${UNKNOWN_GUID}/complete`, {}],
  ['POST', `/tasks/${taskGuid}/reopen`, {}],
  ['POST', `/tasks/${taskGuid}/members`, json(`{"members": [{"id": "ou_x", "role": "assignee"}]}`)],
  ['DELETE', `/tasks/${taskGuid}/members/ou_nobody`, {}],
  ['GET', `/tasks/${taskGuid}/attachments`, {}],
  ['POST', `/tasks/${taskGuid}/attachments`, { body: fileForm([{ name: 'f.txt', content: 'f' }]) }],
  ['DELETE', `/tasks/${UNKNOWN_GUID}/attachments`, {}],
  ['GET', `/attachments/${attachmentGuid}`, {}],
  ['GET', `/attachments/${attachmentGuid}/content`, {}],
  ['DELETE', `/attachments/${UNKNOWN_GUID}`, {}],
];

const badTokens: [string, string | null][] = [
  ['no Authorization', null],
  ['a bare Bearer', 'Bearer'],
  ['Bearer a b', 'Bearer a b'],
  ['Basic credentials', 'Basic YWRtaW46YWRtaW4='],
  ['a wrong token', 'Bearer not-the-admin-token-at-all'],
  ['a 4 KiB token', `Bearer ${'t'.repeat(4096)}`],
  ['the token with a suffix', `Bearer ${ADMIN_TOKEN}x`],
  ['the token twice', `Bearer ${ADMIN_TOKEN}, Bearer ${ADMIN_TOKEN}`],
];

function tokenCases(): Hostile[] {
  return guardedRoutes().flatMap(([method, path, rest]) =>
    badTokens.map(([what, auth]) => ({
      name: `${method} ${path} with ${what}`,
      method,
      path,
      auth,
      ...rest,
    })),
  );
}

const badIds: [string, string][] = [
  ['a non-GUID', 'not-a-guid'],
  ['a 300-character id', 'a'.repeat(300)],
  ['a unicode id', encodeURIComponent('任务-тест-😀')],
  ['a traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['a NUL byte', '%00'],
  ['a broken escape', '%E0%A4%A'],
];

function idCases(): Hostile[] {
  const routes: [string, (id: string) => string][] = [
    ['GET', (id) => `/tasks/${id}`],
    ['PATCH', (id) => `/tasks/${id}`],
    ['POST', (id) => `/tasks/${id}/complete`],
    ['POST', (id) => `/tasks/${id}/reopen`],
    ['POST', (id) => `/tasks/${id}/members`],
    ['DELETE', (id) => `/tasks/${id}/members/ou_nobody`],
    ['DELETE', (id) => `/tasks/${taskGuid}/members/${id}`],
    ['GET', (id) => `/tasks/${id}/attachments`],
    ['DELETE', (id) => `/tasks/${id}/attachments`],
    ['GET', (id) => `/attachments/${id}`],
    ['GET', (id) => `/attachments/${id}/content`],
    ['DELETE', (id) => `/attachments/${id}`],
  ];
  return routes.flatMap(([method, path]) =>
    badIds.map(([what, id]) => ({ name: `${method} ${path(':id')} with ${what}`, method, path: path(id) })),
  );
}

function bodyCases(): Hostile[] {
  const createTask = (
    name: string,
    body: string,
    headers = { 'content-type': 'application/json' },
  ): Hostile => ({
    name: `create task: ${name}`,
    method: 'POST',
    path: '/tasks',
    body,
    headers,
  });
  const upload = (name: string, body: BodyInit, headers?: Record<string, string>): Hostile => ({
    name: `upload: ${name}`,
    method: 'POST',
    path: `/tasks/${taskGuid}/attachments`,
    body,
    headers,
  });
  const change = (name: string, body: string): Hostile => ({
    name: `change task: ${name}`,
    method: 'PATCH',
    path: `/tasks/${taskGuid}`,
    body,
    headers: { 'content-type': 'application/json' },
  });
  const addMembers = (name: string, body: string): Hostile => ({
    name: `add members: ${name}`,
    method: 'POST',
    path: `/tasks/${taskGuid}/members`,
    body,
    headers: { 'content-type': 'application/json' },
  });
  const list = (name: string, query: string): Hostile => ({
    name: `list: ${name}`,
    method: 'GET',
    path: `/tasks/${taskGuid}/attachments?${query}`,
  });
  const six = fileForm(Array.from({ length: 6 }, (_, index) => ({ name: `f${index}.txt`, content: 'f' })));
  return [
    createTask('truncated JSON', '{"summary": "s"'),
    createTask('a JSON array', '[]'),
    createTask('JSON null', 'null'),
    createTask('a number summary', '{"summary": 1}'),
    createTask('an empty summary', '{"summary": ""}'),
    createTask('an unknown field', '{"summary": "s", "admin": true}'),
    createTask('a 3001-character summary', JSON.stringify({ summary: 's'.repeat(3001) })),
    createTask('deeply nested JSON', `{"summary": ${'['.repeat(5000)}${']'.repeat(5000)}}`),
    createTask('a raw NUL in a string', '{"summary": "a\u0000b"}'),
    createTask('text/plain', '{"summary": "s"}', { 'content-type': 'text/plain' }),
    createTask('an unknown charset', '{"summary": "s"}', {
      'content-type': 'application/json; charset=klingon',
    }),
    createTask('a body over the limit', JSON.stringify({ summary: 's', pad: 'p'.repeat(2_000_000) })),
    change('truncated JSON', '{"summary": "s"'),
    change('JSON null', 'null'),
    change('an empty object', '{}'),
    change('a due of the wrong shape', '{"due": [1, 2]}'),
    change('a due at the year 275760', '{"due": {"at": "+275760-09-13T00:00:00Z"}}'),
    change('a due at 10000-01-01', '{"due": {"at": "9999-12-31T24:00:00Z"}}'),
    change('a summary with a raw NUL', '{"summary": "a\u0000b"}'),
    change('a prototype key', '{"__proto__": {"summary": "s"}}'),
    addMembers('members as an object', '{"members": {"id": "ou_x"}}'),
    addMembers(
      'a member id of 4 KiB',
      JSON.stringify({ members: [{ id: 'o'.repeat(4096), role: 'assignee' }] }),
    ),
    addMembers('a member id with a slash', '{"members": [{"id": "../ou_x", "role": "assignee"}]}'),
    addMembers('members null', '{"members": null}'),
    {
      name: 'remove member: an encoded slash in the id',
      method: 'DELETE',
      path: `/tasks/${taskGuid}/members/ou%2Fx`,
    },
    {
      name: 'complete: a body of garbage',
      method: 'POST',
      path: `/tasks/${taskGuid}/complete`,
      ...json('{'),
    },
    upload('multipart without boundary', '--x\r\n\r\n', { 'content-type': 'multipart/form-data' }),
    upload(
      'a broken boundary',
      '--wrong\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nx\r\n--wrong--',
      { 'content-type': 'multipart/form-data; boundary=right' },
    ),
    upload('a truncated part', '--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nxx', {
      'content-type': 'multipart/form-data; boundary=b',
    }),
    upload('a wrong field name', fileForm([{ name: 'f.txt', content: 'f' }], 'files')),
    upload('six files', six),
    upload('no file', new FormData()),
    upload('JSON instead of multipart', '{"file": "x"}', { 'content-type': 'application/json' }),
    upload('no content type', 'file=x'),
    list('limit 0', 'limit=0'),
    list('limit 101', 'limit=101'),
    list('limit abc', 'limit=abc'),
    list('limit twice', 'limit=1&limit=2'),
    list('an empty cursor', 'cursor='),
    list('a forged cursor', 'cursor=forged'),
    list('an unknown parameter', 'offset=10'),
    {
      name: 'get task: a garbage user token',
      method: 'GET',
      path: `/tasks/${taskGuid}`,
      headers: { 'x-feishu-user-access-token': 'u-garbage' },
    },
    {
      name: 'get task: a 4 KiB user token',
      method: 'GET',
      path: `/tasks/${taskGuid}`,
      headers: { 'x-feishu-user-access-token': 'u'.repeat(4096) },
    },
    { name: 'an unknown route', method: 'GET', path: '/nothing/here' },
    { name: 'an unknown method', method: 'PATCH', path: '/tasks', ...json('{"summary": "s"}') },
    { name: 'a traversal route', method: 'GET', path: '/%2e%2e/%2e%2e/etc/passwd' },
  ];
}

const STACK_OR_PATH = /\n\s+at |\bat [\w.<>]+ \(|Error: |\/work\/|node_modules|dist\/|src\//;

async function send(request: Hostile): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...request.headers };
  const auth = request.auth === undefined ? `Bearer ${ADMIN_TOKEN}` : request.auth;
  if (auth !== null) headers.authorization = auth;
  const response = await fetch(`${h.api.url}${request.path}`, {
    method: request.method,
    headers,
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}

/** admin-api's one error shape, with the same status inside as on the wire. */
function isAdminErrorShape(answer: { status: number; text: string }): boolean {
  try {
    const body = JSON.parse(answer.text) as { error?: { status?: unknown; message?: unknown } };
    return body.error?.status === answer.status && typeof body.error.message === 'string';
  } catch {
    return false;
  }
}

const rows = () => [...tokenCases(), ...idCases(), ...bodyCases()];

describe('hostile input to admin-api', () => {
  it('covers every guarded route with every bad token, every id route with every bad id, and 150+ requests with the emulator suite', () => {
    expect(tokenCases()).toHaveLength(guardedRoutes().length * badTokens.length);
    expect(idCases()).toHaveLength(12 * badIds.length);
    expect(rows().length).toBeGreaterThanOrEqual(130);
  });

  it('answers every one with a 4xx in the admin-api error shape, without a stack trace or an internal path', async () => {
    const failures: string[] = [];
    for (const request of rows()) {
      const answer = await send(request);
      const problems = [
        answer.status >= 500 || answer.status < 400 ? `status ${answer.status}` : '',
        isAdminErrorShape(answer) ? '' : 'not the admin-api error shape',
        STACK_OR_PATH.test(answer.text) ? 'a stack trace or an internal path' : '',
      ].filter(Boolean);
      if (problems.length > 0)
        failures.push(`${request.name}: ${problems.join(', ')}: ${answer.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it('left the seeded attachment in place', async () => {
    expect((await h.feishu.seeder.counts()).attachments).toBe(1);
  });
});
