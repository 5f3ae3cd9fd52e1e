import { ShiftableClock, type Timers } from './clock.js';

/** A wall clock and timers that move only when the test says so. */
function manualTime(start: number) {
  let wall = start;
  const pending = new Map<number, { at: number; callback: () => void }>();
  let nextId = 1;
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      const id = nextId++;
      pending.set(id, { at: wall + ms, callback });
      return id;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  return {
    timers,
    wallClock: () => wall,
    pendingTimers: () => pending.size,
    /** Moves the wall clock and fires the timers that are due, like the event loop would. */
    passReal(ms: number) {
      wall += ms;
      for (const [id, timer] of [...pending]) {
        if (timer.at <= wall) {
          pending.delete(id);
          timer.callback();
        }
      }
    },
  };
}

const T0 = 1_700_000_000_000;

async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  // Two turns of the microtask queue let a resolved promise's callbacks run.
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('ShiftableClock.until', () => {
  it('resolves when real time reaches the deadline on a running clock', async () => {
    const time = manualTime(T0);
    const clock = new ShiftableClock(time.wallClock, time.timers);
    const waited = clock.until(T0 + 300);

    time.passReal(299);
    expect(await settled(waited)).toBe(false);
    time.passReal(1);
    expect(await settled(waited)).toBe(true);
  });

  it('holds on a frozen clock however much real time passes, until advanced that far', async () => {
    const time = manualTime(T0);
    const clock = new ShiftableClock(time.wallClock, time.timers);
    clock.freeze(true);
    const waited = clock.until(T0 + 300);

    time.passReal(3_600_000);
    expect(await settled(waited)).toBe(false);
    expect(time.pendingTimers()).toBe(0);
    clock.advance(299);
    expect(await settled(waited)).toBe(false);
    clock.advance(1);
    expect(await settled(waited)).toBe(true);
  });

  it('resolves at once when the clock is set past the deadline', async () => {
    const time = manualTime(T0);
    const clock = new ShiftableClock(time.wallClock, time.timers);
    const waited = clock.until(T0 + 60_000);

    clock.set(T0 + 60_000);

    expect(await settled(waited)).toBe(true);
    expect(time.pendingTimers()).toBe(0);
  });

  it('counts only the time still to run after an advance on a running clock', async () => {
    const time = manualTime(T0);
    const clock = new ShiftableClock(time.wallClock, time.timers);
    const waited = clock.until(T0 + 1000);

    clock.advance(600);
    time.passReal(399);
    expect(await settled(waited)).toBe(false);
    time.passReal(1);
    expect(await settled(waited)).toBe(true);
  });

  it('runs on in real time once a frozen clock thaws', async () => {
    const time = manualTime(T0);
    const clock = new ShiftableClock(time.wallClock, time.timers);
    clock.freeze(true);
    const waited = clock.until(T0 + 500);
    time.passReal(10_000);

    clock.freeze(false);
    time.passReal(499);
    expect(await settled(waited)).toBe(false);
    time.passReal(1);
    expect(await settled(waited)).toBe(true);
  });
});
