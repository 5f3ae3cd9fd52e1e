import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ACCESS_TOKEN_REISSUE_WINDOW_SECONDS,
  ACCESS_TOKEN_TTL_SECONDS,
  CLIENT_TOKEN_MAX_LENGTH,
  CLIENT_TOKEN_MIN_LENGTH,
  FeishuErrorCode,
  FeishuPath,
  MAX_FILE_BYTES,
  MAX_FILES_PER_UPLOAD,
  MAX_RESOURCE_ID_LENGTH,
  MAX_TASK_DESCRIPTION_LENGTH,
  MAX_TASK_EXTRA_LENGTH,
  MAX_TASK_REMINDERS,
  MAX_TASK_SUMMARY_LENGTH,
  PATCHABLE_TASK_FIELDS,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  PAGE_SIZE_MIN,
  RESOURCE_TYPES,
  Scope,
  USER_ID_TYPES,
} from '../src/wire/index.js';

const DOCUMENT_PATH = join(__dirname, '..', 'openapi', 'feishu-task-attachments.openapi.yaml');
const EMULATOR_SRC = join(__dirname, '..', '..', '..', 'apps', 'mock-feishu', 'src');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ValidateFunction {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}
interface Ajv2020 {
  addSchema(schema: object, key: string): Ajv2020;
  addFormat(name: string, format: boolean): Ajv2020;
  getSchema(ref: string): ValidateFunction | undefined;
}

// OpenAPI 3.1 schemas are JSON Schema 2020-12, which needs Ajv 8. The root `ajv` is Ajv 6 (eslint's);
// ajv-formats depends on Ajv 8, so resolving from it finds the copy Prism and Spectral also use.
const fromAjvFormats = createRequire(require.resolve('ajv-formats'));
const Ajv2020 = fromAjvFormats('ajv/dist/2020').default as new (options: object) => Ajv2020;
const addFormats = fromAjvFormats('ajv-formats').default as (ajv: Ajv2020) => void;

const doc = parse(readFileSync(DOCUMENT_PATH, 'utf8')) as JsonObject;
/** The extension that carries the emulator's stricter rules (its profile; tools/prism-referee applies it). */
const STRICT = 'x-mock-feishu-strict';
const ANSWERS_PATH = join(__dirname, 'fixtures', 'feishu-answers.json');
const DOCUMENT_ID = 'https://feishu-attachments.invalid/feishu-task-attachments.openapi.yaml';

function validator(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // `binary` is OpenAPI's marker for file bytes, not a string format to check.
  ajv.addFormat('binary', true);
  ajv.addSchema(structuredClone(doc), DOCUMENT_ID);
  return ajv;
}
const ajv = validator();

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const pointer = (path: (string | number)[]) =>
  `#/${path.map((part) => String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function at(path: (string | number)[]): Json {
  return path.reduce<Json>((node, key) => (node as JsonObject)[key as string], doc);
}

function resolve(node: Json): Json {
  if (isObject(node) && typeof node.$ref === 'string') {
    return resolve(at(node.$ref.replace(/^#\//, '').split('/')));
  }
  return node;
}

function problems(schemaPath: (string | number)[], value: unknown): string[] {
  const validate = ajv.getSchema(`${DOCUMENT_ID}${pointer(schemaPath)}`);
  if (!validate) throw new Error(`no schema at ${pointer(schemaPath)}`);
  return validate(value)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message}`);
}

/** `METHOD /path` → the operation's location in the document. */
function documentedOperations(): Map<string, string[]> {
  const operations = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths as JsonObject)) {
    for (const method of Object.keys(item as JsonObject)) {
      if (HTTP_METHODS.includes(method))
        operations.set(`${method.toUpperCase()} ${path}`, ['paths', path, method]);
    }
  }
  return operations;
}

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(path);
    return entry.name.endsWith('.controller.ts') ? [path] : [];
  });
}

