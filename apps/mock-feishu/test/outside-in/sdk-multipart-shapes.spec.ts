import { randomBytes, randomUUID } from 'node:crypto';
import { itShowsNoInsidesInAnyAnswer } from './support/answer-ledger.js';
import {
  createTask,
  fetchAnswer,
  officialSdkClient,
  startEmulator,
  tenantToken,
  type Emulator,
} from './support/emulator.js';
import { jsonOf, rawCall, type RawAnswer } from './support/raw-http.js';

/**
 * The upload as each official Feishu SDK writes it, byte for byte, over a bare socket: the
 * emulator must take every one of them (Feishu's own samples send them) and store the bytes.
 *
 * Where each shape comes from (read in the SDKs' sources):
 * - oapi-sdk-go, core/reqtranslator.go (Formdata.content): Go's mime/multipart Writer over a map
 *   of fields, so the order is random and the file part may come first; every file part is
 *   `writer.CreateFormFile(key, "unknown-file")`, which writes Content-Disposition with
 *   filename="unknown-file" and Content-Type: application/octet-stream. The boundary is 30 random
 *   bytes in hex (60 characters); the header is `multipart/form-data; boundary=<it>`.
 * - oapi-sdk-java, larksuite-oapi/src/main/java/com/lark/oapi/core/httpclient/OkHttpTransport.java
 *   (buildReqBody): `new MultipartBody.Builder().setType(MediaType.parse("multipart/form-data;charset=UTF-8"))`,
 *   fields first (`addFormDataPart(key, value)`), then files named "unknown" when no name was set
 *   (core/request/ReqTranslator.java#buildFormData never sets one); the vendored
 *   com/lark/oapi/okhttp/MultipartBody.java writes `<type>; boundary=<UUID>` and, per part,
 *   Content-Disposition, Content-Type (file parts only) and a Content-Length header.
 * - oapi-sdk-python, lark_oapi/api/task/v2/resource/attachment.py (upload):
 *   `MultipartEncoder(Files.parse_form_data(request.body))` from requests_toolbelt, with the
 *   official sample (samples/api/task/v2/upload_attachment_sample.py) passing `open(path, "rb")`:
 *   a bare file object, so urllib3's RequestField renders `Content-Disposition: form-data; name="file"`
 *   with no filename and no part Content-Type; the boundary is uuid4().hex.
 * - @larksuiteoapi/node-sdk with a Buffer: axios turns the data into a form-data FormData, which
 *   appends a Buffer with no filename (only Content-Type: application/octet-stream). Sent by the
 *   SDK itself below.
 *
 * A file part without a filename is stored under the placeholder name 'unknown-file' (what the
 * Go SDK names every file, and what Feishu's UI then shows).
 */

const UPLOAD_PATH = '/open-apis/task/v2/attachments/upload';
const CRLF = '\r\n';

/** Bytes that would trip a careless parser: CRLF, a false boundary, NUL and high bytes. */
const CONTENT = Buffer.concat([
  Buffer.from('hello from an official SDK\r\n--not-a-boundary\r\n'),
  Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a]),
]);

interface Part {
  headers: string[];
  body: Buffer | string;
}

