import { inspectorAssetsDir } from '../../src/http/inspector/inspector.assets.js';
import { controlPlaneRoutes } from '../support/control-plane-routes.js';
import { itShowsNoInsidesInAnyAnswer } from './support/answer-ledger.js';
import { curl, describeCurl } from './support/curl.js';
import { fillParams } from './support/emulated-routes.js';
import { startEmulator, tenantToken, type Emulator } from './support/emulator.js';
import { jsonOf, rawCall, type RawAnswer, type RawRequest } from './support/raw-http.js';

/**
 * A developer's browser is on the same machine as a loopback emulator with an open control plane,
 * so any web page it visits can send requests there: "simple" cross-site requests (text/plain,
 * form-encoded or multipart bodies, sent without a CORS preflight), and, through DNS rebinding, a
 * page whose own host name resolves to 127.0.0.1. The emulator refuses all of them, and keeps
 * working for its real callers: JSON and body-less calls, its own origin, every loopback host
 * name, the publicUrl's host, curl, and the inspector page.
 */

const ATTACKER = 'https://attacker.example';

/** The emulator's error envelope: a numeric code, a msg, and a log id. */
const envelope = (msg: unknown = expect.any(String)) => ({
  code: expect.any(Number),
  msg,
  error: expect.objectContaining({ log_id: expect.any(String) }),
});
const statusAndJson = (answer: RawAnswer) => ({ status: answer.status, json: jsonOf(answer) });
const shown = (answer: RawAnswer) => `${answer.status} ${answer.body.slice(0, 160)}`;

/** Every control route that changes state and may take a body (a new one is covered by itself). */
const stateChangingRoutes = controlPlaneRoutes()
  .map((route) => route.split(' ') as [string, string])
  .filter(([method]) => method === 'POST' || method === 'PUT' || method === 'PATCH');

