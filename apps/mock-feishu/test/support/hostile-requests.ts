import { FeishuPath } from '@feishu-attachments/api-client/wire';

/**
 * The hostile requests of hostile-input.e2e.spec.ts, by kind: bad tokens on every authenticated
 * route, bad ids, bad bodies, queries and headers on the emulated surface, and bad input to every
 * control-plane route that reads some.
 */

export interface Hostile {
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

/** What the tables need of the running emulator's state. */
export interface HostileContext {
  appId: string;
  taskGuid: string;
  attachmentGuid: string;
  otherAppToken: string;
  expiredToken: string;
}

export const UNKNOWN_GUID = '00000000-0000-4000-8000-000000000000';
const tasksPath = (guid: string) => FeishuPath.Task.replace(':task_guid', guid);
const attachmentPath = (guid: string) => FeishuPath.Attachment.replace(':attachment_guid', guid);

export const json = (value: unknown) => ({
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
export const authenticatedRoutes = (ctx: HostileContext): [string, string, Partial<Hostile>][] => [
  ['POST', FeishuPath.Tasks, json({ summary: 's' })],
  ['GET', tasksPath(ctx.taskGuid), {}],
  ['DELETE', tasksPath(UNKNOWN_GUID), {}],
  [
    'POST',
    FeishuPath.AttachmentUpload,
    {
      body: form([
        ['resource_type', 'task'],
        ['resource_id', ctx.taskGuid],
        ['file', file(), 'f.txt'],
      ]),
    },
  ],
  ['GET', `${FeishuPath.Attachments}?resource_type=task&resource_id=${ctx.taskGuid}`, {}],
  ['GET', attachmentPath(ctx.attachmentGuid), {}],
  ['DELETE', attachmentPath(UNKNOWN_GUID), {}],
  ['POST', FeishuPath.OidcAccessToken, json({ grant_type: 'authorization_code', code: 'nope' })],
  ['POST', FeishuPath.OidcRefreshAccessToken, json({ grant_type: 'refresh_token', refresh_token: 'nope' })],
];

export const badTokens = (ctx: HostileContext): [string, string | null][] => [
  ['no Authorization', null],
  ['a bare Bearer', 'Bearer'],
  ['Bearer and spaces', 'Bearer    '],
  ['Bearer a b', 'Bearer a b'],
  ['Basic credentials', 'Basic Y2xpOnNlY3JldA=='],
  ['an unknown token', 'Bearer t-not-a-token'],
  ['a 4 KiB token', `Bearer ${'t'.repeat(4096)}`],
  ['an expired token', `Bearer ${ctx.expiredToken}`],
];

export function tokenCases(ctx: HostileContext): Hostile[] {
  const cases: Hostile[] = [];
  for (const [method, path, rest] of authenticatedRoutes(ctx)) {
    for (const [what, auth] of badTokens(ctx)) {
      cases.push({ name: `${method} ${path.split('?')[0]} with ${what}`, method, path, auth, ...rest });
    }
    // Another app's token: no scopes, and not a member of the task.
    cases.push({
      name: `${method} ${path.split('?')[0]} with another app's token`,
      method,
      path,
      auth: `Bearer ${ctx.otherAppToken}`,
      ...rest,
    });
  }
  return cases;
}

// --- bad ids ------------------------------------------------------------------------------
export const badIds = [
  ['a non-GUID', 'not-a-guid'],
  ['a 300-character id', 'a'.repeat(300)],
  ['a unicode id', encodeURIComponent('任务-тест-😀')],
  ['a traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['a NUL byte', `${UNKNOWN_GUID.slice(0, 8)}%00`],
  ['a percent sign', '%25'],
  ['a broken escape', '%E0%A4%A'],
];

export function idCases(): Hostile[] {
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
export function surfaceCases(ctx: HostileContext): Hostile[] {
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
    ['resource_id', ctx.taskGuid],
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
        ['resource_id', ctx.taskGuid],
        ['files', file(), 'f.txt'],
      ]),
    ),
    upload('six files', six),
    upload(
      'no file',
      form([
        ['resource_type', 'task'],
        ['resource_id', ctx.taskGuid],
      ]),
    ),
    {
      ...upload(
        'an empty file',
        form([
          ['resource_type', 'task'],
          ['resource_id', ctx.taskGuid],
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
        ['resource_id', ctx.taskGuid],
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
    upload('JSON instead of multipart', JSON.stringify({ resource_id: ctx.taskGuid }), {
      'content-type': 'application/json',
    }),
    list('no resource_id', 'resource_type=task'),
    list('page_size 0', `resource_type=task&resource_id=${ctx.taskGuid}&page_size=0`),
    list('page_size 101', `resource_type=task&resource_id=${ctx.taskGuid}&page_size=101`),
    list('page_size abc', `resource_type=task&resource_id=${ctx.taskGuid}&page_size=abc`),
    list('a forged page_token', `resource_type=task&resource_id=${ctx.taskGuid}&page_token=forged`),
    list('page_token twice', `resource_type=task&resource_id=${ctx.taskGuid}&page_token=a&page_token=b`),
    list('user_id_type unknown', `resource_type=task&resource_id=${ctx.taskGuid}&user_id_type=email`),
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
    tokenEndpoint('a wrong secret', JSON.stringify({ app_id: ctx.appId, app_secret: 'wrong' })),
    tokenEndpoint('an unknown app', JSON.stringify({ app_id: 'cli_nobody', app_secret: 'x' })),
  ];
}
