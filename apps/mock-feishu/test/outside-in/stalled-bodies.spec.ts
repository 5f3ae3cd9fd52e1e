import { controlPlaneRoutes } from '../support/control-plane-routes.js';
import { itShowsNoInsidesInAnyAnswer } from './support/answer-ledger.js';
import { emulatedRoutes, fillParams } from './support/emulated-routes.js';
import { startEmulator, tenantToken, type Emulator } from './support/emulator.js';
import { jsonOf, openRaw, requestHead } from './support/raw-http.js';

/**
 * A request whose body never comes must not hold a connection (and a socket, and memory) for
 * ever: on every route that takes a body, a body that stops arriving is cut with a 408 in the
 * emulator's JSON shape, and the server closes the connection. A length no upload may have is
 * refused before a byte of body is sent.
 *
 * The emulator runs with idleBodyTimeoutMs 300; each test waits for the answer itself (an event,
 * not a sleep), and Jest's bound of a few seconds turns a connection left open into a failure.
 */

/** Far above the 300 ms the emulator is given, and small enough that a hang fails quickly. */
const STALL_TEST_BOUND_MS = 5_000;

/** Every route that takes a body, on both surfaces, read from the controllers' metadata. */
const bodyRoutes = [...emulatedRoutes(), ...controlPlaneRoutes()]
  .map((route) => route.split(' ') as [string, string])
  .filter(([method]) => method === 'POST' || method === 'PUT' || method === 'PATCH')
  .map(([method, path]) => ({ method, path: fillParams(path) }));

describe('request bodies that never come', () => {
  let feishu: Emulator;
  let token: string;

  beforeAll(async () => {
    feishu = await startEmulator({ idleBodyTimeoutMs: 300, rateLimits: false });
    token = await tenantToken(feishu);
  });

  afterAll(() => feishu?.close());

  it('covers the routes the brief names', () => {
    const routes = bodyRoutes.map(({ method, path }) => `${method} ${path}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /open-apis/auth/v3/tenant_access_token/internal',
        'POST /open-apis/task/v2/tasks',
        'POST /__mock/reset',
      ]),
    );
  });

  it.each(bodyRoutes)(
    '$method $path: 10 of 100 announced JSON bytes, then silence → 408 JSON envelope, and the server closes the connection',
    async ({ method, path }) => {
      const head = requestHead(
        { port: feishu.port },
        {
          method,
          path,
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            'Content-Length': 100,
          },
        },
      );
      const exchange = openRaw({ port: feishu.port }, `${head}{"summary"`, `${method} ${path} (stalled)`);
      try {
        const answer = await exchange.answer;

        expect(answer.status).toBe(408);
        expect(answer.headers['content-type']).toMatch(/^application\/json/);
        expect(jsonOf(answer)).toMatchObject({ code: expect.any(Number), msg: expect.any(String) });
        // Only the server can end this connection: the test never sends the other 90 bytes.
        await exchange.serverClosed;
      } finally {
        exchange.destroy();
      }
    },
    STALL_TEST_BOUND_MS,
  );

  it(
    'answers an upload announcing 10^18 bytes before any of them is sent: 413 or 400, JSON with a code and a log id',
    async () => {
      const head = requestHead(
        { port: feishu.port },
        {
          method: 'POST',
          path: '/open-apis/task/v2/attachments/upload',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'multipart/form-data; boundary=x',
            'Content-Length': '1000000000000000000',
          },
        },
      );
      const exchange = openRaw(
        { port: feishu.port },
        head,
        'POST /open-apis/task/v2/attachments/upload (10^18 bytes)',
      );
      try {
        const answer = await exchange.answer;

        expect([413, 400]).toContain(answer.status);
        expect(jsonOf(answer)).toMatchObject({
          code: expect.any(Number),
          msg: expect.any(String),
          error: { log_id: expect.any(String) },
        });
      } finally {
        exchange.destroy();
      }
    },
    STALL_TEST_BOUND_MS,
  );

  itShowsNoInsidesInAnyAnswer();
});