describe('browsers on other sites, reaching a loopback emulator', () => {
  let feishu: Emulator;
  let attachmentGuid: string;

  beforeAll(async () => {
    feishu = await startEmulator();
  });

  afterAll(() => feishu?.close());

  beforeEach(async () => {
    await feishu.reset();
    // One real attachment, so the URL-minting route has something to mint for.
    const seeded = await send({
      method: 'POST',
      path: '/__mock/tasks',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ summary: 'cross-site', attachments: [{ name: 'a.txt', content: 'a' }] }),
    });
    attachmentGuid = jsonOf(seeded)?.attachments?.[0]?.guid;
    if (!attachmentGuid) throw new Error(`could not seed an attachment: ${shown(seeded)}`);
  });

  const send = (request: RawRequest) => rawCall({ port: feishu.port }, request);
  const pathOf = (template: string) => fillParams(template.replace('{attachment_guid}', attachmentGuid), 'x');

  describe('bodies a page can send without a preflight, on control routes that change state', () => {
    const bodies: [string, string, string][] = [
      ['text/plain', 'text/plain', '{}'],
      [
        'form-encoded',
        'application/x-www-form-urlencoded',
        'app_id=cli_mock_app&app_secret=pwned&replace=true',
      ],
      [
        'multipart',
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="app_id"\r\n\r\ncli_mock_app\r\n--x--\r\n',
      ],
    ];

    it.each(
      stateChangingRoutes.flatMap(([method, path]) =>
        bodies.map(([kind, type, body]) => ({ method, path, kind, type, body })),
      ),
    )('$method $path with a $kind body → 415 in the JSON envelope', async ({ method, path, type, body }) => {
      const answer = await send({ method, path: pathOf(path), headers: { 'Content-Type': type }, body });

      expect(statusAndJson(answer)).toEqual({ status: 415, json: envelope() });
    });

    it('keeps the real app secret after a form-encoded POST /__mock/apps tried to replace it', async () => {
      const forged = await send({
        method: 'POST',
        path: '/__mock/apps',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'app_id=cli_mock_app&app_secret=pwned&replace=true',
      });

      expect(forged.status).toBe(415);
      expect(await tenantToken(feishu)).toEqual(expect.any(String));
      const withForgedSecret = await send({
        method: 'POST',
        path: '/open-apis/auth/v3/tenant_access_token/internal',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ app_id: 'cli_mock_app', app_secret: 'pwned' }),
      });
      expect(jsonOf(withForgedSecret)?.tenant_access_token).toBeUndefined();
    });

    it('still takes JSON bodies and body-less POSTs', async () => {
      const bodyless = await send({ method: 'POST', path: '/__mock/reset' });
      const json = await send({
        method: 'POST',
        path: '/__mock/reset',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      const jsonWithCharset = await send({
        method: 'POST',
        path: '/__mock/users',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ name: 'Ada' }),
      });

      expect([bodyless.status, json.status, jsonWithCharset.status]).toEqual([200, 200, 201]);
    });
  });

  describe('the Origin header', () => {
    const calls: [string, RawRequest][] = [
      [
        'POST /__mock/reset (JSON)',
        {
          method: 'POST',
          path: '/__mock/reset',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        },
      ],
      ['GET /__mock/state', { method: 'GET', path: '/__mock/state' }],
      [
        'POST /open-apis/auth/v3/tenant_access_token/internal',
        {
          method: 'POST',
          path: '/open-apis/auth/v3/tenant_access_token/internal',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ app_id: 'cli_mock_app', app_secret: 'mock_app_secret' }),
        },
      ],
    ];
    const withOrigin = (request: RawRequest, origin: string): RawRequest => ({
      ...request,
      headers: { ...request.headers, Origin: origin },
    });

    it.each(calls)('another site (Origin: %s) is refused with 403 naming Origin', async (_what, request) => {
      const answer = await send(withOrigin(request, ATTACKER));

      expect(statusAndJson(answer)).toEqual({
        status: 403,
        json: envelope(expect.stringMatching(/origin/i)),
      });
    });

    it.each(calls)(
      'Origin: null (a sandboxed frame, a file: page) is refused with 403 on %s',
      async (_what, request) => {
        const answer = await send(withOrigin(request, 'null'));

        expect(statusAndJson(answer)).toEqual({
          status: 403,
          json: envelope(expect.stringMatching(/origin/i)),
        });
      },
    );

    it.each(calls)(
      "the emulator's own origins (127.0.0.1 and localhost on its port) are served on %s",
      async (_what, request) => {
        // As a browser sends them: a page loaded from the emulator calls it by the same name, so its
        // Origin and the Host it asks for name the same authority.
        const own = [`127.0.0.1:${feishu.port}`, `localhost:${feishu.port}`];
        const answers = await Promise.all(
          own.map((authority) => {
            const sameSite = withOrigin(request, `http://${authority}`);
            return send({ ...sameSite, headers: { ...sameSite.headers, Host: authority } });
          }),
        );

        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      },
    );
  });

  describe('the Host header (DNS rebinding)', () => {
    const targets = (token: string): [string, RawRequest][] => [
      ['GET /__mock/state', { method: 'GET', path: '/__mock/state' }],
      [
        'GET /open-apis/task/v2/tasks/x',
        { method: 'GET', path: '/open-apis/task/v2/tasks/x', headers: { Authorization: `Bearer ${token}` } },
      ],
    ];

    it.each(['attacker.example', 'attacker.example:PORT'])(
      'Host: %s gets 421 in the JSON envelope',
      async (host) => {
        const token = await tenantToken(feishu);
        for (const [what, request] of targets(token)) {
          const answer = await send({
            ...request,
            headers: { ...request.headers, Host: host.replace('PORT', String(feishu.port)) },
          });
          expect({ what, ...statusAndJson(answer) }).toEqual({ what, status: 421, json: envelope() });
        }
      },
    );

    it.each(['localhost:PORT', '127.0.0.1:PORT', '[::1]:PORT', 'sub.localhost:PORT'])(
      'Host: %s (a loopback name) is served',
      async (host) => {
        const token = await tenantToken(feishu);
        const served: string[] = [];
        for (const [what, request] of targets(token)) {
          const answer = await send({
            ...request,
            headers: { ...request.headers, Host: host.replace('PORT', String(feishu.port)) },
          });
          if (answer.status === 421 || answer.status === 403 || answer.status >= 500)
            served.push(`${what} → ${shown(answer)}`);
        }
        expect(served).toEqual([]);
      },
    );

    it("Host: the publicUrl's host (feishu.test:8080, given as publicUrl) is served", async () => {
      const behindProxy = await startEmulator({ publicUrl: 'http://feishu.test:8080' });
      try {
        const answer = await rawCall(
          { port: behindProxy.port },
          { method: 'GET', path: '/__mock/state', headers: { Host: 'feishu.test:8080' } },
        );
        expect(answer.status).toBe(200);
      } finally {
        await behindProxy.close();
      }
    });
  });

  it('still serves plain curl http://127.0.0.1:<port>/__mock/state', async () => {
    const result = await curl([`http://127.0.0.1:${feishu.port}/__mock/state`]);

    expect({ exitCode: result.exitCode, status: result.status }).toEqual({ exitCode: 0, status: 200 });
    expect(JSON.parse(result.body)).toEqual(expect.any(Object));
    expect(describeCurl(result)).not.toContain('<!DOCTYPE');
  });

  it('still loads the inspector page from its own host', async () => {
    // The page is built by `nx run mock-feishu:build`; unbuilt, the emulator says so with a 404.
    const built = inspectorAssetsDir() !== undefined;

    const answer = await send({
      method: 'GET',
      path: '/__mock/ui/',
      headers: { Host: `127.0.0.1:${feishu.port}` },
    });

    expect({ status: answer.status, html: /^text\/html/.test(answer.headers['content-type'] ?? '') }).toEqual(
      built ? { status: 200, html: true } : { status: 404, html: false },
    );
  });

  itShowsNoInsidesInAnyAnswer();
});
