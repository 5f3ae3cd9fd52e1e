import { controlPlaneRoutes } from '../support/control-plane-routes.js';
import { itShowsNoInsidesInAnyAnswer } from './support/answer-ledger.js';
import { emulatedRoutes, fillParams } from './support/emulated-routes.js';
import { startEmulator, tenantToken, type Emulator } from './support/emulator.js';
import { jsonOf, rawCall, type RawAnswer } from './support/raw-http.js';

/**
 * The control token guards /__mock however the path is spelled. Every control-plane route (read
 * from the controllers, so a new route is covered by itself) is sent over a bare socket, the path
 * exactly as written (a client such as fetch would normalise it first; curl --path-as-is, a proxy
 * or an attacker's script do not), under every spelling a router or a proxy might read as
 * /__mock: another case, percent-encoded letters, doubled slashes, dot segments, a trailing slash.
 *
 * Without the token each answer is the guard's 401 (JSON, code 99991661) or the gateway's text
 * 404 — never a 2xx or 3xx, never the state. With the token, the canonical spelling answers as
 * before, and no other case or percent-encoding reaches a route (404 `404 page not found`).
 * The emulated Feishu paths are case-sensitive too, as Feishu's gateway is.
 */

const CONTROL_TOKEN = 'T0ken-for-tests-only';
const NOT_FOUND_TEXT = '404 page not found';

/** `/__mock/<rest>` under every spelling; `kind` says what the token-holder may expect of it. */
function spellings(
  path: string,
): { spelling: string; path: string; kind: 'canonical' | 'case-or-percent' | 'structure' }[] {
  const rest = path.replace(/^\/__mock\/?/, '');
  return [
    { spelling: 'canonical', path, kind: 'canonical' },
    { spelling: 'prefix upper-cased', path: `/__MOCK/${rest}`, kind: 'case-or-percent' },
    { spelling: 'prefix capitalised', path: `/__Mock/${rest}`, kind: 'case-or-percent' },
    { spelling: 'whole path upper-cased', path: path.toUpperCase(), kind: 'case-or-percent' },
    { spelling: '%5F%5F for the underscores', path: `/%5F%5Fmock/${rest}`, kind: 'case-or-percent' },
    { spelling: '%5f%5f for the underscores', path: `/%5f%5fmock/${rest}`, kind: 'case-or-percent' },
    { spelling: 'a percent-encoded letter', path: `/__mo%63k/${rest}`, kind: 'case-or-percent' },
    { spelling: 'a doubled leading slash', path: `//__mock/${rest}`, kind: 'structure' },
    { spelling: 'a doubled slash after the prefix', path: `/__mock//${rest}`, kind: 'structure' },
    { spelling: 'a ./ segment', path: `/__mock/./${rest}`, kind: 'structure' },
    { spelling: '/open-apis/../ before it', path: `/open-apis/../__mock/${rest}`, kind: 'structure' },
    { spelling: '/x/../ before it', path: `/x/../__mock/${rest}`, kind: 'structure' },
    { spelling: 'a trailing slash', path: `${path}/`, kind: 'structure' },
  ];
}

const isGuardRefusal = (answer: RawAnswer) =>
  answer.status === 401 &&
  /^application\/json/.test(answer.headers['content-type'] ?? '') &&
  jsonOf(answer)?.code === 99991661;
const isTextNotFound = (answer: RawAnswer) => answer.status === 404 && answer.body === NOT_FOUND_TEXT;
const shown = (answer: RawAnswer) => `${answer.status} ${answer.body.slice(0, 120)}`;

const routes = controlPlaneRoutes().map((route) => {
  const [method, path] = route.split(' ');
  return { method, path: fillParams(path) };
});

describe('the control plane under every spelling of its path', () => {
  let feishu: Emulator;

  beforeAll(async () => {
    // Beyond loopback: the token applies to every caller. Reached through 127.0.0.1.
    feishu = await startEmulator({ host: '0.0.0.0', controlToken: CONTROL_TOKEN });
  });

  afterAll(() => feishu?.close());

  const send = (method: string, path: string, token?: string) =>
    rawCall(
      { port: feishu.port },
      { method, path, headers: token ? { Authorization: `Bearer ${token}` } : {} },
    );

  it('reads its routes from the controllers', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes).toContainEqual({ method: 'GET', path: '/__mock/state' });
  });

  it.each(routes)(
    '$method $path: without the token, every spelling gets 401 (99991661) or the text 404',
    async ({ method, path }) => {
      const wrong: string[] = [];
      for (const variant of spellings(path)) {
        const answer = await send(method, variant.path);
        if (!isGuardRefusal(answer) && !isTextNotFound(answer))
          wrong.push(`${variant.spelling} ${variant.path} → ${shown(answer)}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it.each(routes)(
    '$method $path: with the token, the canonical spelling is served and other cases or encodings are 404',
    async ({ method, path }) => {
      const wrong: string[] = [];
      for (const variant of spellings(path)) {
        const answer = await send(method, variant.path, CONTROL_TOKEN);
        const ok =
          variant.kind === 'canonical'
            ? answer.status !== 401 && !isTextNotFound(answer) && answer.status < 500
            : variant.kind === 'case-or-percent'
              ? isTextNotFound(answer)
              : // Doubled slashes, dot segments, a trailing slash: may route or not, but never break.
                answer.status < 500;
        if (!ok) wrong.push(`${variant.spelling} ${variant.path} → ${shown(answer)}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('does not serve the inspector page to /__MOCK/ui/ or /%5F%5Fmock/ui/ without the token', async () => {
    const answers = await Promise.all(
      [
        '/__MOCK/ui/',
        '/__Mock/ui/',
        '/%5F%5Fmock/ui/',
        '//__mock/ui/',
        '/x/../__mock/ui/',
        '/__MOCK/ui/index.html',
      ].map(async (path) => ({ path, answer: await send('GET', path) })),
    );

    const served = answers
      .filter(({ answer }) => !isGuardRefusal(answer) && !isTextNotFound(answer) && answer.status !== 401)
      .map(({ path, answer }) => `${path} → ${shown(answer)}`);
    expect(served).toEqual([]);
    for (const { answer } of answers) expect(answer.body).not.toContain('<script');
  });

  it.each(emulatedRoutes().map((route) => route.split(' ')))(
    '%s %s is case-sensitive: other cases of its path get the text 404',
    async (method, template) => {
      const token = await tenantToken(feishu);
      const path = fillParams(template);
      const [, first, ...rest] = path.split('/');
      const variants = [
        `/${first.toUpperCase()}/${rest.join('/')}`,
        `/${first[0].toUpperCase()}${first.slice(1)}/${rest.join('/')}`,
        path.toUpperCase(),
      ];
      const wrong: string[] = [];
      for (const variant of variants) {
        const answer = await rawCall(
          { port: feishu.port },
          {
            method,
            path: variant,
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
          },
        );
        if (!isTextNotFound(answer)) wrong.push(`${variant} → ${shown(answer)}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  itShowsNoInsidesInAnyAnswer();
});
