import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { z } from 'zod';
import { CONTROL_PLANE_OPENAPI_PATH } from '../src/http/control-plane/control-plane.controller.js';
import {
  answersOf,
  CONTROL_PLANE_REFUSALS,
  CONTROL_PLANE_ROUTES,
  routeKey,
  type ControlPlaneRefusal,
  type ControlPlaneRoute,
} from '../src/http/control-plane/control-plane.openapi.js';
import { startMockFeishu, type RunningMockFeishu } from '../src/index.js';
import { controlPlaneRoutes } from './support/control-plane-routes.js';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

/** The parts of a JSON Schema the tests read to build requests (validation is zod's, below). */
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  dependentRequired?: Record<string, string[]>;
}

interface MediaType {
  schema: JsonSchema;
  example?: unknown;
}

interface Response {
  $ref?: string;
  description?: string;
  content?: Record<string, MediaType>;
}

interface Operation {
  operationId?: string;
  description?: string;
  parameters?: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, Response>;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, Response> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const run = promisify(execFile);

// The controller serves exactly this file, so the test reads it from the path the controller uses.
const documentText = readFileSync(CONTROL_PLANE_OPENAPI_PATH, 'utf8');
const doc = parse(documentText) as OpenApiDocument;

/** `METHOD /path` for every operation in the document. */
function documentedRoutes(): Map<string, Operation> {
  const routes = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (HTTP_METHODS.includes(method)) routes.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return routes;
}

/** Follows a `$ref` inside the document. */
function resolve<T extends { $ref?: string }>(node: T): T {
  if (!node.$ref) return node;
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc);
  if (target === undefined) throw new Error(`unresolved $ref ${node.$ref}`);
  return resolve(target as T);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function operation(route: string): Operation {
  const found = documentedRoutes().get(route);
  if (!found) throw new Error(`${route} is not documented`);
  return found;
}

/** The one 2xx status an operation documents. */
function success(route: string): number {
  const statuses = Object.keys(operation(route).responses).filter((status) => /^2\d\d$/.test(status));
  if (statuses.length !== 1) throw new Error(`${route} documents ${statuses.length} success responses`);
  return Number(statuses[0]);
}

/**
 * The route table entry the document was generated from (`it is generated from...` below keeps
 * the two the same), whose zod schemas check the answers: the document's schemas are theirs.
 */
function tableRoute(route: string): ControlPlaneRoute {
  const found = CONTROL_PLANE_ROUTES.find((candidate) => routeKey(candidate) === route);
  if (!found) throw new Error(`${route} is not in CONTROL_PLANE_ROUTES`);
  return found;
}

const issues = (schema: z.ZodType, value: unknown): string[] => {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `$.${issue.path.join('.')}: ${issue.message}`);
};

/** How an answer departs from what the document says for its route and status ([] when it does not). */
function undocumented(route: string, answer: { status: number; body: unknown }): string[] {
  if (!Object.hasOwn(operation(route).responses, String(answer.status)))
    return [`${route} documents no ${answer.status}`];
  const documented = answersOf(tableRoute(route)).get(answer.status);
  if (!documented) return [`${route} has no ${answer.status} in CONTROL_PLANE_ROUTES`];
  return documented.contentType ? [] : issues(documented.schema, answer.body);
}

