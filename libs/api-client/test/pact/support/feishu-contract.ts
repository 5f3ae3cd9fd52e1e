/**
 * The vocabulary of the contract between this client (consumer `api-client`) and
 * the emulator (provider `mock-feishu`): example values, matchers for Feishu's shapes, and the
 * interactions more than one spec needs, built in one place so that every copy written to the
 * pact file is identical (Pact merges interactions by description and provider state).
 */
import { MatchersV3, PactV4, SpecificationVersion } from '@pact-foundation/pact';
import { createFeishuClient, type FeishuClient, type FeishuClientOptions } from '../../../src/index.js';
import { settled } from '@feishu-attachments/test-support/pact-settled';
import { CONSUMER, PACT_DIR, PROVIDER } from './pact-file.js';

const { boolean, integer, regex, string } = MatchersV3;

// Pact's native core reports usage over the network unless told not to; these runs stay offline.
process.env.PACT_DO_NOT_TRACK ??= 'true';

export { CONSUMER, PACT_DIR, PROVIDER } from './pact-file.js';

export function newPact(): PactV4 {
  return new PactV4({
    consumer: CONSUMER,
    provider: PROVIDER,
    dir: PACT_DIR,
    spec: SpecificationVersion.SPECIFICATION_VERSION_V4,
    logLevel: 'warn',
  });
}

// The emulator's default app; the provider has it registered after every reset.
export const APP_ID = 'cli_mock_app';
export const APP_SECRET = 'mock_app_secret';

export const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
// Feishu log ids: yyyyMMddHHmmss and 20 upper-case hex digits (reference: error envelope).
const LOG_ID = '^\\d{14}[0-9A-F]{20}$';
const EPOCH_MS = '^\\d{13}$';

// Examples from Feishu's documentation where it gives one.
export const EXAMPLE = {
  tenantToken: 't-g1044ghJRUIJJ5ELPPSLMF3VU7VWVPT4GZD6ZB4O',
  taskGuid: 'f860de3e-6881-4ddd-9321-070f36d1af0b',
  attachmentGuid: 'b59aa7a3-e98c-4830-8273-cbb29f89b837',
  fileToken: 'boxcnTDqPaRA6JbYnzQsZ2doB2b',
  logId: '2023070718115246FF085B0B55C60858A5',
  uploadedAt: '1688722020000',
  pageToken: 'eyJyIjoiZjg2MGRlM2UiLCJzIjoyfQ.aGVsbG8td29ybGQtc2lnbmF0dXJl',
  downloadCode: 'OWMzNDlmMjJmZThkYzZkZGJlMjYwZTI0OTUxZTE2MDJf',
  subtaskGuid: 'e6e37dcc-f75a-4936-a589-12fb4b5c80c2',
  openId: 'ou_1400208f15333e20e11339d39067844b',
  userToken: 'u-gnQ9p8bJ5fG3kC2xW7yT1h',
  dueAt: '1767225600000',
} as const;

/**
 * Where download URLs point in the examples. The consumer tests route this host to the Pact mock
 * server through the client's `fetch` option, the way DNS would send it to Feishu's stream host.
 */
export const EXAMPLE_DOWNLOAD_ORIGIN = 'https://internal-api-drive-stream.feishu.cn';
export const DOWNLOAD_PATH = '/download/authcode/';
export const EXAMPLE_DOWNLOAD_URL = `${EXAMPLE_DOWNLOAD_ORIGIN}${DOWNLOAD_PATH}?code=${EXAMPLE.downloadCode}`;

export const Path = {
  tenantToken: '/open-apis/auth/v3/tenant_access_token/internal',
  tasks: '/open-apis/task/v2/tasks',
  taskAddMembers: '/open-apis/task/v2/tasks/:task_guid/add_members',
  taskRemoveMembers: '/open-apis/task/v2/tasks/:task_guid/remove_members',
  taskSubtasks: '/open-apis/task/v2/tasks/:task_guid/subtasks',
  attachments: '/open-apis/task/v2/attachments',
  upload: '/open-apis/task/v2/attachments/upload',
} as const;

/**
 * A value the provider state handler supplies (`expression` names it, e.g. `${taskGuid}`), still
 * checked against `pattern` on both sides. Pact's `fromProviderState` only checks the type.
 */
export function injected(expression: string, example: string, pattern: string) {
  return {
    'pact:matcher:type': 'regex',
    regex: pattern,
    'pact:generator:type': 'ProviderState',
    expression,
    value: example,
  };
}

export const taskGuidFromState = () => injected('${taskGuid}', EXAMPLE.taskGuid, UUID);
export const attachmentGuidFromState = () => injected('${attachmentGuid}', EXAMPLE.attachmentGuid, UUID);

export const bearerToken = () =>
  injected('Bearer ${tenantAccessToken}', `Bearer ${EXAMPLE.tenantToken}`, '^Bearer t-[0-9A-Za-z]+$');