/** Parts laid out as every one of these writers lays them out (RFC 7578): the body alone. */
function multipartBody(boundary: string, parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}${CRLF}${part.headers.map((h) => `${h}${CRLF}`).join('')}${CRLF}`));
    chunks.push(Buffer.from(part.body));
    chunks.push(Buffer.from(CRLF));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return Buffer.concat(chunks);
}

describe('uploads shaped as the official Feishu SDKs send them', () => {
  let feishu: Emulator;
  let token: string;
  let taskGuid: string;

  beforeAll(async () => {
    feishu = await startEmulator({ rateLimits: false });
    token = await tenantToken(feishu);
    taskGuid = await createTask(feishu, token, 'sdk shapes');
  });

  afterAll(() => feishu?.close());

  const send = (headers: Record<string, string | number>, body: Buffer) =>
    rawCall({ port: feishu.port }, { method: 'POST', path: UPLOAD_PATH, headers, body });

  /** The accepted upload's first item, then its bytes fetched back through its download URL. */
  async function expectStored(answer: RawAnswer, name: string): Promise<void> {
    const json = jsonOf(answer);
    expect({ status: answer.status, code: json?.code, msg: json?.msg }).toEqual({
      status: 200,
      code: 0,
      msg: expect.any(String),
    });
    const [item] = json.data.items as { guid: string; name: string; size: number }[];
    expect(item).toMatchObject({ name, size: CONTENT.length });

    const got = await fetchAnswer(`${feishu.url}/open-apis/task/v2/attachments/${item.guid}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const url = got.json?.data?.attachment?.url as string;
    expect(url).toEqual(expect.any(String));
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(CONTENT)).toBe(true);
  }

  describe('oapi-sdk-go (mime/multipart, filename "unknown-file", no resource_type)', () => {
    const goHeaders = (boundary: string, body: Buffer) => ({
      'User-Agent': 'oapi-sdk-go/v3.4.0',
      'Content-Length': body.length,
      Authorization: `Bearer ${token}`,
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'Accept-Encoding': 'gzip',
    });
    const goFilePart = (): Part => ({
      headers: [
        'Content-Disposition: form-data; name="file"; filename="unknown-file"',
        'Content-Type: application/octet-stream',
      ],
      body: CONTENT,
    });
    const goField = (name: string, value: string): Part => ({
      headers: [`Content-Disposition: form-data; name="${name}"`],
      body: value,
    });

    it('is stored as unknown-file with the file part first and resource_id after it', async () => {
      const boundary = randomBytes(30).toString('hex');
      const body = multipartBody(boundary, [goFilePart(), goField('resource_id', taskGuid)]);

      await expectStored(await send(goHeaders(boundary, body), body), 'unknown-file');
    });

    it('is stored as unknown-file with resource_id first', async () => {
      const boundary = randomBytes(30).toString('hex');
      const body = multipartBody(boundary, [goField('resource_id', taskGuid), goFilePart()]);

      await expectStored(await send(goHeaders(boundary, body), body), 'unknown-file');
    });
  });

  it('oapi-sdk-java (OkHttp: "multipart/form-data;charset=UTF-8; boundary=<uuid>", per-part Content-Length, filename "unknown") is stored as unknown', async () => {
    const boundary = randomUUID();
    const body = multipartBody(boundary, [
      {
        headers: [
          'Content-Disposition: form-data; name="resource_id"',
          `Content-Length: ${Buffer.byteLength(taskGuid)}`,
        ],
        body: taskGuid,
      },
      {
        headers: [
          'Content-Disposition: form-data; name="file"; filename="unknown"',
          'Content-Type: application/octet-stream',
          `Content-Length: ${CONTENT.length}`,
        ],
        body: CONTENT,
      },
    ]);

    const answer = await send(
      {
        'User-Agent': 'oapi-sdk-java/v2.4.0',
        Authorization: `Bearer ${token}`,
        'Content-Type': `multipart/form-data;charset=UTF-8; boundary=${boundary}`,
        'Content-Length': body.length,
        Connection: 'Keep-Alive',
        'Accept-Encoding': 'gzip',
      },
      body,
    );

    await expectStored(answer, 'unknown');
  });

  it("oapi-sdk-python (requests_toolbelt, the sample's bare file object: no filename, no part Content-Type) is accepted and stored as unknown-file", async () => {
    const boundary = randomUUID().replace(/-/g, '');
    const body = multipartBody(boundary, [
      { headers: ['Content-Disposition: form-data; name="resource_type"'], body: 'task' },
      { headers: ['Content-Disposition: form-data; name="resource_id"'], body: taskGuid },
      { headers: ['Content-Disposition: form-data; name="file"'], body: CONTENT },
    ]);

    const answer = await send(
      {
        'User-Agent': 'oapi-sdk-python/v1.4.0',
        'Accept-Encoding': 'gzip, deflate',
        Accept: '*/*',
        Connection: 'keep-alive',
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        Authorization: `Bearer ${token}`,
        'Content-Length': body.length,
      },
      body,
    );

    await expectStored(answer, 'unknown-file');
  });

  it('oapi-sdk-python without resource_type set (its encoder writes the unset field as an empty part) is stored as unknown-file', async () => {
    // lark_oapi/core/utils/files.py (parse_form_data) keeps a None field in the form, and
    // requests_toolbelt encodes None as an empty body: resource_type arrives as "", not absent.
    const boundary = randomUUID().replace(/-/g, '');
    const body = multipartBody(boundary, [
      { headers: ['Content-Disposition: form-data; name="resource_type"'], body: '' },
      { headers: ['Content-Disposition: form-data; name="resource_id"'], body: taskGuid },
      { headers: ['Content-Disposition: form-data; name="file"'], body: CONTENT },
    ]);

    const answer = await send(
      {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        Authorization: `Bearer ${token}`,
        'Content-Length': body.length,
      },
      body,
    );

    await expectStored(answer, 'unknown-file');
  });

  it('the official node SDK with a Buffer (form-data writes no filename) is accepted and stored as unknown-file', async () => {
    const client = officialSdkClient(feishu);

    let outcome: { items?: { name?: string; size?: number }[]; failure?: string };
    try {
      // The SDK's upload resolves with the answer's `data` (a non-zero code rejects).
      const data = await client.task.v2.attachment.upload({ data: { resource_id: taskGuid, file: CONTENT } });
      outcome = { items: data?.items?.map(({ name, size }) => ({ name, size })) };
    } catch (error) {
      const response = (error as { response?: { status: number; data: unknown } }).response;
      outcome = { failure: response ? `${response.status} ${JSON.stringify(response.data)}` : String(error) };
    }

    expect(outcome).toEqual({ items: [{ name: 'unknown-file', size: CONTENT.length }] });
  });

  itShowsNoInsidesInAnyAnswer();
});
