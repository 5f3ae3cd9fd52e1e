import { z } from 'zod';
import {
  ControlPlaneLimits as L,
  ControlPlaneSchemas as requests,
  FaultErrorSchema,
  ScopesSchema,
  SeedAttachmentSchema,
} from './control-plane.schemas.js';
import { SeedI18nText, SeedTaskTime } from './seed-task.schemas.js';

/*
 * The control plane's contract, written once: the request schemas (control-plane.schemas.ts, which
 * the handlers parse with), the answers' schemas below, and the route table with the prose a reader
 * needs. `controlPlaneOpenApiDocument()` turns them into openapi/control-plane.openapi.yaml, which
 * the emulator serves at GET /__mock/openapi.yaml and the inspector page's types are generated from.
 * Rewrite both after a change: node apps/mock-feishu/scripts/write-control-plane-openapi.mjs
 * (test/control-plane-openapi.spec.ts fails while the checked-in document is stale).
 */

/** A description: one line, or lines kept as written (a Markdown paragraph per blank line). */
type Prose = string | readonly string[];
const text = (prose: Prose): string => (typeof prose === 'string' ? prose : prose.join('\n'));

// ---- The answers ----------------------------------------------------------------------------

const Timestamp = z
  .number()
  .int()
  .min(0)
  .meta({ description: "Milliseconds since the epoch, on the emulator's clock." });

const logId = z.object({ log_id: z.string() });

/** Feishu's error body, which every refusal of the control plane uses too. */
const FeishuError = z.object({ code: z.number().int(), msg: z.string(), error: logId });

/** A body, query or path parameter refused: always 400 with code 1470400. */
const ValidationError = z.object({
  code: z.literal(1470400),
  msg: z.string().meta({ description: 'Names each field that was refused and why.' }),
  error: z.object({
    log_id: z.string().meta({
      description: '`yyyyMMddHHmmss` then 20 upper-case hex digits, as in the `X-Tt-Logid` header.',
    }),
  }),
});

const Health = z.object({ status: z.literal('ok'), now: Timestamp });

const ClockState = z.object({
  now: Timestamp,
  frozen: z.boolean().meta({ description: 'Whether time is stopped.' }),
});

const App = z.object({ app_id: z.string(), scopes: z.array(z.string()) });

const User = z.object({ name: z.string(), open_id: z.string(), union_id: z.string(), user_id: z.string() });

const UserAccessToken = z.object({
  access_token: z.string().meta({ description: 'A JWT-shaped token (`eyJ…`).' }),
  expires_in: z.number().int().meta({ description: 'Seconds; 7200.' }),
  refresh_token: z.string().meta({ description: 'Single use (`ur-…`).' }),
  refresh_token_expires_in: z.number().int().meta({ description: 'Seconds; 604800.' }),
  scope: z.string().meta({ description: 'Granted scopes separated by spaces.' }),
  token_type: z.enum(['Bearer']),
});

const AuthorizationCode = z.object({
  code: z.string().meta({ description: 'Valid 5 minutes, single use.' }),
});

const SeededTask = z.object({
  task_guid: z.string(),
  attachments: z.array(
    z.object({
      guid: z.string(),
      name: z.string(),
      size: z.number().int().meta({ description: 'Bytes stored.' }),
    }),
  ),
});

const FaultRule = z.object({
  id: z.number().int(),
  method: z.string().optional(),
  path: z.string().optional(),
  operation: z.string().optional(),
  remaining: z.number().int().meta({ description: 'Matching calls the rule will still catch.' }),
  action: z.object({
    error: z.object({ status: z.number().int(), code: z.number().int(), msg: z.string() }).optional(),
    delayMs: z.number().int().optional(),
    drop: z.boolean().optional(),
  }),
});

const FaultList = z.object({ items: z.array(FaultRule) });

const JournalEntry = z.object({
  id: z.number().int().meta({ description: 'Increases by one per recorded call.' }),
  at: Timestamp,
  method: z.string().meta({ description: 'Upper case.' }),
  path: z.string().meta({ description: 'Without the query string.' }),
  query: z
    .record(z.string(), z.unknown())
    .meta({ description: 'The parsed query; a repeated parameter is an array.' }),
  status: z
    .number()
    .int()
    .meta({ description: 'HTTP status; 0 when the connection was dropped before an answer.' }),
  code: z
    .number()
    .int()
    .optional()
    .meta({ description: 'Feishu `code` of the answer (0 for success), when it has one.' }),
  operation: z.string().optional().meta({ description: 'Absent for routes the emulator does not know.' }),
  caller: z
    .string()
    .optional()
    .meta({ description: '`app:<app_id>` or `user:<open_id>`, once the bearer check passed.' }),
  log_id: z.string(),
  duration_ms: z.number(),
  completed: z
    .boolean()
    .meta({ description: 'False when the response did not finish (dropped connection, client gone).' }),
});

const JournalList = z.object({ items: z.array(JournalEntry) });

const DownloadUrl = z.object({
  url: z.string().meta({ description: '`<publicUrl>/download/authcode/?code=…`; no Authorization needed.' }),
  attachment_guid: z.string(),
  issued_at: Timestamp,
  expires_at: Timestamp,
  uses_left: z.number().int().min(0).max(3),
  expired: z.boolean().meta({ description: '`now >= expires_at` on the emulator clock.' }),
});

const DownloadUrlList = z.object({
  items: z.array(DownloadUrl),
  has_more: z.boolean(),
  page_token: z
    .string()
    .optional()
    .meta({ description: 'Present while `has_more`; pass it to read the next page.' }),
});

const JournalBody = z.object({
  content_type: z.string().optional(),
  size: z.number().int().optional().meta({ description: 'Bytes on the wire (for a request, as declared).' }),
  json: z.unknown().optional().meta({ description: 'The parsed JSON body, credentials masked.' }),
  text: z.string().optional().meta({ description: 'A text body, or the start of a longer one.' }),
  truncated: z.boolean().optional(),
  parts: z
    .array(
      z.object({
        name: z.string(),
        filename: z.string().optional(),
        size: z.number().int(),
        content_type: z.string().optional(),
      }),
    )
    .optional(),
});

const JournalExchange = z.object({
  headers: z
    .record(z.string(), z.string())
    .meta({ description: 'Lower-case names; credentials masked as `***`.' }),
  body: JournalBody.optional(),
});

const DetailedJournalEntry = z.intersection(
  JournalEntry,
  z.object({
    detail: z
      .object({ request: JournalExchange, response: JournalExchange })
      .optional()
      .meta({ description: 'Present once the call has ended.' }),
  }),
);