export const taskPath = () =>
  injected(
    `${Path.tasks}/\${taskGuid}`,
    `${Path.tasks}/${EXAMPLE.taskGuid}`,
    `^${Path.tasks}/[0-9a-f-]{36}$`,
  );

/** A path under task T (`Path.taskSubtasks` and the like), with T's guid from the state. */
export const underTaskPath = (template: string) => {
  const [before, after] = template.split(':task_guid');
  return injected(
    `${before}\${taskGuid}${after}`,
    `${before}${EXAMPLE.taskGuid}${after}`,
    `^${before}[0-9a-f-]{36}${after}$`,
  );
};

/** A user's open_id, as the state registered the user (reference §0: `ou_` and 32 hex digits). */
export const userOpenIdFromState = () => injected('${userOpenId}', EXAMPLE.openId, '^ou_[0-9a-f]{32}$');

/** A user access token from the state: Feishu's are `u-…`, or JWTs (`eyJ…`) on the newer OAuth. */
export const userBearerToken = () =>
  injected(
    'Bearer ${userAccessToken}',
    `Bearer ${EXAMPLE.userToken}`,
    '^Bearer (u-[0-9A-Za-z_-]+|eyJ[0-9A-Za-z_-]*\\.[0-9A-Za-z_-]*\\.[0-9A-Za-z_-]+)$',
  );

export const attachmentPath = () =>
  injected(
    `${Path.attachments}/\${attachmentGuid}`,
    `${Path.attachments}/${EXAMPLE.attachmentGuid}`,
    `^${Path.attachments}/[0-9a-f-]{36}$`,
  );

/** JSON bodies the client sends: it always says charset=utf-8. */
export const jsonRequestHeaders = () => ({
  authorization: bearerToken(),
  'Content-Type': regex('^application/json(;.*)?$', 'application/json; charset=utf-8'),
});

/** Every Feishu answer carries a log id header, which the client puts on its errors. */
// `Content-Type` spelled as jsonBody spells it, so the builder does not add a second, stricter copy.
export const jsonResponseHeaders = (extra: Record<string, unknown> = {}) => ({
  'Content-Type': regex('^application/json(;.*)?$', 'application/json; charset=utf-8'),
  'x-tt-logid': regex(LOG_ID, EXAMPLE.logId),
  ...extra,
});

export const success = <T>(data: T) => ({ code: 0, msg: string('success'), data });

/**
 * Feishu's error envelope: the exact `code`, a `msg` that names the rule, and `error.log_id`.
 * Pact's regexes must match the whole value, hence `.*` around a phrase.
 */
export const feishuError = (code: number, msgPattern: string, msgExample: string) => ({
  code,
  msg: regex(msgPattern, msgExample),
  error: { log_id: regex(LOG_ID, EXAMPLE.logId) },
});

/** An attachment as list, get and upload return it; `url` only in list and get. */
export function attachmentShape(
  overrides: {
    guid?: unknown;
    name?: unknown;
    size?: unknown;
    taskGuid?: unknown;
    url?: boolean;
  } = {},
) {
  return {
    guid: overrides.guid ?? regex(UUID, EXAMPLE.attachmentGuid),
    file_token: string(EXAMPLE.fileToken),
    name: overrides.name ?? string('notes.txt'),
    size: overrides.size ?? integer(14),
    resource: { type: 'task', id: overrides.taskGuid ?? regex(UUID, EXAMPLE.taskGuid) },
    uploader: { id: string(APP_ID), type: regex('^(user|app)$', 'app') },
    is_cover: boolean(false),
    uploaded_at: regex(EPOCH_MS, EXAMPLE.uploadedAt),
    ...(overrides.url ? { url: regex('^https?://\\S+$', EXAMPLE_DOWNLOAD_URL) } : {}),
  };
}

/** A Task v2 task with the fields the client's callers read; `overrides` replaces any of them. */
export function taskShape(guid: unknown, overrides: Record<string, unknown> = {}) {
  return {
    guid,
    task_id: string('t100001'),
    summary: string('Prepare the quarterly report'),
    description: string(''),
    creator: { id: string(APP_ID), type: regex('^(user|app)$', 'app') },
    members: [],
    attachments: [],
    status: regex('^(todo|done)$', 'todo'),
    completed_at: regex('^\\d+$', '0'),
    created_at: regex(EPOCH_MS, EXAMPLE.uploadedAt),
    updated_at: regex(EPOCH_MS, EXAMPLE.uploadedAt),
    url: regex('^https://\\S+$', `https://applink.feishu.cn/client/todo/detail?guid=${EXAMPLE.taskGuid}`),
    ...overrides,
  };
}

/** A task member as Feishu answers it: a user by open_id with its role. */
export const userMemberShape = (role: 'assignee' | 'follower') => ({
  id: userOpenIdFromState(),
  type: 'user',
  role,
});

/** The client under test, pointed at a Pact mock server, fetching its own tenant token. */
export function clientOn(baseUrl: string, options: Partial<FeishuClientOptions> = {}): FeishuClient {
  return createFeishuClient({
    baseUrl,
    auth: { appId: APP_ID, appSecret: APP_SECRET },
    retry: { baseDelayMs: 1 },
    ...options,
  });
}