/** Every string in a value, depth first. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isObject(value)) return Object.values(value).flatMap(strings);
  return [];
}

const splitRoute = (route: string) => route.split(' ') as [method: string, path: string];

describe('the control-plane OpenAPI document', () => {
  it('is generated from the zod schemas and route table (node apps/mock-feishu/scripts/write-control-plane-openapi.mjs rewrites it)', async () => {
    const script = join(__dirname, '..', 'scripts', 'write-control-plane-openapi.mjs');
    await expect(run(process.execPath, [script, '--check'])).resolves.toEqual(expect.anything());
  }, 60_000);

  it('is an OpenAPI 3.1 document titled for the control plane, with paths', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe('mock-feishu control plane');
    expect(doc.info.description).toMatch(/kept apart from the\s+emulated Feishu surface/);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
  });

  it('documents every route of the /__mock controllers with the same method, and no other route', () => {
    const actual = controlPlaneRoutes().sort();
    const documented = [...documentedRoutes().keys()].sort();
    expect(actual).toContain('GET /__mock/health');
    expect(actual).toContain('DELETE /__mock/sandboxes/{id}');
    expect(new Set(actual).size).toBe(actual.length);
    expect(documented).toEqual(actual);
  });

  it('gives every operation a unique operationId, a description and an example of each JSON body', () => {
    const ids = [...documentedRoutes().values()].map((op) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [route, op] of documentedRoutes()) {
      expect({ route, description: typeof op.description }).toEqual({ route, description: 'string' });
      const bodies = [
        ...Object.values(op.requestBody?.content ?? {}),
        ...Object.values(op.responses).flatMap((response) => Object.values(resolve(response).content ?? {})),
      ];
      for (const body of bodies)
        expect({ route, example: body.example !== undefined }).toEqual({ route, example: true });
    }
  });

  it('documents the 400 answer {code: 1470400, msg, error: {log_id}} for every operation that takes a body or query', () => {
    for (const [route, op] of documentedRoutes()) {
      const takesInput = op.requestBody !== undefined || op.parameters !== undefined;
      if (!takesInput) continue;
      expect({ route, documented: op.responses['400']?.$ref }).toEqual({
        route,
        documented: '#/components/responses/BadRequest',
      });
      expect(
        undocumented(route, { status: 400, body: { code: 1470400, msg: 'x', error: { log_id: 'y' } } }),
      ).toEqual([]);
      expect(undocumented(route, { status: 400, body: { code: 1470400, msg: 'x' } })).toEqual([
        '$.error: Invalid input: expected object, received undefined',
      ]);
      expect(
        undocumented(route, { status: 400, body: { code: 0, msg: 'x', error: { log_id: 'y' } } }),
      ).toEqual(['$.code: Invalid input: expected 1470400']);
    }
  });

  it('documents the refusals of every control call: 400, 401, 403 and 421, and 415 for a call that changes state', () => {
    for (const [route, op] of documentedRoutes()) {
      const refusals: Record<string, ControlPlaneRefusal> = {
        400: 'BadRequest',
        401: 'Unauthorized',
        403: 'Forbidden',
        421: 'MisdirectedRequest',
        ...(route.startsWith('GET ') ? {} : { 415: 'UnsupportedMediaType' }),
      };
      for (const [status, name] of Object.entries(refusals))
        expect({ route, status, response: op.responses[status] }).toEqual({
          route,
          status,
          response: { $ref: `#/components/responses/${name}` },
        });
    }
  });

  it('has examples that satisfy the schemas they illustrate', () => {
    for (const route of CONTROL_PLANE_ROUTES) {
      if (route.body)
        expect({ route: routeKey(route), problems: issues(route.body.schema, route.body.example) }).toEqual({
          route: routeKey(route),
          problems: [],
        });
      for (const [status, answer] of answersOf(route))
        expect({ route: routeKey(route), status, problems: issues(answer.schema, answer.example) }).toEqual({
          route: routeKey(route),
          status,
          problems: [],
        });
    }
  });
});

describe('the control plane against its document', () => {
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });

  afterAll(async () => {
    await feishu?.close();
  });

  beforeEach(async () => {
    await feishu.reset();
  });

  /** A seeded task with one attachment, listed once with a tenant token: a journal entry and a download URL. */
  async function seededAttachment(): Promise<string> {
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: { summary: 'seeded', attachments: [{ name: 'c.txt', content: 'c' }] },
    });
    return seeded.body.attachments[0].guid as string;
  }

  async function createSandbox(name: string): Promise<string> {
    const created = await feishu.call('POST', '/__mock/sandboxes', { json: { name } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function taskListedOnce(): Promise<string> {
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: { summary: 'listed', attachments: [{ name: 'a.txt', content: 'abc' }] },
    });
    const token = await feishu.tenantToken();
    const listed = await feishu.call('GET', '/open-apis/task/v2/attachments', {
      token,
      query: { resource_id: seeded.body.task_guid },
    });
    expect(listed.body.code).toBe(0);
    return seeded.body.task_guid as string;
  }

  it('serves the document at GET /__mock/openapi.yaml as YAML, byte for byte', async () => {
    const result = await feishu.call('GET', '/__mock/openapi.yaml');
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(result.text).toBe(documentText);
  });

  it('answers every documented route with one of the statuses documented for it, in the schema documented for it', async () => {
    for (const [route, op] of documentedRoutes()) {
      const [method, path] = splitRoute(route);
      const result = await feishu.call(method, path, op.requestBody ? { json: {} } : {});
      expect({ route, status: result.status, problems: undocumented(route, result) }).toEqual({
        route,
        status: result.status,
        problems: [],
      });
    }
  });

  it('GET /__mock/requests takes exactly the documented query parameters, and refuses others with 400/1470400', async () => {
    const route = 'GET /__mock/requests';
    const parameters = operation(route).parameters ?? [];
    const sample = (schema: JsonSchema) => (resolve(schema).type === 'integer' ? '1' : 'GET');
    const query = Object.fromEntries(
      parameters.filter((p) => p.in === 'query').map((p) => [p.name, sample(p.schema)]),
    );
    expect(Object.keys(query).sort()).toEqual(['limit', 'method', 'operation', 'path']);

    const accepted = await feishu.call('GET', '/__mock/requests', { query });
    expect(accepted.status).toBe(success(route));

    for (const broken of [
      { ...query, not_a_parameter: '1' },
      { ...query, limit: '0' },
    ]) {
      const refused = await feishu.call('GET', '/__mock/requests', { query: broken });
      expect({ broken, status: refused.status, code: refused.body.code }).toEqual({
        broken,
        status: 400,
        code: 1470400,
      });
      expect(undocumented(route, refused)).toEqual([]);
      expect(refused.body.msg).toMatch('not_a_parameter' in broken ? /not_a_parameter/ : /limit/);
    }
  });

  interface Case {
    route: string;
    /** The request to send, built after whatever state it needs. */
    request?: () => Promise<{ json?: unknown; query?: Record<string, string>; path?: string }>;
    /** An array in the answer that must not be empty, so its items get checked too. */
    nonEmpty?: string;
  }

  const cases: Case[] = [
    { route: 'GET /__mock/health' },
    { route: 'POST /__mock/reset', request: async () => ({ json: { keepTokens: true } }) },
    { route: 'GET /__mock/clock' },
    { route: 'POST /__mock/clock', request: async () => ({ json: { advanceMs: 1000 } }) },
    { route: 'POST /__mock/apps', request: async () => ({ json: { app_id: 'cli_other', app_secret: 's' } }) },
    { route: 'POST /__mock/users', request: async () => ({ json: { name: 'Alice' } }) },
    {
      route: 'POST /__mock/user-access-tokens',
      request: async () => ({
        json: { open_id: (await feishu.createUser('Bob')).open_id, scopes: ['task:task:read'] },
      }),
    },
    {
      route: 'POST /__mock/authorization-codes',
      request: async () => ({ json: { open_id: (await feishu.createUser('Carol')).open_id } }),
    },
    {
      route: 'POST /__mock/tasks',
      request: async () => {
        const user = await feishu.createUser('Dan');
        return {
          json: {
            summary: 'seeded',
            creator_open_id: user.open_id,
            members: [{ open_id: user.open_id, role: 'assignee' }],
            attachments: [
              { name: 'b.bin', content: 'AAEC', encoding: 'base64', uploader_open_id: user.open_id },
            ],
          },
        };
      },
      nonEmpty: 'attachments',
    },
    {
      route: 'POST /__mock/faults',
      request: async () => ({
        json: { method: 'get', path: '/open-apis/task/v2/*', error: { status: 500, code: 1470500 } },
      }),
    },
    {
      route: 'GET /__mock/faults',
      request: async () => {
        await feishu.call('POST', '/__mock/faults', {
          json: { operation: 'task.get', drop: true, times: 2 },
        });
        return {};
      },
      nonEmpty: 'items',
    },
    { route: 'DELETE /__mock/faults' },
    {
      route: 'GET /__mock/requests',
      request: async () => {
        const taskGuid = await taskListedOnce();
        // An authenticated call, so the optional caller and operation fields are present too.
        await feishu.call('GET', `/open-apis/task/v2/tasks/${taskGuid}`, {
          token: await feishu.tenantToken(),
        });
        return { query: { limit: '5' } };
      },
      nonEmpty: 'items',
    },
    { route: 'DELETE /__mock/requests' },
    {
      route: 'GET /__mock/download-urls',
      request: async () => {
        await taskListedOnce();
        return {};
      },
      nonEmpty: 'items',
    },
    { route: 'GET /__mock/rate-limits' },
    { route: 'PUT /__mock/rate-limits', request: async () => ({ json: { enabled: false } }) },
    {
      route: 'GET /__mock/state',
      request: async () => {
        await feishu.createUser('Erin');
        await taskListedOnce();
        return {};
      },
      nonEmpty: 'tasks',
    },
    { route: 'GET /__mock/operations', nonEmpty: 'items' },
    {
      route: 'GET /__mock/requests/{id}',
      request: async () => {
        await taskListedOnce();
        const [entry] = (await feishu.call('GET', '/__mock/requests', { query: { limit: '1' } })).body.items;
        return { path: `/__mock/requests/${entry.id}` };
      },
    },
    {
      route: 'POST /__mock/attachments/{attachment_guid}/download-urls',
      request: async () => ({ path: `/__mock/attachments/${await seededAttachment()}/download-urls` }),
    },
    {
      route: 'DELETE /__mock/attachments/{attachment_guid}',
      request: async () => ({ path: `/__mock/attachments/${await seededAttachment()}` }),
    },
    {
      route: 'DELETE /__mock/faults/{id}',
      request: async () => {
        const added = await feishu.call('POST', '/__mock/faults', {
          json: { operation: 'task.get', drop: true },
        });
        await feishu.call('POST', '/__mock/faults', { json: { operation: 'task.get', drop: true } });
        return { path: `/__mock/faults/${added.body.id}` };
      },
      nonEmpty: 'items',
    },
    { route: 'POST /__mock/sandboxes', request: async () => ({ json: { name: 'openapi case' } }) },
    {
      route: 'GET /__mock/sandboxes',
      request: async () => {
        await createSandbox('listed');
        return {};
      },
      nonEmpty: 'items',
    },
    {
      route: 'GET /__mock/sandboxes/{id}',
      request: async () => ({ path: `/__mock/sandboxes/${await createSandbox('read')}` }),
    },
    {
      route: 'DELETE /__mock/sandboxes/{id}',
      request: async () => ({ path: `/__mock/sandboxes/${await createSandbox('deleted')}` }),
    },
  ];

  it.each(cases.map((testCase) => [testCase.route, testCase] as const))(
    '%s answers with the documented status, in the schema documented for it',
    async (route, testCase) => {
      const status = success(route);
      const [method, documentedPath] = splitRoute(route);
      const { path = documentedPath, ...request } = (await testCase.request?.()) ?? {};
      const result = await feishu.call(method, path, request);
      expect({ status: result.status, body: result.body }).toEqual({ status, body: expect.anything() });
      if (testCase.nonEmpty) expect(result.body[testCase.nonEmpty].length).toBeGreaterThan(0);
      expect(undocumented(route, result)).toEqual([]);
    },
  );

  describe("under a sandbox's control base, as the document's description says", () => {
    const scoped = (sandboxId: string, path: string) =>
      path.replace(/^\/__mock/, `/__mock/sandboxes/${sandboxId}`);
    /** The documented routes a scoped call can reach without state: no path parameter, not a sandbox route. */
    const plainRoutes = () =>
      [...documentedRoutes().keys()].filter(
        (route) => !route.includes('{') && !splitRoute(route)[1].startsWith('/__mock/sandboxes'),
      );

    it('answers every other route with the status and schema documented for it, on that sandbox alone', async () => {
      const sandboxId = await createSandbox('scoped');
      expect(plainRoutes().length).toBeGreaterThan(10);
      for (const route of plainRoutes()) {
        const [method, path] = splitRoute(route);
        const result = await feishu.call(method, scoped(sandboxId, path), {
          json: operation(route).requestBody ? {} : undefined,
        });
        expect({ route, status: result.status, problems: undocumented(route, result) }).toEqual({
          route,
          status: result.status,
          problems: [],
        });
      }

      const seeded = await feishu.call('POST', scoped(sandboxId, '/__mock/tasks'), {
        json: { summary: 'only in the sandbox' },
      });
      expect(seeded.status).toBe(success('POST /__mock/tasks'));
      const summaries = async (path: string) =>
        (await feishu.call('GET', path)).body.tasks.map((task: { summary: string }) => task.summary);
      expect(await summaries(scoped(sandboxId, '/__mock/state'))).toEqual(['only in the sandbox']);
      expect(await summaries('/__mock/state')).not.toContain('only in the sandbox');
      expect(await summaries(scoped('default', '/__mock/state'))).toEqual(await summaries('/__mock/state'));
    });

    it('refuses an unknown sandbox with 404, and a sandbox route under a control base with 400', async () => {
      const unknown = await feishu.call('GET', scoped('sb0000000000', '/__mock/state'));
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 1470404 });
      const nested = await feishu.call('GET', scoped(await createSandbox('outer'), '/__mock/sandboxes'));
      expect({ status: nested.status, code: nested.body.code }).toEqual({ status: 400, code: 1470400 });
    });
  });

  const withExamples = [...documentedRoutes()]
    .filter(([, op]) => op.requestBody?.content['application/json']?.example !== undefined)
    .map(([route, op]) => [op.operationId as string, route] as const);

  it.each(withExamples)(
    '%s accepts its documented request example and refuses it with 400/1470400 once a rule is broken',
    async (_operationId, route) => {
      const [method, path] = splitRoute(route);
      const body = operation(route).requestBody?.content['application/json'] as MediaType;
      const example = body.example as Record<string, unknown>;
      // Examples name users by open_id; those users have to exist first.
      for (const openId of new Set(strings(example).filter((text) => text.startsWith('ou_')))) {
        await feishu.call('POST', '/__mock/users', { json: { name: openId, open_id: openId } });
      }
      const accepted = await feishu.call(method, path, { json: example });
      expect({ status: accepted.status, body: accepted.body }).toEqual({
        status: success(route),
        body: expect.anything(),
      });

      const refusals: { broken: Record<string, unknown>; names: string[] }[] = [];
      const schema = resolve(body.schema);
      const without = (keys: string[]) =>
        Object.fromEntries(Object.entries(example).filter(([key]) => !keys.includes(key)));
      for (const key of schema.required ?? []) refusals.push({ broken: without([key]), names: [key] });
      // "At least one of" (anyOf) and "exactly one of" (oneOf) groups of required fields.
      const groups = [
        ...(schema.allOf ?? []).map((part) => ({ alternatives: part.anyOf ?? [], exclusive: false })),
        ...(schema.oneOf ? [{ alternatives: schema.oneOf, exclusive: true }] : []),
      ];
      for (const { alternatives, exclusive } of groups) {
        const keys = alternatives.flatMap((alternative) => alternative.required ?? []);
        const present = keys.filter((key) => key in example);
        if (present.length === 0) continue;
        refusals.push({ broken: without(present), names: keys });
        const absent = keys.filter((key) => !(key in example));
        if (exclusive && absent.length > 0) {
          refusals.push({ broken: { ...example, [absent[0]]: example[present[0]] }, names: keys });
        }
      }
      // Fields that go together: one without the others.
      for (const [key, dependents] of Object.entries(schema.dependentRequired ?? {})) {
        const present = dependents.filter((dependent) => dependent in example);
        if (key in example && present.length > 0)
          refusals.push({ broken: without(present), names: [key, ...present] });
      }
      if (schema.additionalProperties === false) {
        refusals.push({
          broken: { ...example, not_a_documented_field: true },
          names: ['not_a_documented_field'],
        });
      }
      expect(refusals.length).toBeGreaterThan(0);

      for (const { broken, names } of refusals) {
        const refused = await feishu.call(method, path, { json: broken });
        expect({ broken, status: refused.status, code: refused.body.code }).toEqual({
          broken,
          status: 400,
          code: 1470400,
        });
        expect(undocumented(route, refused)).toEqual([]);
        expect(refused.body.error.log_id).toBe(refused.headers.get('x-tt-logid'));
        expect({
          broken,
          msg: refused.body.msg,
          namesTheRule: names.some((name) => refused.body.msg.includes(name)),
        }).toEqual({ broken, msg: refused.body.msg, namesTheRule: true });
      }
    },
  );
});