const InspectedAttachment = z.object({
  guid: z.string(),
  name: z.string(),
  size: z.number().int(),
  content_type: z.string(),
  uploader: z.string(),
  uploaded_at: Timestamp,
});

const InspectedState = z.object({
  apps: z.array(App),
  users: z.array(User),
  tasks: z.array(
    z.object({
      guid: z.string(),
      task_id: z.string(),
      summary: z.string(),
      description: z.string(),
      creator: z.string(),
      members: z.array(z.object({ key: z.string(), role: z.string() })),
      status: z.enum(['todo', 'done']),
      completed_at: Timestamp.meta({ description: 'When it was completed; 0 while it is not.' }),
      due: Timestamp.optional().meta({ description: 'The due time, when set.' }),
      start: Timestamp.optional().meta({ description: 'The start time, when set.' }),
      parent_task_guid: z.string().optional().meta({ description: 'Set on a subtask.' }),
      subtask_count: z.number().int().min(0),
      created_at: Timestamp,
      updated_at: Timestamp,
      attachments: z.array(InspectedAttachment),
    }),
  ),
});

const OperationList = z.object({ items: z.array(z.string()) });

const SandboxId = z.string().meta({
  description:
    '`default` for the sandbox every emulator starts with; `sb` and 10 lower-case letters or digits for the others.',
});

const Sandbox = z.object({
  id: SandboxId,
  name: z.string().optional().meta({ description: 'The label it was created with, if any.' }),
  default: z.boolean().meta({ description: 'Whether it is the sandbox every emulator starts with.' }),
  created_at: z
    .number()
    .int()
    .min(0)
    // Not `Timestamp`: every sandbox has a clock of its own, so this one is the wall clock's.
    .meta({ description: 'Milliseconds since the epoch, on the wall clock.' }),
  app_id: z.string().meta({ description: "Its app's id: credentials of that app reach this sandbox." }),
  control_url: z.string().meta({
    description:
      'Its control base, `<publicUrl>/__mock/sandboxes/<id>`: every `/__mock` route under it works on this sandbox alone.',
  }),
});

const CreatedSandbox = z.intersection(
  Sandbox,
  z.object({
    app_secret: z.string().meta({ description: "Its app's secret: given in this answer only." }),
  }),
);

const SandboxList = z.object({
  items: z.array(Sandbox).meta({ description: 'The default sandbox first, then the others oldest first.' }),
  limit: z.number().int().min(1).meta({
    description: 'How many sandboxes besides the default one may live at once (`--max-sandboxes`).',
  }),
});

const DeletedSandbox = z.object({ id: SandboxId, deleted: z.literal(true) });

// The handler refuses an `app_id` without its `app_secret` (a refinement); JSON Schema can say so.
const SandboxRequest = requests.sandbox.meta({
  dependentRequired: { app_id: ['app_secret'], app_secret: ['app_id'] },
});

/** The document's named schemas (`#/components/schemas/<name>`), in the order it lists them. */
const COMPONENT_SCHEMAS: Record<string, z.ZodType> = {
  FeishuError,
  Error: ValidationError,
  Timestamp,
  Health,
  ClockState,
  ResetRequest: requests.reset,
  ClockChange: requests.clock,
  Scopes: ScopesSchema,
  AppRequest: requests.app,
  App,
  UserRequest: requests.user,
  User,
  CredentialRequest: requests.credential,
  UserAccessToken,
  AuthorizationCode,
  SeedTaskRequest: requests.task,
  TaskTime: SeedTaskTime,
  I18nText: SeedI18nText,
  SeedAttachment: SeedAttachmentSchema,
  SeededTask,
  FaultError: FaultErrorSchema,
  FaultRequest: requests.fault,
  FaultRule,
  FaultList,
  JournalEntry,
  JournalList,
  DownloadUrl,
  DownloadUrlList,
  RateLimitsState: requests.rateLimits,
  JournalBody,
  JournalExchange,
  DetailedJournalEntry,
  InspectedAttachment,
  InspectedState,
  OperationList,
  SandboxId,
  SandboxRequest,
  Sandbox,
  CreatedSandbox,
  SandboxList,
  DeletedSandbox,
};

// ---- Refusals -------------------------------------------------------------------------------

interface Header {
  description?: string;
  schema: z.ZodType;
}

/** One documented answer of an operation. */
export interface ControlPlaneAnswer {
  status: number;
  description: Prose;
  schema: z.ZodType;
  example: unknown;
  /** `application/json` unless said. */
  contentType?: string;
  headers?: Record<string, Header>;
}

const LOG_ID = '2026010100000089C1042F779606C5BCA5';
const refusal = (code: number, msg: string) => ({ code, msg, error: { log_id: LOG_ID } });

/** What any control call may be refused with (`#/components/responses/<name>`). */
export const CONTROL_PLANE_REFUSALS = {
  BadRequest: {
    status: 400,
    description:
      "The body or query did not match the operation's schema (or was no JSON), a path parameter was " +
      'malformed, or the body named a user that does not exist.',
    headers: { 'X-Tt-Logid': { description: 'The same value as `error.log_id`.', schema: z.string() } },
    schema: ValidationError,
    example: refusal(
      1470400,
      'Invalid control-plane request: open_id: Invalid input: expected string, received undefined',
    ),
  },
  Unauthorized: {
    status: 401,
    description:
      'The emulator has a control token (`--control-token`, or one it generated because it listens beyond ' +
      'loopback) and the call did not carry it as `Authorization: Bearer <token>` or the inspector cookie.',
    headers: {
      'WWW-Authenticate': { description: '`Bearer realm="mock-feishu control plane"`', schema: z.string() },
    },
    schema: FeishuError,
    example: refusal(
      99991661,
      'The control plane needs its control token: send Authorization: Bearer <control token>.',
    ),
  },
  Forbidden: {
    status: 403,
    description:
      "A browser sent an `Origin` that is not the emulator's own (a page on another site, or `null`). " +
      'Scripts, SDKs and curl send no `Origin`.',
    schema: FeishuError,
    example: refusal(
      99992402,
      "Forbidden: requests from web pages of another origin are refused (Origin 'https://example.com'). " +
        'Scripts, SDKs and curl send no Origin; the inspector page is served from the emulator itself.',
    ),
  },
  NotFound: {
    status: 404,
    description: 'Nothing with that id or guid (any more).',
    schema: FeishuError,
    example: refusal(1470404, 'The attachment does not exist or has been deleted.'),
  },
  Conflict: {
    status: 409,
    description:
      'An app or user with that id exists (send `"replace": true` to overwrite it); or, creating a sandbox, ' +
      'its `app_id` is held by another sandbox or `--max-sandboxes` sandboxes are live.',
    schema: FeishuError,
    example: refusal(
      1470400,
      'Conflict: app_id cli_reader already exists; send "replace": true to overwrite it.',
    ),
  },
  UnsupportedMediaType: {
    status: 415,
    description:
      'The call sent a body that is not `application/json` (a form, `text/plain`): control calls take ' +
      'a JSON body or none.',
    schema: FeishuError,
    example: refusal(
      1470400,
      'Unsupported Media Type: control-plane calls take an application/json body (or none).',
    ),
  },
  MisdirectedRequest: {
    status: 421,
    description:
      "The emulator listens on loopback and the `Host` was neither a loopback name nor its public URL's " +
      'host (a page on another site, or DNS rebinding).',
    schema: FeishuError,
    example: refusal(
      99992402,
      "Misdirected request: this emulator listens on loopback and answers only loopback names and its public URL's " +
        "host, not Host 'rebound.example' (a page on another site, or DNS rebinding).",
    ),
  },
} satisfies Record<string, ControlPlaneAnswer>;