interface EmulatorRoute {
  /** `METHOD /path`, with `{name}` path parameters as in the document. */
  route: string;
  /** The gateway's operation name (`@FeishuOperation` / `@PublicFeishuOperation`). */
  operation: string;
  /** Scopes of which any one admits the call; none for a public operation. */
  scopes: string[] | 'public';
}

/** `OperationScopes` of the emulator's gateway, resolved through the wire `Scope` names. */
function operationScopes(): Record<string, string[]> {
  const source = readFileSync(join(EMULATOR_SRC, 'http', 'gateway', 'feishu-operation.decorator.ts'), 'utf8');
  const block = /export const OperationScopes = \{([\s\S]*?)\} as const/.exec(source)?.[1];
  if (!block) throw new Error('OperationScopes not found in the emulator');
  return Object.fromEntries(
    [...block.matchAll(/(\w+): \[([^\]]*)\]/g)].map(([, name, list]) => [
      name,
      [...list.matchAll(/Scope\.(\w+)/g)].map(([, key]) => Scope[key as keyof typeof Scope]),
    ]),
  );
}

/**
 * The emulator's Feishu routes, read from its controllers' decorators: every route of the emulated
 * surface is declared with a `FeishuPath` key (the download URL with `DOWNLOAD_PATH`) and carries
 * the gateway's operation decorator. Reading the sources, not importing them, keeps this library
 * free of a dependency on the app.
 */
function emulatorRoutes(): EmulatorRoute[] {
  const downloadPath = /export const DOWNLOAD_PATH = '([^']+)'/.exec(
    readFileSync(join(EMULATOR_SRC, 'core', 'downloads', 'download-urls.service.ts'), 'utf8'),
  )?.[1];
  if (!downloadPath) throw new Error('DOWNLOAD_PATH not found in the emulator');
  const scopesOf = operationScopes();
  const routes: EmulatorRoute[] = [];
  for (const file of controllerFiles(EMULATOR_SRC)) {
    const source = readFileSync(file, 'utf8');
    const decorators = [
      ...source.matchAll(/@(Get|Post|Put|Patch|Delete|Head|All)\(\s*(FeishuPath\.(\w+)|DOWNLOAD_PATH)\s*\)/g),
    ];
    if (decorators.length === 0) continue;
    // A controller prefix would move every route; the Feishu controllers have none.
    expect({ file, prefix: /@Controller\(([^)]*)\)/.exec(source)?.[1] }).toEqual({ file, prefix: '' });
    decorators.forEach((decorator, index) => {
      const [, method, , key] = decorator;
      const path = key === undefined ? downloadPath : FeishuPath[key as keyof typeof FeishuPath];
      if (path === undefined) throw new Error(`${file}: FeishuPath.${key} does not exist`);
      const handler = source.slice(decorator.index, decorators[index + 1]?.index ?? source.length);
      const gateway = /@(Public)?FeishuOperation\('([^']+)'(?:,\s*OperationScopes\.(\w+))?\)/.exec(handler);
      if (!gateway) throw new Error(`${file}: ${method} ${path} has no gateway operation decorator`);
      const [, isPublic, operation, scopes] = gateway;
      routes.push({
        route: `${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`,
        operation,
        scopes: isPublic ? 'public' : scopesOf[scopes],
      });
    });
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

interface Example {
  where: string;
  schemaPath: (string | number)[];
  value: unknown;
}

/**
 * Every example in the document with the schema it illustrates: media-type `example` and
 * `examples`, parameter examples, and the `examples` arrays of schemas themselves.
 */
