import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import {
  emulatorProfile,
  emulatorProfileFile,
  FEISHU_DOCUMENT_PATH,
  STRICT_EXTENSION,
} from './emulator-profile.js';

interface ValidateFunction {
  (data: unknown): boolean;
}
interface Ajv2020 {
  addSchema(schema: object, key: string): Ajv2020;
  addFormat(name: string, format: boolean): Ajv2020;
  getSchema(ref: string): ValidateFunction | undefined;
}
// OpenAPI 3.1 schemas are JSON Schema 2020-12 (Ajv 8, found through ajv-formats as Prism finds it).
const fromAjvFormats = createRequire(require.resolve('ajv-formats'));
const Ajv2020 = fromAjvFormats('ajv/dist/2020').default as new (options: object) => Ajv2020;
const addFormats = fromAjvFormats('ajv-formats').default as (ajv: Ajv2020) => void;

const feishu = parse(readFileSync(FEISHU_DOCUMENT_PATH, 'utf8')) as object;
const emulator = emulatorProfile(feishu);

function validatorOf(document: object, schema: string): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema(structuredClone(document), 'doc');
  const validate = ajv.getSchema(`doc#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate;
}
const accepts = (document: object, schema: string, value: unknown) => validatorOf(document, schema)(value);

const attachment = {
  guid: 'f860de3e-6881-4ddd-9321-070f36d1af0b',
  file_token: 'boxcnTDqPaRA6JbYnzQsZ2doB2b',
  name: 'foo.jpg',
  size: 62232,
  resource: { type: 'task', id: 'e6e37dcc-f75a-5936-f589-12fb4b5c80c2' },
  uploader: { id: 'ou_2cefb2f014f8d0c6c2d2eb7bafb0e54f', type: 'user', role: 'editor' },
  is_cover: false,
  uploaded_at: '1675742789470',
  url: 'http://127.0.0.1:3100/download/authcode/?code=abc',
};
const page = (data: object) => ({ code: 0, msg: 'success', data: { items: [attachment], ...data } });

describe("the emulator's profile of the Feishu document", () => {
  it('replaces the marked keys and leaves no extension behind', () => {
    const profiled = emulatorProfile({
      a: { type: 'object', required: ['x'], [STRICT_EXTENSION]: { required: ['x', 'y'] } },
      list: [{ enum: [1, 2], [STRICT_EXTENSION]: { enum: [1] } }],
    });

    expect(profiled).toEqual({ a: { type: 'object', required: ['x', 'y'] }, list: [{ enum: [1] }] });
    expect(JSON.stringify(emulator)).not.toContain(`"${STRICT_EXTENSION}":`);
    expect(JSON.stringify(feishu)).toContain(`"${STRICT_EXTENSION}":`);
  });

  it("keeps the emulator's promises that Feishu's own answers do not keep", () => {
    const { role: _role, ...uploaderWithoutRole } = attachment.uploader;
    const withoutRole = { ...attachment, uploader: uploaderWithoutRole };

    // uploader.role: the C# seed omits it; the emulator always sends it.
    expect(accepts(feishu, 'AttachmentWithUrl', withoutRole)).toBe(true);
    expect(accepts(emulator, 'AttachmentWithUrl', withoutRole)).toBe(false);
    // The last page: Task v2 may send page_token ""; the emulator leaves it out.
    expect(accepts(feishu, 'AttachmentPageEnvelope', page({ has_more: false, page_token: '' }))).toBe(true);
    expect(accepts(emulator, 'AttachmentPageEnvelope', page({ has_more: false, page_token: '' }))).toBe(
      false,
    );
    expect(accepts(emulator, 'AttachmentPageEnvelope', page({ has_more: false }))).toBe(true);
    // Delete: the seed's {code, msg} has no data; the emulator sends data: {}.
    expect(accepts(feishu, 'EmptyEnvelope', { code: 0, msg: 'success' })).toBe(true);
    expect(accepts(emulator, 'EmptyEnvelope', { code: 0, msg: 'success' })).toBe(false);
    // task_delivery is a Feishu resource type the emulator refuses.
    const delivery = { ...attachment, resource: { ...attachment.resource, type: 'task_delivery' } };
    expect(accepts(feishu, 'AttachmentWithUrl', delivery)).toBe(true);
    expect(accepts(emulator, 'AttachmentWithUrl', delivery)).toBe(false);
    // Stored size: Feishu states no maximum for a stored file; the emulator stores at most 52428800 bytes.
    expect(accepts(feishu, 'AttachmentWithUrl', { ...attachment, size: 52428801 })).toBe(true);
    expect(accepts(emulator, 'AttachmentWithUrl', { ...attachment, size: 52428801 })).toBe(false);
    expect(accepts(emulator, 'AttachmentWithUrl', { ...attachment, size: 52428800 })).toBe(true);
  });

  it('keeps the gateway error details the emulator always sends', () => {
    const bare = { code: 99991661, msg: 'Need a token', data: {} };

    expect(accepts(feishu, 'AccessTokenError', bare)).toBe(true);
    expect(accepts(emulator, 'AccessTokenError', bare)).toBe(false);
  });

  it('is the document Prism reads for the emulator, written once per process', () => {
    const file = emulatorProfileFile();

    expect(emulatorProfileFile()).toBe(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(emulator);
  });
});