export type ControlPlaneRefusal = keyof typeof CONTROL_PLANE_REFUSALS;

/** Refusals every route documents; a state-changing one also a body that is not JSON (415). */
const EVERY_ROUTE: ControlPlaneRefusal[] = ['BadRequest', 'Unauthorized', 'Forbidden', 'MisdirectedRequest'];

// ---- Routes ---------------------------------------------------------------------------------

const TAGS = [
  { name: 'health' },
  { name: 'state', description: "Reset and the emulator's clock." },
  { name: 'identity', description: 'Apps, users and their credentials.' },
  { name: 'seeding', description: 'Tasks and attachments put in without going through the emulated API.' },
  { name: 'faults', description: 'Failures injected into the next matching calls of the emulated surface.' },
  { name: 'journal', description: 'What clients sent to the emulated surface.' },
  { name: 'downloads', description: 'The temporary download URL ledger.' },
  { name: 'rate-limits' },
  { name: 'persistence', description: 'The durable store of an emulator started with `--data-dir`.' },
  {
    name: 'sandboxes',
    description:
      'Isolated tenants in one emulator, each steered through its own control base `/__mock/sandboxes/{id}`.',
  },
  { name: 'meta' },
] as const;

export interface ControlPlaneRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  /** With path parameters as `{name}`, as Nest's routes read in test/support/control-plane-routes.ts. */
  path: string;
  operationId: string;
  tag: (typeof TAGS)[number]['name'];
  summary: string;
  description: Prose;
  /** Documents the path parameters (the handler checks them itself). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; example: unknown; required?: false };
  /** The one success answer. */
  answer: ControlPlaneAnswer;
  /** Refusals beyond those every route documents. */
  refusals?: ('NotFound' | 'Conflict')[];
}

const faultId = z.object({
  id: z.number().int().min(1).meta({ description: "The rule's `id`, as `POST /__mock/faults` answered it." }),
});
const journalId = z.object({ id: z.number().int().min(1).meta({ description: "The entry's `id`." }) });
const attachmentGuid = z.object({ attachment_guid: z.string().meta({ format: 'uuid' }) });
const sandboxId = z.object({
  id: z
    .string()
    .meta({ description: "The sandbox's `id`, as `POST /__mock/sandboxes` answered it, or `default`." }),
});

const OPEN_ID = 'ou_7d8a6e6df7621556ce0d21922b676706';
const TASK_GUID = '556de70c-b1ae-4a47-97a9-797546760e92';
const ATTACHMENT_GUID = '76321cd0-8ea4-4fa8-a672-b474a6f162e4';
const INJECTED = { status: 500, code: 1470500, msg: 'Internal server error, please retry.' };
const SANDBOX = {
  id: 'sb4k2m9x0q7z',
  name: 'checkout-tests',
  default: false,
  created_at: 1767225600000,
  app_id: 'cli_checkout_tests',
  control_url: 'http://127.0.0.1:3100/__mock/sandboxes/sb4k2m9x0q7z',
};
const DEFAULT_SANDBOX = {
  id: 'default',
  default: true,
  created_at: 1767225000000,
  app_id: 'cli_mock_app',
  control_url: 'http://127.0.0.1:3100/__mock/sandboxes/default',
};