function examples(): Example[] {
  const found: Example[] = [];
  const walk = (node: Json, path: (string | number)[]) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...path, index]));
      return;
    }
    if (!isObject(node)) return;
    const inSchema = path.includes('schema') || (path[0] === 'components' && path[1] === 'schemas');
    if (node.schema !== undefined && !inSchema) {
      if (node.example !== undefined) {
        found.push({
          where: pointer([...path, 'example']),
          schemaPath: [...path, 'schema'],
          value: node.example,
        });
      }
      if (isObject(node.examples)) {
        for (const [name, example] of Object.entries(node.examples)) {
          const resolved = resolve(example) as JsonObject;
          found.push({
            where: pointer([...path, 'examples', name]),
            schemaPath: [...path, 'schema'],
            value: resolved.value,
          });
        }
      }
    }
    if (inSchema && Array.isArray(node.examples)) {
      node.examples.forEach((value, index) =>
        found.push({ where: pointer([...path, 'examples', index]), schemaPath: path, value }),
      );
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'example' && !(key === 'examples' && !inSchema)) walk(child, [...path, key]);
    }
  };
  walk(doc, []);
  return found;
}

/** Every Feishu `code` the document names: schema `const`/`enum` of a `code` property, and example bodies. */
function documentedCodes(): Set<number> {
  const codes = new Set<number>();
  const walk = (node: Json) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    const code = node.code;
    if (typeof code === 'number') codes.add(code);
    if (isObject(code)) {
      if (typeof code.const === 'number') codes.add(code.const);
      if (Array.isArray(code.enum))
        code.enum.forEach((value) => typeof value === 'number' && codes.add(value));
    }
    Object.values(node).forEach(walk);
  };
  walk(doc);
  return codes;
}

