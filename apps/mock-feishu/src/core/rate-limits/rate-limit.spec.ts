import { RATE_LIMITS, takeCall, type RateLimitRule, type WindowState } from './rate-limit.js';

const perSecond = (limit: number): RateLimitRule => ({ limit, windowMs: 1000 });
const perMinute = (limit: number): RateLimitRule => ({ limit, windowMs: 60_000 });

// A round minute, so second and minute windows both start here.
const T0 = 1_700_000_040_000;

function takeMany(rules: readonly RateLimitRule[], windows: WindowState[], now: number, count: number) {
  return Array.from({ length: count }, () => takeCall(rules, windows, now));
}

describe('takeCall', () => {
  it('allows calls up to the limit and refuses the next one with that limit', () => {
    const windows: WindowState[] = [];

    const allowed = takeMany([perSecond(3)], windows, T0 + 100, 3);
    const refused = takeCall([perSecond(3)], windows, T0 + 200);

    expect(allowed).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(refused).toEqual({ allowed: false, limit: 3, resetSeconds: 1 });
  });

  it('starts a fresh count when the window rolls over at its boundary', () => {
    const windows: WindowState[] = [];
    takeMany([perSecond(2)], windows, T0 + 999, 2);

    expect(takeCall([perSecond(2)], windows, T0 + 999)).toMatchObject({ allowed: false });
    expect(takeCall([perSecond(2)], windows, T0 + 1000)).toEqual({ allowed: true });
    expect(windows).toEqual([{ windowStart: T0 + 1000, count: 1 }]);
  });

  it('aligns windows to the clock rather than to the first call', () => {
    const windows: WindowState[] = [];
    takeMany([perSecond(2)], windows, T0 + 900, 2);

    // 200 ms after the first call, but in the next clock second.
    expect(takeCall([perSecond(2)], windows, T0 + 1100)).toEqual({ allowed: true });
  });

  it('does not count a refused call in any window', () => {
    const rules = [perSecond(2), perMinute(3)];
    const windows: WindowState[] = [];
    takeMany(rules, windows, T0, 2);

    // Refused by the per-second rule; had they counted, the minute would now be full.
    expect(takeMany(rules, windows, T0 + 10, 5).every((decision) => !decision.allowed)).toBe(true);
    expect(windows).toEqual([
      { windowStart: T0, count: 2 },
      { windowStart: T0, count: 2 },
    ]);

    expect(takeCall(rules, windows, T0 + 1000)).toEqual({ allowed: true });
  });

  it('refuses with the rule that is full when a call passes one rule but not another', () => {
    const rules = [perSecond(50), perMinute(3)];
    const windows: WindowState[] = [];
    takeCall(rules, windows, T0);
    takeCall(rules, windows, T0 + 1000);
    takeCall(rules, windows, T0 + 2000);

    expect(takeCall(rules, windows, T0 + 3000)).toEqual({ allowed: false, limit: 3, resetSeconds: 57 });
  });

  it('rounds the reset up to whole seconds until the window ends', () => {
    const full = (count: number): WindowState[] => [{ windowStart: T0, count }];

    expect(takeCall([perMinute(1)], full(1), T0)).toMatchObject({ resetSeconds: 60 });
    expect(takeCall([perMinute(1)], full(1), T0 + 20_500)).toMatchObject({ resetSeconds: 40 });
    expect(takeCall([perMinute(1)], full(1), T0 + 21_000)).toMatchObject({ resetSeconds: 39 });
    // Never 0: a client told to wait 0 s would retry into the same full window.
    expect(takeCall([perMinute(1)], full(1), T0 + 59_999)).toMatchObject({ resetSeconds: 1 });
    expect(takeCall([perSecond(1)], full(1), T0 + 1)).toMatchObject({ resetSeconds: 1 });
  });

  it('keeps separate counts for separate window lists', () => {
    const first: WindowState[] = [];
    const second: WindowState[] = [];
    takeCall([perSecond(1)], first, T0);

    expect(takeCall([perSecond(1)], first, T0)).toMatchObject({ allowed: false });
    expect(takeCall([perSecond(1)], second, T0)).toEqual({ allowed: true });
  });
});

describe('RATE_LIMITS', () => {
  const asText = (rules: readonly RateLimitRule[] | undefined) =>
    (rules ?? []).map(
      (rule) =>
        `${rule.limit}/${rule.windowMs === 1000 ? 's' : rule.windowMs === 60_000 ? 'min' : rule.windowMs}`,
    );

  // The Task v2 attachment docs: upload 10/s; list, get and delete 1000/min and 50/s.
  it('holds the documented attachment limits', () => {
    expect(asText(RATE_LIMITS['attachment.upload'])).toEqual(['10/s']);
    expect(asText(RATE_LIMITS['attachment.list'])).toEqual(['50/s', '1000/min']);
    expect(asText(RATE_LIMITS['attachment.get'])).toEqual(['50/s', '1000/min']);
    expect(asText(RATE_LIMITS['attachment.delete'])).toEqual(['50/s', '1000/min']);
  });

  // The Task v2 task docs: create and delete 10/s.
  it('holds the documented task limits', () => {
    expect(asText(RATE_LIMITS['task.create'])).toEqual(['10/s']);
    expect(asText(RATE_LIMITS['task.delete'])).toEqual(['10/s']);
  });
});