/** Every `/__mock` route, in the order the document lists them. */
export const CONTROL_PLANE_ROUTES: readonly ControlPlaneRoute[] = [
  {
    method: 'get',
    path: '/__mock/health',
    operationId: 'getHealth',
    tag: 'health',
    summary: 'Liveness check',
    description: [
      'Answers as soon as the emulator routes requests. A test harness or a container health check',
      "polls it before starting; `now` is the emulator's clock, which may differ from the wall clock.",
    ],
    answer: {
      status: 200,
      description: 'The emulator is up.',
      schema: Health,
      example: { status: 'ok', now: 1767225600000 },
    },
  },
  {
    method: 'post',
    path: '/__mock/reset',
    operationId: 'reset',
    tag: 'state',
    summary: 'Forget all state',
    description: [
      'Empties tasks, attachments (and their stored bytes), download URLs, rate-limit windows,',
      'fault rules and the journal, restores the configured rate-limit switch, then registers the',
      'default app again (with every scope, even with `keepTokens`) and reapplies the `seed` given at start. Tests call it in `beforeEach` so',
      "that they do not see each other's data.",
      '',
      'The clock goes back to wall-clock time and is unfrozen. Without `keepTokens` it also forgets',
      'every app, user and credential. With `keepTokens: true` apps, users, every issued token,',
      'refresh token and authorization code are kept, so a client that cached a tenant or user',
      'token keeps working across tests.',
      'The body may be omitted.',
    ],
    body: { schema: requests.reset, required: false, example: { keepTokens: true } },
    answer: {
      status: 200,
      description: 'State was reset.',
      schema: ClockState,
      example: { now: 1767225600000, frozen: false },
    },
  },
  {
    method: 'get',
    path: '/__mock/clock',
    operationId: 'getClock',
    tag: 'state',
    summary: "Read the emulator's clock",
    description: [
      'The emulator decides every expiry (access tokens, refresh tokens, authorization codes,',
      'download URLs, rate-limit windows) and every timestamp it writes (`uploaded_at`,',
      '`created_at`, log ids) against this clock, not against the wall clock.',
    ],
    answer: {
      status: 200,
      description: 'The current time.',
      schema: ClockState,
      example: { now: 1767225600000, frozen: false },
    },
  },
  {
    method: 'post',
    path: '/__mock/clock',
    operationId: 'setClock',
    tag: 'state',
    summary: 'Move the clock',
    description: [
      'Moves time instead of sleeping: `advanceMs` adds to the offset (e.g. 180000 to expire a',
      'download URL, 5400000 to reach the 30-minute tenant-token reissue window, 7200000 to expire',
      'a token); `setMs` sets the time outright and may move it backwards. Give at most one of the',
      'two. `freeze: true` stops time (applied before the move, so `{setMs, freeze: true}` stops it',
      'at `setMs`); `freeze: false` lets it run on with the wall clock (applied after the move).',
      'Unfrozen, the clock keeps running from the new time. Rate-limit windows are fixed windows',
      'aligned on this clock, so advancing it by a second opens a new per-second window; freeze it',
      'to count calls inside one window without the real second rolling over.',
    ],
    body: { schema: requests.clock, example: { advanceMs: 180000 } },
    answer: {
      status: 200,
      description: 'The time after the change.',
      schema: ClockState,
      example: { now: 1767225780000, frozen: false },
    },
  },
  {
    method: 'post',
    path: '/__mock/apps',
    operationId: 'createApp',
    tag: 'identity',
    summary: 'Register an app',
    description: [
      'Registers an app that can then get tenant and app access tokens from',
      '`/open-apis/auth/v3/{tenant,app}_access_token/internal`. `scopes` are the scopes the app was',
      'granted and are checked on calls made with its tenant token; leave one out to provoke',
      '99991672. Without `scopes` the app gets every scope the emulator checks',
      '(`task:attachment:read`, `task:attachment:write`, `task:task:read`, `task:task:write`).',
      'The default app (`cli_mock_app` / `mock_app_secret` unless configured) exists from the start.',
      'An `app_id` that exists (the default app included) is refused with 409 unless `replace: true`.',
    ],
    body: {
      schema: requests.app,
      example: { app_id: 'cli_reader', app_secret: 'reader_secret', scopes: ['task:attachment:read'] },
    },
    answer: {
      status: 201,
      description: 'The app as registered.',
      schema: App,
      example: { app_id: 'cli_reader', scopes: ['task:attachment:read'] },
    },
    refusals: ['Conflict'],
  },
  {
    method: 'post',
    path: '/__mock/users',
    operationId: 'createUser',
    tag: 'identity',
    summary: 'Create a user',
    description: [
      'Creates a user of the tenant. Ids that are not given are generated (`ou_…`, `on_…`, 8 hex',
      'digits). Give them to test `user_id_type`: task members and attachment uploaders come back',
      'as the requested id. A second user with the same `open_id` is refused with 409 unless',
      '`replace: true`, which replaces the first.',
    ],
    body: { schema: requests.user, example: { name: 'Alice' } },
    answer: {
      status: 201,
      description: 'The user with all three ids.',
      schema: User,
      example: {
        name: 'Alice',
        open_id: OPEN_ID,
        union_id: 'on_8ed6aa67826108097d9ee143816345b7',
        user_id: 'b79da61f',
      },
    },
    refusals: ['Conflict'],
  },
  {
    method: 'post',
    path: '/__mock/user-access-tokens',
    operationId: 'createUserAccessToken',
    tag: 'identity',
    summary: 'Issue a user access token directly',
    description: [
      'Issues a user access token (a JWT-shaped `eyJ…` string) and a single-use refresh token for an',
      'existing user, skipping the OAuth authorization-code exchange. The body of the answer is the',
      'one `POST /open-apis/authen/v2/oauth/token` returns, without its `code`. `app_id` defaults',
      'to the default app; `scopes` default to every scope the emulator checks. Leave a scope out to',
      'provoke 99991679. The access token lives 7200 s and the refresh token 604800 s on the',
      "emulator's clock. An unknown `app_id` or `open_id` is refused with 400.",
    ],
    body: { schema: requests.credential, example: { open_id: OPEN_ID, scopes: ['task:attachment:read'] } },
    answer: {
      status: 201,
      description: 'The issued tokens.',
      schema: UserAccessToken,
      example: {
        access_token:
          'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJvdV83ZDhhNmU2ZGY3NjIxNTU2Y2UwZDIxOTIyYjY3NjcwNiJ9.Qm9hcmRHYW1lc0FyZUZ1bkFuZFRoZXlBcmVGcmVlMTIz',
        expires_in: 7200,
        refresh_token: 'ur-Z2l0aHViLmNvbS9mZWlzaHUtYXR0YWNobWVudHMvbW9jaw',
        refresh_token_expires_in: 604800,
        scope: 'task:attachment:read',
        token_type: 'Bearer',
      },
    },
  },
  {
    method: 'post',
    path: '/__mock/authorization-codes',
    operationId: 'createAuthorizationCode',
    tag: 'identity',
    summary: 'Issue an OAuth authorization code',
    description: [
      "Issues the code a user's browser would bring back from Feishu's consent page, so a test can",
      "drive its client's real exchange at `POST /open-apis/authen/v2/oauth/token`",
      "(`grant_type: authorization_code`). The code is valid for 5 minutes on the emulator's clock",
      'and can be exchanged once, by the app it was issued for. `app_id` and `scopes` default as for',
      'user access tokens.',
    ],
    body: { schema: requests.credential, example: { open_id: OPEN_ID } },
    answer: {
      status: 201,
      description: 'The code.',
      schema: AuthorizationCode,
      example: { code: '9neKN6QYJBOK7GSwJ5IAdxjARVEvjK4v' },
    },
  },
  {
    method: 'post',
    path: '/__mock/tasks',
    operationId: 'seedTask',
    tag: 'seeding',
    summary: 'Create a task, with attachments, without the emulated API',
    description: [
      'Puts a task in, owned by the default app unless `creator_open_id` names a user, with members',
      'given by open_id (or app_id), and optionally attachments whose bytes are given inline (`utf8`',
      'text or `base64`). It bypasses tokens, scopes, permissions, rate limits and faults, so a test',
      'of listing or downloading does not have to upload first. Every field task create stores can be',
      "given in Feishu's spelling (`due`, `start`, `completed_at`, `extra`, `repeat_rule`,",
      '`custom_complete`, `origin`, `mode`, `is_milestone`, `reminders`, `tasklists`, `custom_fields`),',
      'within the same limits and rules (a reminder needs `due`; `start` is not after `due`), and',
      '`parent_task_guid` seeds a subtask of an existing task. Attachments are stored in the order',
      "given; an attachment's uploader is the default app unless `uploader_open_id` names a user.",
      'Every open_id must belong to a user created before. Not atomic: when an attachment is refused',
      'the task and the attachments before it stay.',
    ],
    body: {
      schema: requests.task,
      example: {
        summary: 'Quarterly report',
        creator_open_id: OPEN_ID,
        members: [{ open_id: 'ou_0a6ab4c1a5e1b0c48bd3a0b4c4bb2d51', role: 'assignee' }],
        due: { timestamp: '1767225600000', is_all_day: false },
        reminders: [{ relative_fire_minute: 30 }],
        extra: '{"ticket":"OPS-1"}',
        attachments: [
          { name: 'notes.txt', content: 'hello' },
          { name: 'pixel.png', content: 'iVBORw0KGgo=', encoding: 'base64', content_type: 'image/png' },
        ],
      },
    },
    answer: {
      status: 201,
      description: "The task's guid and the stored attachments, in the order given.",
      schema: SeededTask,
      example: {
        task_guid: TASK_GUID,
        attachments: [
          { guid: ATTACHMENT_GUID, name: 'notes.txt', size: 5 },
          { guid: '0c6b1f9e-2f44-4a0e-9d61-5d1a0f0b8e11', name: 'pixel.png', size: 8 },
        ],
      },
    },
  },
  {
    method: 'post',
    path: '/__mock/faults',
    operationId: 'addFault',
    tag: 'faults',
    summary: 'Make the next matching calls fail',
    description: [
      'Adds a rule that the gateway applies to the next `times` calls of the emulated surface that',
      'match every given criterion (`method`; `path`, exact or with `*` for any run of characters;',
      "`operation`, the emulator's name for an endpoint). Faults run before the bearer check, scopes",
      'and rate limits, and never apply to `/__mock`. A test uses them to see its client retry on a',
      '500, give up on a 403, back off on a 429, or time out: `error` answers with that status and',
      'Feishu body `{code, msg, error: {log_id}}`; `delayMs` holds the call until the emulator clock',
      'has moved that far (real time on a running clock; on a frozen clock, until `POST',
      '/__mock/clock` advances it), then runs it, or the error; `drop: true` destroys the',
      'connection without an answer.',
      'Rules are tried in the order added; the first match takes the call and is removed once used',
      '`times` times.',
      '',
      'Operation names (any other is refused with a 400 that lists these): `auth.tenantAccessToken`,',
      '`auth.appAccessToken`, `authen.oauthToken`, `authen.oidcAccessToken`,',
      '`authen.oidcRefreshAccessToken`, `task.create`, `task.get`, `task.patch`, `task.delete`,',
      '`task.list`, `task.addMembers`, `task.removeMembers`, `subtask.create`, `subtask.list`,',
      "`attachment.upload`, `attachment.list`, `attachment.get`, `attachment.delete`, `download`. An error's status is",
      '400–599 (or 200 with a non-zero code) and its headers must be writable (RFC 9110 token names, no CR, LF or other control',
      'characters in values).',
    ],
    body: { schema: requests.fault, example: { operation: 'attachment.list', times: 2, error: INJECTED } },
    answer: {
      status: 201,
      description: 'The stored rule.',
      schema: FaultRule,
      example: { id: 1, operation: 'attachment.list', remaining: 2, action: { error: INJECTED } },
    },
  },
  {
    method: 'get',
    path: '/__mock/faults',
    operationId: 'listFaults',
    tag: 'faults',
    summary: 'List the fault rules not used up yet',
    description:
      'A test checks that its client made exactly the calls a rule was meant to catch (`remaining` counts down).',
    answer: {
      status: 200,
      description: 'Rules in the order they are tried.',
      schema: FaultList,
      example: {
        items: [
          {
            id: 2,
            method: 'GET',
            path: '/open-apis/task/v2/attachments/*',
            remaining: 1,
            action: { drop: true },
          },
        ],
      },
    },
  },
  {
    method: 'delete',
    path: '/__mock/faults',
    operationId: 'clearFaults',
    tag: 'faults',
    summary: 'Remove every fault rule',
    description: 'Undoes rules a test added but did not use up.',
    answer: { status: 200, description: 'No rules remain.', schema: FaultList, example: { items: [] } },
  },
  {
    method: 'get',
    path: '/__mock/requests',
    operationId: 'listRequests',
    tag: 'journal',
    summary: 'Read the journal of calls to the emulated surface',
    description: [
      'Every call outside `/__mock` is recorded once it is answered (or dropped), oldest first, in a',
      'ring of the last 1000 calls (`journalSize`, at most 10000). A test asserts what its client sent: how many calls, to which',
      'operation, with which query, as which caller, and what the emulator answered. Tokens are',
      'never recorded; `caller` names the app or user behind them. Filters combine; `limit` keeps',
      'the newest N matches. No other query parameter is accepted.',
    ],
    query: requests.journalQuery,
    answer: {
      status: 200,
      description: 'Matching entries, oldest first.',
      schema: JournalList,
      example: {
        items: [
          {
            id: 7,
            at: 1767225600123,
            method: 'GET',
            path: '/open-apis/task/v2/attachments',
            query: { resource_id: TASK_GUID, page_size: '2' },
            status: 200,
            code: 0,
            operation: 'attachment.list',
            caller: 'app:cli_mock_app',
            log_id: '20260101000000D07AA636C95EC369E56E',
            duration_ms: 1.34,
            completed: true,
          },
        ],
      },
    },
  },
  {
    method: 'delete',
    path: '/__mock/requests',
    operationId: 'clearRequests',
    tag: 'journal',
    summary: 'Empty the journal',
    description: 'Lets a test count only the calls made after this point.',
    answer: {
      status: 200,
      description: 'The journal is empty.',
      schema: JournalList,
      example: { items: [] },
    },
  },
  {
    method: 'delete',
    path: '/__mock/faults/{id}',
    operationId: 'removeFault',
    tag: 'faults',
    summary: 'Remove one fault rule',
    description: "Takes back one armed rule, leaving the others in place (the inspector's remove button).",
    params: faultId,
    answer: { status: 200, description: 'The rules still armed.', schema: FaultList, example: { items: [] } },
    refusals: ['NotFound'],
  },
  {
    method: 'get',
    path: '/__mock/requests/{id}',
    operationId: 'getRequest',
    tag: 'journal',
    summary: 'One journal entry with what was sent and answered',
    description: [
      'The entry as `GET /__mock/requests` lists it, plus `detail` once the call has ended: request',
      'and response headers, JSON bodies (parsed), the start of other text bodies, and for a',
      "multipart body each part's name, filename, size and content type (never its bytes). Bodies",
      'are kept up to 16 KiB each (`truncated` says a text was cut), so the journal stays bounded.',
      'Credentials are masked as `***`: the `Authorization` value after its scheme, cookies, and JSON',
      'fields named `*access_token`, `*refresh_token`, `*secret` or a string `code`.',
    ],
    params: journalId,
    answer: {
      status: 200,
      description: 'The entry.',
      schema: DetailedJournalEntry,
      example: {
        id: 7,
        at: 1767225600000,
        method: 'GET',
        path: '/open-apis/task/v2/attachments',
        query: { resource_type: 'task', resource_id: TASK_GUID },
        status: 500,
        code: 1470500,
        operation: 'attachment.list',
        log_id: LOG_ID,
        duration_ms: 1.2,
        completed: true,
        detail: {
          request: { headers: { authorization: 'Bearer ***', accept: 'application/json' } },
          response: {
            headers: { 'content-type': 'application/json; charset=utf-8', 'x-tt-logid': LOG_ID },
            body: {
              content_type: 'application/json; charset=utf-8',
              size: 88,
              json: { code: 1470500, msg: 'injected fault', error: { log_id: LOG_ID } },
            },
          },
        },
      },
    },
    refusals: ['NotFound'],
  },
  {
    method: 'get',
    path: '/__mock/download-urls',
    operationId: 'listDownloadUrls',
    tag: 'downloads',
    summary: 'Read the temporary download URL ledger',
    description: [
      'Every attachment list or get call mints a fresh download URL per attachment, valid for 3',
      "minutes and 3 downloads (Feishu's rule). This ledger shows each URL issued, oldest first,",
      'with the uses left and whether it has expired, so a test can check that its client does not',
      'waste uses, re-fetches a URL instead of reusing an expired one, or downloads at most three',
      'times. A `HEAD` on a URL does not take a use. The ledger keeps the newest 100000 URLs',
      '(older ones are forgotten and answer like unknown ones); URLs of a deleted attachment stay',
      "listed but are refused. It is read a page at a time, like Feishu's lists: `page_size`",
      '(default 50, at most 500), then `page_token` from the previous page while `has_more`.',
      '`order=desc` reads newest first.',
    ],
    query: requests.downloadUrlsQuery,
    answer: {
      status: 200,
      description: 'A page of issued URLs, oldest first unless `order=desc`.',
      schema: DownloadUrlList,
      example: {
        items: [
          {
            url: 'http://127.0.0.1:3100/download/authcode/?code=NhE2W2MLKk_NnkeqRXUiWytoXlmiWeK8',
            attachment_guid: ATTACHMENT_GUID,
            issued_at: 1767225600000,
            expires_at: 1767225780000,
            uses_left: 2,
            expired: false,
          },
        ],
        has_more: false,
      },
    },
  },
  {
    method: 'get',
    path: '/__mock/rate-limits',
    operationId: 'getRateLimits',
    tag: 'rate-limits',
    summary: "Whether Feishu's rate limits are enforced",
    description: 'On by default (`--no-rate-limits` turns them off at start).',
    answer: {
      status: 200,
      description: 'The switch.',
      schema: requests.rateLimits,
      example: { enabled: true },
    },
  },
  {
    method: 'put',
    path: '/__mock/rate-limits',
    operationId: 'setRateLimits',
    tag: 'rate-limits',
    summary: 'Turn rate limits on or off',
    description: [
      'A load test turns them off; a test of 429 handling turns them on. Limits count per operation',
      "and app in fixed windows on the emulator's clock. A reset restores the configured setting.",
    ],
    body: { schema: requests.rateLimits, example: { enabled: false } },
    answer: {
      status: 200,
      description: 'The switch after the change.',
      schema: requests.rateLimits,
      example: { enabled: false },
    },
  },
  {
    method: 'get',
    path: '/__mock/snapshot',
    operationId: 'exportSnapshot',
    tag: 'persistence',
    summary: 'Export the whole state as one snapshot file',
    description: [
      'Apps, users, tokens, OAuth codes, tasks, attachments with their bytes, download URLs with their',
      'uses left, the clock and the counters, as one SQLite file (a consistent copy taken with',
      '`VACUUM INTO`, plus a `snapshot_blobs` table holding the bytes). Check it into a repository as a',
      'fixture and start an emulator from it with `--import FILE` (or `importFile`). Only an emulator',
      'with a data dir has a durable store to export; one without answers 400.',
    ],
    answer: {
      status: 200,
      description: 'The snapshot. `X-Mock-Feishu-Attachments` says how many attachments it holds.',
      contentType: 'application/vnd.sqlite3',
      headers: { 'X-Mock-Feishu-Attachments': { schema: z.number().int().min(0) } },
      schema: z.string().meta({ format: 'binary' }),
      example: 'SQLite format 3 (binary)',
    },
  },
  {
    method: 'get',
    path: '/__mock/state',
    operationId: 'getState',
    tag: 'state',
    summary: 'Everything stored, at a glance',
    description: [
      'Apps (without secrets), users, and every task (subtasks too) with its members, status, times',
      'and attachments, oldest first.',
      'Members, creators and uploaders are `app:<app_id>` or `user:<open_id>`.',
    ],
    answer: {
      status: 200,
      description: 'The state.',
      schema: InspectedState,
      example: {
        apps: [{ app_id: 'cli_mock_app', scopes: ['task:attachment:read'] }],
        users: [{ name: 'Alice', open_id: 'ou_alice', union_id: 'on_alice', user_id: 'u_alice' }],
        tasks: [
          {
            guid: TASK_GUID,
            task_id: 't100001',
            summary: 'Demo task',
            description: '',
            creator: 'app:cli_mock_app',
            members: [{ key: 'user:ou_alice', role: 'assignee' }],
            status: 'todo',
            completed_at: 0,
            due: 1767312000000,
            subtask_count: 0,
            created_at: 1767225600000,
            updated_at: 1767225600000,
            attachments: [
              {
                guid: ATTACHMENT_GUID,
                name: 'notes.txt',
                size: 5,
                content_type: 'text/plain',
                uploader: 'app:cli_mock_app',
                uploaded_at: 1767225600000,
              },
            ],
          },
        ],
      },
    },
  },
  {
    method: 'get',
    path: '/__mock/operations',
    operationId: 'listOperations',
    tag: 'faults',
    summary: 'The operation names of the emulated surface',
    description:
      "The names fault rules, rate limits and journal entries use, read from the emulator's own routes.",
    answer: {
      status: 200,
      description: 'Names, sorted.',
      schema: OperationList,
      example: { items: ['attachment.list', 'attachment.upload', 'download'] },
    },
  },
  {
    method: 'post',
    path: '/__mock/attachments/{attachment_guid}/download-urls',
    operationId: 'createDownloadUrl',
    tag: 'downloads',
    summary: 'Mint a fresh download URL for an attachment',
    description: [
      "The same URL a list or get call would hand out (3 minutes, 3 uses on the emulator's clock),",
      'without a Feishu caller or its permission checks. Fetching it spends a use as any download does.',
    ],
    params: attachmentGuid,
    answer: {
      status: 201,
      description: 'The new URL.',
      schema: DownloadUrl,
      example: {
        url: 'http://127.0.0.1:3100/download/authcode/?code=OTdhZjQ4Y2E',
        attachment_guid: ATTACHMENT_GUID,
        issued_at: 1767225600000,
        expires_at: 1767225780000,
        uses_left: 3,
        expired: false,
      },
    },
    refusals: ['NotFound'],
  },
  {
    method: 'delete',
    path: '/__mock/attachments/{attachment_guid}',
    operationId: 'deleteAttachment',
    tag: 'seeding',
    summary: 'Delete an attachment as an operator',
    description:
      'Removes the attachment and its bytes, whoever uploaded it; its URLs then answer as unknown.',
    params: attachmentGuid,
    answer: {
      status: 200,
      description: 'The deleted attachment.',
      schema: InspectedAttachment,
      example: {
        guid: ATTACHMENT_GUID,
        name: 'notes.txt',
        size: 5,
        content_type: 'text/plain',
        uploader: 'app:cli_mock_app',
        uploaded_at: 1767225600000,
      },
    },
    refusals: ['NotFound'],
  },
  {
    method: 'post',
    path: '/__mock/sandboxes',
    operationId: 'createSandbox',
    tag: 'sandboxes',
    summary: 'Create a sandbox: an isolated tenant with its own app',
    description: [
      'A sandbox has its own apps, users, tokens, tasks, attachments, download URLs, clock, fault',
      'rules, rate-limit windows and journal; nothing in one is visible from another. Its app (given',
      'here, or generated) exchanges its secret for tokens at the usual',
      '`/open-apis/auth/v3/{tenant,app}_access_token/internal`, and every call made with those tokens,',
      'and every download URL they obtain, stays in the sandbox. The body may be omitted.',
      '',
      'Steer it through `control_url` (`/__mock/sandboxes/{id}`): every `/__mock` route below that',
      'base works on this sandbox alone, e.g. `POST /__mock/sandboxes/{id}/tasks` seeds a task in it',
      'and `POST /__mock/sandboxes/{id}/reset` resets only it. Sandboxes do not nest (a sandbox',
      "route under a control base is a 400). This answer is the only one that carries the app's secret.",
      'Past `--max-sandboxes` live sandboxes, or with an `app_id` another sandbox holds, it is a 409.',
    ],
    body: {
      schema: SandboxRequest,
      required: false,
      example: { name: 'checkout-tests', app_id: 'cli_checkout_tests', app_secret: 'checkout_secret' },
    },
    answer: {
      status: 201,
      description: 'The new sandbox, with its app secret.',
      schema: CreatedSandbox,
      example: { ...SANDBOX, app_secret: 'checkout_secret' },
    },
    refusals: ['Conflict'],
  },
  {
    method: 'get',
    path: '/__mock/sandboxes',
    operationId: 'listSandboxes',
    tag: 'sandboxes',
    summary: 'List the live sandboxes',
    description: 'The default sandbox first, then the others oldest first; no app secrets.',
    answer: {
      status: 200,
      description: 'Every live sandbox and the limit on them.',
      schema: SandboxList,
      example: { items: [DEFAULT_SANDBOX, { ...SANDBOX }], limit: 64 },
    },
  },
  {
    method: 'get',
    path: '/__mock/sandboxes/{id}',
    operationId: 'getSandbox',
    tag: 'sandboxes',
    summary: 'One sandbox',
    description: 'As `GET /__mock/sandboxes` lists it; a deleted or unknown id is a 404.',
    params: sandboxId,
    answer: { status: 200, description: 'The sandbox.', schema: Sandbox, example: SANDBOX },
    refusals: ['NotFound'],
  },
  {
    method: 'delete',
    path: '/__mock/sandboxes/{id}',
    operationId: 'deleteSandbox',
    tag: 'sandboxes',
    summary: 'Delete a sandbox and everything in it',
    description: [
      'Frees all it held (with a data dir, its folder too). Afterwards its tokens, download URLs and',
      'control base answer as unknown ones. The default sandbox cannot be deleted (400); reset it',
      'with `POST /__mock/reset` instead.',
    ],
    params: sandboxId,
    answer: {
      status: 200,
      description: 'The sandbox is gone.',
      schema: DeletedSandbox,
      example: { id: SANDBOX.id, deleted: true },
    },
    refusals: ['NotFound'],
  },
  {
    method: 'get',
    path: '/__mock/openapi.yaml',
    operationId: 'getOpenApiDocument',
    tag: 'meta',
    summary: 'This document',
    description:
      'Lets a tool generate a control-plane client, or a reader see what the running emulator offers.',
    answer: {
      status: 200,
      description: 'The OpenAPI 3.1 document as YAML.',
      contentType: 'application/yaml',
      schema: z.string(),
      example: 'openapi: 3.1.0\ninfo:\n  title: mock-feishu control plane\n',
    },
  },
];

