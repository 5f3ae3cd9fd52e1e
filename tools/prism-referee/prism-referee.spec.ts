import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { judge, startPrismReferee, type PrismReferee } from './prism-referee.js';
import { startPrismValidator, VALIDATOR_ENV, type PrismValidator } from './prism-validator.js';

const GUID = 'f860de3e-6881-4ddd-9321-070f36d1af0b';
// The upstream below answers this attachment without its url.
const BROKEN = '00000000-0000-4000-8000-000000000001';
const attachment = {
  guid: GUID,
  file_token: 'boxcnTDqPaRA6JbYnzQsZ2doB2b',
  name: 'foo.jpg',
  size: 4,
  resource: { type: 'task', id: 'e6e37dcc-f75a-5936-f589-12fb4b5c80c2' },
  uploader: { id: 'ou_2cefb2f014f8d0c6c2d2eb7bafb0e54f', type: 'user', role: 'editor' },
  is_cover: false,
  uploaded_at: '1675742789470',
  url: 'http://127.0.0.1:1/download/authcode/?code=abc',
};

/** A stand-in upstream whose answers each test scripts. */
async function upstream(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.setHeader('x-tt-logid', '20260101000000ABCDEF0123456789ABCD');
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the Prism referee', () => {
  let referee: PrismReferee;
  let server: Server;
  let validator: PrismValidator;

  // As under the Jest global setup: one Prism for every referee of the file.
  beforeAll(async () => {
    validator = await startPrismValidator();
    process.env[VALIDATOR_ENV] = JSON.stringify({
      prismUrl: validator.prismUrl,
      replayUrl: validator.replayUrl,
    });
  });
  afterAll(async () => {
    delete process.env[VALIDATOR_ENV];
    await validator.close();
  });

  afterEach(async () => {
    await referee.close();
    server.close();
  });

  it('reports a response that breaks the document, and still hands the client the upstream answer unchanged', async () => {
    const { url, server: s } = await upstream((_req, res) => {
      const { url: _dropped, ...withoutUrl } = attachment;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ code: 0, msg: 'success', data: { attachment: withoutUrl } }));
    });
    server = s;
    referee = await startPrismReferee();
    referee.setUpstream(url);

    const answer = await fetch(`${referee.url}/open-apis/task/v2/attachments/${GUID}`, {
      headers: { authorization: 'Bearer t-abc' },
    });
    const body = await answer.json();
    await referee.close();

    expect(body.data.attachment).not.toHaveProperty('url');
    expect(answer.headers.has('sl-violations')).toBe(false);
    expect(referee.findings()).toEqual([
      expect.objectContaining({
        method: 'GET',
        status: 200,
        location: expect.stringMatching(/^response/),
        message: expect.stringContaining('url'),
      }),
    ]);
  });

  it('accepts an answer that matches the document', async () => {
    const { url, server: s } = await upstream((_req, res) => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ code: 0, msg: 'success', data: { attachment } }));
    });
    server = s;
    referee = await startPrismReferee();
    referee.setUpstream(url);

    await (
      await fetch(`${referee.url}/open-apis/task/v2/attachments/${GUID}`, {
        headers: { authorization: 'Bearer t-abc' },
      })
    ).text();
    await referee.close();

    expect(referee.allViolations()).toEqual([]);
  });

  it('passes binary bodies through byte for byte, which Prism itself would re-encode', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    const { url, server: s } = await upstream((_req, res) => {
      res.setHeader('content-type', 'application/octet-stream');
      res.setHeader('content-length', String(bytes.length));
      res.setHeader('content-disposition', 'attachment; filename="bytes.bin"');
      res.end(bytes);
    });
    server = s;
    referee = await startPrismReferee();
    referee.setUpstream(url);

    const answer = await fetch(`${referee.url}/download/authcode/?code=abc`);

    expect(Buffer.from(await answer.arrayBuffer())).toEqual(bytes);
  });

  it('keeps the findings of referees that share one Prism apart', async () => {
    const { url, server: s } = await upstream((req, res) => {
      const { url: _dropped, ...withoutUrl } = attachment;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      const broken = req.url?.endsWith(BROKEN);
      res.end(
        JSON.stringify({ code: 0, msg: 'success', data: { attachment: broken ? withoutUrl : attachment } }),
      );
    });
    server = s;
    referee = await startPrismReferee();
    const other = await startPrismReferee();
    referee.setUpstream(url);
    other.setUpstream(url);

    const get = (base: string, guid: string) =>
      fetch(`${base}/open-apis/task/v2/attachments/${guid}`, {
        headers: { authorization: 'Bearer t-abc' },
      }).then((answer) => answer.text());
    await Promise.all([
      ...Array.from({ length: 5 }, () => get(referee.url, GUID)),
      ...Array.from({ length: 5 }, () => get(other.url, BROKEN)),
    ]);
    await Promise.all([referee.close(), other.close()]);

    expect(referee.allViolations()).toEqual([]);
    expect(other.findings()).toHaveLength(5);
    expect(other.findings().every((finding) => finding.message.includes("'url'"))).toBe(true);
  });

  it('starts a Prism of its own when the run has none', async () => {
    const shared = process.env[VALIDATOR_ENV];
    delete process.env[VALIDATOR_ENV];
    const { url, server: s } = await upstream((_req, res) => {
      const { url: _dropped, ...withoutUrl } = attachment;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ code: 0, msg: 'success', data: { attachment: withoutUrl } }));
    });
    server = s;
    try {
      referee = await startPrismReferee();
    } finally {
      process.env[VALIDATOR_ENV] = shared;
    }
    referee.setUpstream(url);

    await (
      await fetch(`${referee.url}/open-apis/task/v2/attachments/${GUID}`, {
        headers: { authorization: 'Bearer t-abc' },
      })
    ).text();
    await referee.close();

    expect(referee.findings()).toEqual([
      expect.objectContaining({ location: expect.stringMatching(/^response/) }),
    ]);
  });

  it('counts a request that breaks the document only when the upstream accepted it', () => {
    const base = {
      method: 'GET',
      path: '/open-apis/task/v2/attachments',
      location: 'request.query',
      severity: 'Error',
      message: 'x',
    };

    expect(judge({ ...base, status: 400, code: 1470400 })).toBe(false);
    expect(
      judge({ ...base, path: '/open-apis/auth/v3/tenant_access_token/internal', status: 200, code: 10003 }),
    ).toBe(false);
    expect(judge({ ...base, status: 200, code: 0 })).toBe(true);
    expect(judge({ ...base, location: 'response.body', status: 400, code: 1470400 })).toBe(true);
    expect(judge({ ...base, path: '/__mock/health', location: 'response.body', status: 200 })).toBe(false);
  });
});
