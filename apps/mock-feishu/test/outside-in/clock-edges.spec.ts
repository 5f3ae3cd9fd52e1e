import { itShowsNoInsidesInAnyAnswer } from './support/answer-ledger.js';
import {
  fetchAnswer,
  startEmulator,
  tenantToken,
  type Emulator,
  type FetchedAnswer,
} from './support/emulator.js';

/**
 * The control clock at the edge of time. A JavaScript Date holds at most 8.64e15 ms; an emulator
 * whose "now" is past it, or so close to it that the times it computes from now (a token's
 * expiry, a download URL's, a log id's stamp) overflow, can no longer answer. So every clock move
 * that would get there is refused with 400 naming the field (setMs or advanceMs), and whatever
 * was asked before, the emulated API and the control plane still answer JSON: never Express's
 * HTML error page.
 *
 * Where exactly "too close" begins is the emulator's choice (it may keep a margin of a year): the
 * tests only use values that every sound choice must refuse (the largest Date itself, an hour
 * short of it: inside a tenant token's 2 hours), and one that it may accept or refuse
 * (8 639 999 000 000 000, 11.6 days short), whose refusal must then name setMs.
 */

const LARGEST_DATE_MS = 8_640_000_000_000_000;
const NEAR_EDGE_MS = 8_639_999_000_000_000;

describe('the control clock at the edge of time', () => {
  let feishu: Emulator;

  beforeAll(async () => {
    feishu = await startEmulator();
  });

  afterAll(() => feishu?.close());

  // Each test starts from the real time, whatever the one before did to the clock.
  afterEach(() => feishu.reset());

  const moveClock = (change: Record<string, number>) =>
    fetchAnswer(`${feishu.url}/__mock/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
  const clockNow = async (): Promise<number> => {
    const answer = await fetchAnswer(`${feishu.url}/__mock/clock`);
    return answer.json?.now as number;
  };
  /** A 400 in the emulator's JSON shape whose msg names `field`. */
  const refusalNaming = (field: string) => ({
    status: 400,
    json: expect.objectContaining({ code: expect.any(Number), msg: expect.stringContaining(field) }),
  });
  const statusAndJson = (answer: FetchedAnswer) => ({ status: answer.status, json: answer.json });

  it.each([
    ['the largest Date itself', LARGEST_DATE_MS],
    ['one ms past the largest Date', LARGEST_DATE_MS + 1],
    ['a second short of the largest Date', LARGEST_DATE_MS - 1_000],
    ["an hour short of the largest Date (inside a tenant token's 2 hours)", LARGEST_DATE_MS - 3_600_000],
  ])('refuses setMs at %s with 400 naming setMs, and the clock stays where it was', async (_what, setMs) => {
    const before = await clockNow();

    const answer = await moveClock({ setMs });

    expect(statusAndJson(answer)).toEqual(refusalNaming('setMs'));
    expect(await clockNow()).toBeLessThan(before + 24 * 3600 * 1000);
  });

  it('refuses every advanceMs that would pass the largest Date, or come within a second of it, with 400 naming advanceMs', async () => {
    // As close to the edge as the emulator lets the clock go: 8 639 999 000 000 000, or (if it
    // keeps a wider margin and says so, naming setMs) the real now.
    const nearEdge = await moveClock({ setMs: NEAR_EDGE_MS });
    if (nearEdge.status !== 200) expect(statusAndJson(nearEdge)).toEqual(refusalNaming('setMs'));
    const now = await clockNow();

    const past = await moveClock({ advanceMs: LARGEST_DATE_MS - now + 1 });
    const withinASecond = await moveClock({ advanceMs: LARGEST_DATE_MS - 1_000 - now });

    expect(statusAndJson(past)).toEqual(refusalNaming('advanceMs'));
    expect(statusAndJson(withinASecond)).toEqual(refusalNaming('advanceMs'));
    expect(await clockNow()).toBeLessThan(LARGEST_DATE_MS - 3_600_000);
  });

  it('after clock calls at the edge, the emulated API and the control plane still answer JSON, never text/html', async () => {
    const token = await tenantToken(feishu);
    await moveClock({ setMs: LARGEST_DATE_MS });
    await moveClock({ advanceMs: 100 * 365 * 24 * 3600 * 1000 });
    await moveClock({ setMs: NEAR_EDGE_MS });
    await moveClock({ advanceMs: 3_600_000 });

    const answers = {
      task: await fetchAnswer(`${feishu.url}/open-apis/task/v2/tasks/x`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      token: await fetchAnswer(`${feishu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: 'cli_mock_app', app_secret: 'mock_app_secret' }),
      }),
      health: await fetchAnswer(`${feishu.url}/__mock/health`),
      clock: await fetchAnswer(`${feishu.url}/__mock/clock`),
    };

    for (const [what, answer] of Object.entries(answers)) {
      expect({ what, type: answer.headers['content-type'] }).toEqual({
        what,
        type: expect.stringMatching(/^application\/json/),
      });
      expect({ what, json: answer.json }).toEqual({ what, json: expect.any(Object) });
    }
    expect(answers.health.status).toBe(200);
  });

  itShowsNoInsidesInAnyAnswer();
});