/** `METHOD /path`, as test/support/control-plane-routes.ts names Nest's routes. */
export const routeKey = (route: ControlPlaneRoute): string => `${route.method.toUpperCase()} ${route.path}`;

/** The refusals a route documents: those of every route, 415 if it changes state, and its own. */
export function refusalsOf(route: ControlPlaneRoute): ControlPlaneRefusal[] {
  return [
    ...EVERY_ROUTE,
    ...(route.method === 'get' ? [] : ['UnsupportedMediaType' as const]),
    ...(route.refusals ?? []),
  ];
}

/** Every answer a route documents, by status: its success and its refusals. */
export function answersOf(route: ControlPlaneRoute): Map<number, ControlPlaneAnswer> {
  const answers = [route.answer, ...refusalsOf(route).map((name) => CONTROL_PLANE_REFUSALS[name])];
  return new Map(answers.sort((a, b) => a.status - b.status).map((answer) => [answer.status, answer]));
}

// ---- The document ---------------------------------------------------------------------------

const INFO = {
  title: 'mock-feishu control plane',
  version: '1.0.0',
  description: text([
    'Test controls of the mock-feishu emulator, served under `/__mock`. They are kept apart from the',
    'emulated Feishu surface (`/open-apis/...` and the `/download/authcode/` URLs): no bearer token, no',
    'scopes, no rate limits, no injected faults and no journal entries apply to them, and their bodies',
    "are plain JSON, not Feishu's `{code, msg, data}` envelope. Start the emulator with",
    '`--no-control-plane` (or `controlPlane: false`) to leave them out altogether.',
    '',
    'A test uses them to put state in (apps, users, tokens, tasks with attachments), to move time',
    'instead of sleeping, to make the next calls fail, and to read back what a client sent.',
    '',
    'Conventions:',
    '- Every response carries an `X-Tt-Logid` header, as the emulated surface does.',
    '- Request bodies are JSON (`Content-Type: application/json`). A body that does not match its',
    '  schema (a missing field, a wrong type, an unknown key where `additionalProperties` is false)',
    '  is refused with HTTP 400 and `{code: 1470400, msg, error: {log_id}}`; `msg` names each refused field.',
    "- Times are milliseconds since the epoch on the emulator's clock, as numbers.",
    '- `POST` routes that create something answer 201; `POST /__mock/reset` and `POST /__mock/clock` answer 200.',
    '- An unknown `/__mock` path answers 404 `text/plain` `404 page not found`, like the emulated gateway.',
    '- Started with `--control-token <t>` (`MOCK_FEISHU_CONTROL_TOKEN`, `controlToken`), every route here',
    '  needs `Authorization: Bearer <t>` and answers 401 `{code: 99991661, msg, error: {log_id}}` without it.',
    '  The routes are open without a token only on loopback (127.0.0.0/8, ::1, `localhost`, the default):',
    '  bound to any other address (e.g. `--host 0.0.0.0`) with no token given, the emulator generates a',
    '  random one at start and prints it once.',
    '- What only a web page on another site sends is refused before anything else: an `Origin` that is not',
    "  the emulator's own with 403, a `Host` that is no loopback name (while it listens on loopback) with 421,",
    '  and a `POST`, `PUT` or `DELETE` whose body is not `application/json` with 415.',
    `- Bodies and queries are bounded: ids, names and scopes at most ${L.maxShortText} characters, at most ${L.maxScopes} scopes,`,
    `  members or seeded attachments, fault delays at most ${L.maxFaultDelayMs} ms, fault \`times\` 1–${L.maxFaultTimes}.`,
    '- `POST /__mock/apps` and `POST /__mock/users` refuse an `app_id` or `open_id` that exists with 409',
    '  `{code: 1470400, msg, error: {log_id}}` unless the body says `"replace": true`.',
    '- The inspector page is served at `/__mock/ui/` (HTML, not part of this API); with a control token',
    "  it is opened once as `/__mock/ui/?token=<t>`, which sets a cookie the page's calls carry.",
    '',
    "Sandboxes: every route here is also served under a sandbox's control base,",
    '`/__mock/sandboxes/{sandbox_id}`, where it works on that sandbox alone: `GET',
    '/__mock/sandboxes/{sandbox_id}/state` is `GET /__mock/state` of that sandbox, and so on for every',
    'path below except the `/__mock/sandboxes` routes themselves (sandboxes do not nest: 400). The',
    'plain `/__mock/...` paths work on the sandbox with id `default`. The scoped paths are not listed',
    'separately: each takes the same parameters, bodies and answers as the path it scopes, and an unknown',
    '`sandbox_id` is a 404 before any route runs. `control_url` in a sandbox answer is that base.',
  ]),
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Drops what zod writes but the document does not need: `$schema`/`$id` and safe-integer bounds. */
function tidy(node: unknown): Json {
  if (Array.isArray(node)) return node.map(tidy);
  if (node === null || typeof node !== 'object') return node as Json;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === '$id') continue;
    if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    // Every JSON object key is a string: `propertyNames: {type: string}` says nothing.
    if (key === 'propertyNames' && JSON.stringify(value) === '{"type":"string"}') continue;
    out[key] = tidy(value);
  }
  return out;
}