/**
 * A fetch that sends the n-th request for each `METHOD path` to `origins[n]` (the last origin
 * takes the rest). Pact answers one request one way, so a retry that must see a different answer
 * (429, then 200) goes to a second mock server that holds the interaction for the retry.
 */
export function fetchByAttempt(origins: readonly string[]): typeof fetch {
  const seen = new Map<string, number>();
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname}`;
    const attempt = seen.get(key) ?? 0;
    seen.set(key, attempt + 1);
    const target = new URL(url.pathname + url.search, origins[Math.min(attempt, origins.length - 1)]);
    const body = request.body ? await request.arrayBuffer() : undefined;
    return fetch(target, { method: request.method, headers: request.headers, body, signal: request.signal });
  };
}

/**
 * Runs `testFn` while two mock servers are up: `first` answers a call's first attempt and `second`
 * its retry. `testFn` gets the first server's URL and a fetch that sends each attempt to its server.
 */
export function executeWithRetryServer<T>(
  first: Interaction,
  second: Interaction,
  testFn: (baseUrl: string, fetchAttempt: typeof fetch) => Promise<T>,
) {
  return first.executeTest(
    settled((one) =>
      second.executeTest(settled((two) => testFn(one.url, fetchByAttempt([one.url, two.url])))),
    ),
  );
}

/** A fetch that keeps a copy of every request body it forwards, so a spec can inspect what was sent. */
export function recordingFetch(inner: typeof fetch = fetch) {
  const requests: {
    method: string;
    url: URL;
    authorization: string | null;
    contentType: string;
    body: Buffer;
  }[] = [];
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = Buffer.from(await request.arrayBuffer());
    requests.push({
      method: request.method,
      url: new URL(request.url),
      authorization: request.headers.get('authorization'),
      contentType: request.headers.get('content-type') ?? '',
      body,
    });
    return inner(request.url, {
      method: request.method,
      headers: request.headers,
      body: body.length > 0 ? body : undefined,
      signal: request.signal,
    });
  };
  return { fetch: recording, requests };
}

/** The parts of a multipart/form-data body: name, filename (for files) and content. */
export function multipartParts(body: Buffer, contentType: string) {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  return body
    .toString('latin1')
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((raw) => {
      const [head, ...rest] = raw.replace(/^\r\n/, '').split('\r\n\r\n');
      const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
      return {
        name: /\bname="([^"]*)"/.exec(disposition)?.[1],
        filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
        content: rest.join('\r\n\r\n').replace(/\r\n$/, ''),
      };
    });
}

/** Bytes of a multipart/form-data body, built by hand so the pact holds every part the client sends. */
export function multipartBody(
  boundary: string,
  fields: Record<string, string>,
  files: readonly { name: string; content: string; contentType: string }[],
): Buffer {
  const parts = [
    ...Object.entries(fields).map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    ),
    ...files.map(
      (file) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.contentType}\r\n\r\n${file.content}\r\n`,
    ),
  ];
  return Buffer.from(`${parts.join('')}--${boundary}--\r\n`);
}

// ---- Interactions used by more than one spec ----------------------------------------------

/** An interaction with its response declared, ready for `executeTest` (pact-js does not export the type). */
export type Interaction = ReturnType<
  ReturnType<ReturnType<PactV4['addInteraction']>['withRequest']>['willRespondWith']
>;

/** Every client built with app credentials starts here. */
export function tenantTokenInteraction(pact: PactV4): Interaction {
  return pact
    .addInteraction()
    .given('the app cli_mock_app is registered')
    .uponReceiving('a request for a tenant access token')
    .withRequest('POST', Path.tenantToken, (request) =>
      request
        .headers({ 'Content-Type': regex('^application/json(;.*)?$', 'application/json; charset=utf-8') })
        .jsonBody({ app_id: APP_ID, app_secret: APP_SECRET }),
    )
    .willRespondWith(200, (response) =>
      response.headers(jsonResponseHeaders()).jsonBody({
        code: 0,
        msg: string('ok'),
        tenant_access_token: regex('^t-[0-9A-Za-z]+$', EXAMPLE.tenantToken),
        expire: integer(7200),
      }),
    );
}

/** `GET /attachments/:guid`: the attachment and a fresh temporary download URL. */
export function getAttachmentInteraction(pact: PactV4): Interaction {
  return pact
    .addInteraction()
    .given('task T has an attachment A')
    .uponReceiving('a request for attachment A')
    .withRequest('GET', attachmentPath(), (request) => request.headers({ authorization: bearerToken() }))
    .willRespondWith(200, (response) =>
      response.headers(jsonResponseHeaders()).jsonBody(
        success({
          attachment: attachmentShape({
            guid: attachmentGuidFromState(),
            taskGuid: taskGuidFromState(),
            url: true,
          }),
        }),
      ),
    );
}