function jsonSchemaOf(method: string, path: string, status: string): (string | number)[] {
  const response = resolve(at(['paths', path, method, 'responses', status])) as JsonObject;
  const ref = (at(['paths', path, method, 'responses', status]) as JsonObject).$ref;
  const base =
    typeof ref === 'string'
      ? ref.replace(/^#\//, '').split('/')
      : ['paths', path, method, 'responses', status];
  expect(isObject(response.content) && isObject(response.content['application/json'])).toBe(true);
  return [...base, 'content', 'application/json', 'schema'];
}

describe('the Feishu OpenAPI document', () => {
  it('is OpenAPI 3.1.0 exactly, the one 3.1 version swagger-mock-validator accepts', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('names Feishu, Lark and the emulator as servers', () => {
    expect((doc.servers as JsonObject[]).map((server) => server.url)).toEqual([
      'https://open.feishu.cn',
      'https://open.larksuite.com',
      'http://127.0.0.1:3100',
    ]);
  });

  it('describes every route the emulator serves on the Feishu surface, and no other', () => {
    const served = emulatorRoutes().map((route) => route.route);
    const documented = [...documentedOperations().keys()].filter((route) => !route.startsWith('HEAD '));

    expect(documented.sort()).toEqual(served);
  });

  it('serves every path of FeishuPath and the download path', () => {
    const servedPaths = new Set(emulatorRoutes().map((route) => route.route.split(' ')[1]));
    const expected = [...Object.values(FeishuPath), '/download/authcode/'].map((path) =>
      path.replace(/:(\w+)/g, '{$1}'),
    );

    expect([...servedPaths].sort()).toEqual([...new Set(expected)].sort());
  });

  it('describes HEAD only for the download URL, which answers it without taking a use', () => {
    const heads = [...documentedOperations().keys()].filter((route) => route.startsWith('HEAD '));

    expect(heads).toEqual(['HEAD /download/authcode/']);
    expect(documentedOperations().has('GET /download/authcode/')).toBe(true);
  });

  it("names each operation as the emulator's gateway does, with the scopes it checks", () => {
    const operations = documentedOperations();
    const described = emulatorRoutes().map(({ route }) => {
      const operation = at(operations.get(route) ?? []) as JsonObject;
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      return {
        route,
        operation: operation['x-mock-feishu-operation'],
        scopes: isPublic ? 'public' : operation['x-feishu-scopes'],
      };
    });

    expect(described).toEqual(emulatorRoutes());
    // Sanity: the decorators were really read, public and scoped alike.
    expect(described).toContainEqual({
      route: 'GET /open-apis/task/v2/attachments',
      operation: 'attachment.list',
      scopes: [Scope.AttachmentRead, Scope.AttachmentWrite],
    });
    expect(described).toContainEqual({
      route: 'GET /download/authcode/',
      operation: 'download',
      scopes: 'public',
    });
  });

  it('gives every operation a unique operationId', () => {
    const ids = [...documentedOperations().values()].map((path) => (at(path) as JsonObject).operationId);

    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has at least one example for every JSON success answer', () => {
    const missing = [...documentedOperations()]
      .filter(([route]) => !route.startsWith('HEAD ') && route !== 'GET /download/authcode/')
      .filter(([, path]) => {
        const media = (resolve(at([...path, 'responses', '200'])) as JsonObject).content as JsonObject;
        const json = media['application/json'] as JsonObject;
        return json.example === undefined && json.examples === undefined;
      })
      .map(([route]) => route);

    expect(missing).toEqual([]);
  });

  it('has examples that all validate against their schemas', () => {
    const all = examples();
    const failures = all
      .map((example) => ({ where: example.where, problems: problems(example.schemaPath, example.value) }))
      .filter((result) => result.problems.length > 0);

    expect(failures).toEqual([]);
    // The walk must really find the examples, including the Feishu doc's get-attachment example.
    expect(all.length).toBeGreaterThan(40);
    expect(all.map((example) => example.value)).toContainEqual(
      expect.objectContaining({
        data: { attachment: expect.objectContaining({ guid: 'f860de3e-6881-4ddd-9321-070f36d1af0b' }) },
      }),
    );
  });

  it('uses only error codes of FeishuErrorCode, and all of them', () => {
    const catalogue = new Set<number>(Object.values(FeishuErrorCode));

    expect([...documentedCodes()].filter((code) => !catalogue.has(code))).toEqual([]);
    expect([...catalogue].filter((code) => !documentedCodes().has(code))).toEqual([]);
  });

  it('states the wire limits of the shared vocabulary', () => {
    const upload = resolve(
      at([
        'paths',
        FeishuPath.AttachmentUpload,
        'post',
        'requestBody',
        'content',
        'multipart/form-data',
        'schema',
      ]),
    ) as JsonObject;
    const fields = upload.properties as JsonObject;
    const file = fields.file as JsonObject;
    const listParameters = Object.fromEntries(
      (
        (at(['paths', FeishuPath.Attachments, 'get', 'parameters']) as Json[]).map(resolve) as JsonObject[]
      ).map((parameter) => [parameter.name, resolve(parameter.schema) as JsonObject]),
    );
    const schemas = doc.components as { schemas: Record<string, JsonObject> };
    const attachment = schemas.schemas.Attachment.properties as Record<string, JsonObject>;

    expect(upload.required).toEqual(expect.arrayContaining(['resource_id', 'file']));
    expect(upload.required).not.toContain('resource_type');
    expect(file).toMatchObject({ type: 'array', minItems: 1, maxItems: MAX_FILES_PER_UPLOAD });
    expect(file.items).toMatchObject({ type: 'string', format: 'binary' });
    expect(fields.resource_id).toMatchObject({ maxLength: MAX_RESOURCE_ID_LENGTH });
    // Feishu also has `task_delivery`; the emulator's profile accepts only what it emulates.
    expect((resolve(fields.resource_type) as JsonObject).enum).toEqual([...RESOURCE_TYPES, 'task_delivery']);
    expect((resolve(fields.resource_type) as JsonObject)[STRICT]).toEqual({ enum: [...RESOURCE_TYPES] });
    expect(
      (
        at([
          'paths',
          FeishuPath.AttachmentUpload,
          'post',
          'requestBody',
          'content',
          'multipart/form-data',
        ]) as JsonObject
      ).encoding,
    ).toMatchObject({ file: { contentType: '*/*' } });
    expect(listParameters.page_size).toMatchObject({
      type: 'integer',
      minimum: PAGE_SIZE_MIN,
      maximum: PAGE_SIZE_MAX,
      default: PAGE_SIZE_DEFAULT,
    });
    expect(listParameters.user_id_type.enum).toEqual([...USER_ID_TYPES]);
    expect(listParameters.resource_type[STRICT]).toEqual({ enum: [...RESOURCE_TYPES] });
    expect(attachment.size).not.toHaveProperty('maximum');
    expect(attachment.size[STRICT]).toEqual({ maximum: MAX_FILE_BYTES });
    expect(schemas.schemas.TokenExpire).toMatchObject({
      minimum: ACCESS_TOKEN_REISSUE_WINDOW_SECONDS,
      maximum: ACCESS_TOKEN_TTL_SECONDS,
    });
  });

  it('states the task limits of the shared vocabulary, and the fields patch may name', () => {
    const schemas = (doc.components as { schemas: Record<string, JsonObject> }).schemas;
    const input = schemas.TaskInput.properties as Record<string, JsonObject>;
    const patch = schemas.PatchTaskRequest.properties as Record<string, JsonObject>;

    expect(input.summary).toMatchObject({ minLength: 1, maxLength: MAX_TASK_SUMMARY_LENGTH });
    expect(input.description).toMatchObject({ maxLength: MAX_TASK_DESCRIPTION_LENGTH });
    expect(input.extra).toMatchObject({ maxLength: MAX_TASK_EXTRA_LENGTH });
    expect(input.client_token).toMatchObject({
      minLength: CLIENT_TOKEN_MIN_LENGTH,
      maxLength: CLIENT_TOKEN_MAX_LENGTH,
    });
    expect(input.reminders).toMatchObject({ maxItems: MAX_TASK_REMINDERS });
    expect((patch.update_fields.items as JsonObject).enum).toEqual([...PATCHABLE_TASK_FIELDS]);
    // The task list takes user tokens only.
    expect(at(['paths', FeishuPath.Tasks, 'get', 'security'])).toEqual([{ userAccessToken: [] }]);
  });

  describe("Feishu's own answers", () => {
    const { answers } = JSON.parse(readFileSync(ANSWERS_PATH, 'utf8')) as {
      answers: { source: string; operation: string; status: number; body: unknown }[];
    };

    it.each(answers.map((answer) => [`${answer.operation} ${answer.status}: ${answer.source}`, answer]))(
      'accepts %s',
      (_name, answer) => {
        const [method, path] = answer.operation.split(' ');

        expect(
          problems(jsonSchemaOf(method.toLowerCase(), path, String(answer.status)), answer.body),
        ).toEqual([]);
      },
    );

    it("includes the seeds' answers that the emulator's stricter profile would refuse", () => {
      const bodies = answers.map((answer) => JSON.stringify(answer.body));

      // The C# seed's uploader has no role, and its delete answer no data.
      expect(bodies).toContainEqual(expect.stringContaining('"uploader":{"id":"ou_xxx","type":"user"}'));
      expect(bodies).toContain('{"code":0,"msg":"success"}');
      expect(bodies).toContainEqual(expect.stringContaining('"page_token":"","has_more":false'));
      expect(answers.length).toBeGreaterThanOrEqual(20);
    });
  });

  describe('schemas that referee the emulator', () => {
    const uploadAnswer = jsonSchemaOf('post', FeishuPath.AttachmentUpload, '200');
    const listAnswer = jsonSchemaOf('get', FeishuPath.Attachments, '200');
    const getAnswer = jsonSchemaOf(
      'get',
      FeishuPath.Attachment.replace(':attachment_guid', '{attachment_guid}'),
      '200',
    );
    const attachment = {
      guid: 'f860de3e-6881-4ddd-9321-070f36d1af0b',
      file_token: 'boxcnTDqPaRA6JbYnzQsZ2doB2b',
      name: 'foo.jpg',
      size: 62232,
      resource: { type: 'task', id: 'e6e37dcc-f75a-5936-f589-12fb4b5c80c2' },
      uploader: { id: 'ou_2cefb2f014f8d0c6c2d2eb7bafb0e54f', type: 'user', role: 'editor' },
      is_cover: false,
      uploaded_at: '1675742789470',
    };
    const url = 'http://127.0.0.1:3100/download/authcode/?code=abc';
    const ok = (data: unknown) => ({ code: 0, msg: 'success', data });

    it('refuses an upload answer whose items carry a url', () => {
      expect(problems(uploadAnswer, ok({ items: [attachment] }))).toEqual([]);
      expect(problems(uploadAnswer, ok({ items: [{ ...attachment, url }] }))).not.toEqual([]);
    });

    it('refuses a list or get answer whose items lack a url', () => {
      expect(problems(getAnswer, ok({ attachment: { ...attachment, url } }))).toEqual([]);
      expect(problems(getAnswer, ok({ attachment }))).not.toEqual([]);
      expect(problems(listAnswer, ok({ items: [attachment], has_more: false }))).not.toEqual([]);
    });

    it('accepts a last list page without page_token or with "", and refuses other last or non-last tokens', () => {
      const item = { ...attachment, url };

      expect(problems(listAnswer, ok({ items: [item], has_more: false }))).toEqual([]);
      expect(problems(listAnswer, ok({ items: [item], has_more: false, page_token: '' }))).toEqual([]);
      expect(problems(listAnswer, ok({ items: [item], has_more: true, page_token: 'next' }))).toEqual([]);
      expect(problems(listAnswer, ok({ items: [item], has_more: false, page_token: 'next' }))).not.toEqual(
        [],
      );
      expect(problems(listAnswer, ok({ items: [item], has_more: true, page_token: '' }))).not.toEqual([]);
      expect(problems(listAnswer, ok({ items: [item], has_more: true }))).not.toEqual([]);
    });

    it('refuses an error body whose code does not belong to its status', () => {
      const notFound = jsonSchemaOf('get', FeishuPath.Task.replace(':task_guid', '{task_guid}'), '404');
      const body = (code: number) => ({
        code,
        msg: 'gone',
        error: { log_id: '2023070718115246FF085B0B55C60858A5' },
      });

      expect(problems(notFound, body(FeishuErrorCode.NotFound))).toEqual([]);
      expect(problems(notFound, body(FeishuErrorCode.PermissionDenied))).not.toEqual([]);
      expect(problems(notFound, { code: FeishuErrorCode.NotFound, msg: 'no log id' })).not.toEqual([]);
    });

    it('accepts the documented rate-limit body without an error object', () => {
      const rateLimited = jsonSchemaOf('get', FeishuPath.Attachments, '429');

      expect(
        problems(rateLimited, { code: FeishuErrorCode.RateLimited, msg: 'request trigger frequency limit' }),
      ).toEqual([]);
    });

    it('tells the auth v3 failures apart from a token by their code', () => {
      const token = jsonSchemaOf('post', FeishuPath.TenantAccessToken, '200');

      expect(
        problems(token, { code: FeishuErrorCode.AuthInvalidParam, msg: 'invalid param', data: {} }),
      ).toEqual([]);
      expect(
        problems(token, { code: FeishuErrorCode.AuthAppSecretInvalid, msg: 'app secret invalid' }),
      ).toEqual([]);
      expect(problems(token, { code: 0, msg: 'ok', expire: 7200 })).not.toEqual([]);
      expect(problems(token, { code: 0, msg: 'ok', tenant_access_token: 't-abc', expire: 1799 })).not.toEqual(
        [],
      );
    });
  });
});