/**
 * The control plane's OpenAPI 3.1 document, as a plain object. Request schemas are written as what
 * a client may send (`io: 'input'`: a field with a default is optional).
 */
export function controlPlaneOpenApiDocument(): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENT_SCHEMAS)) registry.add(schema, { id });
  const ref = (kind: 'schemas' | 'responses', id: string) => ({ $ref: `#/components/${kind}/${id}` });
  const converted = z.toJSONSchema(registry, { io: 'input', uri: (id) => ref('schemas', id).$ref });
  if ('__shared' in converted.schemas) throw new Error('a schema outside COMPONENT_SCHEMAS is shared');
  const inline = (schema: z.ZodType) => tidy(z.toJSONSchema(schema, { io: 'input' })) as JsonObject;
  const schemaOf = (schema: z.ZodType): Json => {
    const id = registry.get(schema)?.id;
    return id ? ref('schemas', id) : inline(schema);
  };

  const parameters = (where: 'path' | 'query', object: z.ZodObject): Json[] => {
    const json = inline(object) as { properties: Record<string, JsonObject>; required?: string[] };
    return Object.entries(json.properties).map(([name, { description, ...schema }]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      ...(description !== undefined && { description }),
      schema,
    }));
  };
  const headers = (given?: Record<string, Header>): JsonObject | undefined =>
    given &&
    Object.fromEntries(
      Object.entries(given).map(([name, header]) => [
        name,
        { ...(header.description && { description: header.description }), schema: schemaOf(header.schema) },
      ]),
    );
  const response = (answer: ControlPlaneAnswer): JsonObject => {
    const described = headers(answer.headers);
    return {
      description: text(answer.description),
      ...(described && { headers: described }),
      content: {
        [answer.contentType ?? 'application/json']: {
          schema: schemaOf(answer.schema),
          example: answer.example as Json,
        },
      },
    };
  };

  const paths: Record<string, JsonObject> = {};
  for (const route of CONTROL_PLANE_ROUTES) {
    const params = [
      ...(route.params ? parameters('path', route.params) : []),
      ...(route.query ? parameters('query', route.query) : []),
    ];
    const responses: [status: number, response: Json][] = [
      [route.answer.status, response(route.answer)],
      ...refusalsOf(route).map((name): [number, Json] => [
        CONTROL_PLANE_REFUSALS[name].status,
        ref('responses', name),
      ]),
    ];
    (paths[route.path] ??= {})[route.method] = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      description: text(route.description),
      ...(params.length > 0 && { parameters: params }),
      ...(route.body && {
        requestBody: {
          required: route.body.required ?? true,
          content: {
            'application/json': { schema: schemaOf(route.body.schema), example: route.body.example as Json },
          },
        },
      }),
      responses: Object.fromEntries(
        responses.sort(([a], [b]) => a - b).map(([status, described]) => [String(status), described]),
      ),
    };
  }

  return {
    openapi: '3.1.0',
    info: INFO,
    servers: [
      { url: 'http://127.0.0.1:3100', description: 'Default address of `mock-feishu` (`--port`, `--host`).' },
    ],
    tags: TAGS.map((tag) => ({ ...tag })),
    paths,
    components: {
      responses: Object.fromEntries(
        Object.entries(CONTROL_PLANE_REFUSALS).map(([name, answer]) => [name, response(answer)]),
      ),
      schemas: Object.fromEntries(
        Object.entries(converted.schemas).map(([id, schema]) => [id, tidy(schema)]),
      ),
    },
  };
}