describe('the refusals the document gives every control call, as the emulator answers them', () => {
  const token = 'openapi-refusals-token';
  let guarded: RunningMockFeishu;

  beforeAll(async () => {
    guarded = await startMockFeishu({ port: 0, controlToken: token });
  });

  afterAll(async () => {
    await guarded?.close();
  });

  /** Straight to the emulator over node:http, which sends a foreign `Host` as given. */
  function send(route: string, headers: Record<string, string>, body?: string) {
    const [method, path] = splitRoute(route);
    return new Promise<{ status: number; body: unknown }>((done, fail) => {
      const sent = httpRequest({ host: '127.0.0.1', port: guarded.port, method, path, headers }, (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => {
          try {
            done({ status: answer.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            done({ status: answer.statusCode ?? 0, body: text });
          }
        });
      });
      sent.on('error', fail);
      sent.end(body);
    });
  }

  const bearer = { authorization: `Bearer ${token}` };
  it.each<{ refusal: ControlPlaneRefusal; route: string; headers: Record<string, string>; body?: string }>([
    { refusal: 'Unauthorized', route: 'GET /__mock/clock', headers: {} },
    {
      refusal: 'Forbidden',
      route: 'GET /__mock/clock',
      headers: { ...bearer, origin: 'https://example.com' },
    },
    {
      refusal: 'UnsupportedMediaType',
      route: 'POST /__mock/reset',
      headers: { ...bearer, 'content-type': 'text/plain' },
      body: 'keepTokens',
    },
    {
      refusal: 'MisdirectedRequest',
      route: 'GET /__mock/clock',
      headers: { ...bearer, host: 'rebound.example' },
    },
  ])('$refusal: $route', async ({ refusal, route, headers, body }) => {
    const answer = await send(route, headers, body);
    expect(answer.status).toBe(CONTROL_PLANE_REFUSALS[refusal].status);
    expect(undocumented(route, answer)).toEqual([]);
  });
});
