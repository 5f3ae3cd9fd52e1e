/**
 * The emulator's only source of "now". Every expiry (tokens, download URLs, rate windows) is
 * decided against it, so a test moves time with `POST /__mock/clock` instead of sleeping.
 */
export abstract class Clock {
  abstract now(): number;
}

/** The largest time a JavaScript `Date` holds (ECMA-262: ±8.64e15 ms around the epoch). */
const LATEST_DATE_MS = 8_640_000_000_000_000;
/**
 * The latest "now" the emulator accepts: a year short of the largest Date, so every time it
 * computes from now (a refresh token's 7 days, a download URL's 3 minutes, a log id's stamp)
 * is still a Date. Past it every answer would fail on the first date it writes.
 */
export const LATEST_CLOCK_MS = LATEST_DATE_MS - 365 * 24 * 3600 * 1000;

/** A clock move that would leave the range `set` accepts: 0 (the epoch) to `LATEST_CLOCK_MS`. */
export class ClockRangeError extends RangeError {
  override name = 'ClockRangeError';
}

export interface ClockState {
  offsetMs: number;
  frozenAt?: number;
}

/**
 * Wall-clock time plus an offset that the control plane can move forwards or set outright. It
 * can also be frozen, so a test that counts calls inside one rate-limit second cannot be undone
 * by the real second rolling over.
 */
export class ShiftableClock extends Clock {
  private offsetMs = 0;
  private frozenAt?: number;
  private readonly waiters = new Set<Waiter>();
  private listener?: (state: ClockState) => void;

  constructor(
    private readonly wallClock: () => number = Date.now,
    private readonly timers: Timers = { setTimeout, clearTimeout },
  ) {
    super();
  }

  /**
   * Resolves once this clock reaches `epochMs`: by itself while time runs, or as soon as a test
   * moves it there. On a frozen clock only `advance`/`set` (or thawing) get it there, so a test
   * can hold a call for as long as it needs without racing a real timer.
   */
  until(epochMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter: Waiter = { deadline: epochMs, resolve };
      this.waiters.add(waiter);
      this.wake(waiter);
    });
  }

  /** Offset and freeze, what a durable store keeps so time does not jump back on a restart. */
  state(): ClockState {
    return this.frozenAt === undefined
      ? { offsetMs: this.offsetMs }
      : { offsetMs: this.offsetMs, frozenAt: this.frozenAt };
  }

  restore(state: ClockState): void {
    this.offsetMs = state.offsetMs;
    this.frozenAt = state.frozenAt;
    this.wakeAll();
  }

  /** Called after every change (advance, set, freeze, reset), with the new state. */
  onChange(listener: (state: ClockState) => void): void {
    this.listener = listener;
  }

  now(): number {
    return this.frozenAt ?? this.wallClock() + this.offsetMs;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  advance(ms: number): number {
    return this.set(this.now() + ms);
  }

  set(epochMs: number): number {
    if (!Number.isSafeInteger(epochMs) || epochMs < 0 || epochMs > LATEST_CLOCK_MS) {
      throw new ClockRangeError(
        `the clock must stay between 0 and ${LATEST_CLOCK_MS} ms (epoch ms); ${epochMs} is not`,
      );
    }
    if (this.frozenAt !== undefined) this.frozenAt = epochMs;
    else this.offsetMs = epochMs - this.wallClock();
    this.wakeAll();
    this.changed();
    return this.now();
  }

  /** Stops time at the current instant; `false` lets it flow on from there. */
  freeze(frozen: boolean): number {
    const now = this.now();
    if (frozen) this.frozenAt = now;
    else {
      this.frozenAt = undefined;
      this.offsetMs = now - this.wallClock();
    }
    this.wakeAll();
    this.changed();
    return now;
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
    this.wakeAll();
    this.changed();
  }

  /** Lets every held call go now and stops keeping state: the clock's owner is going away. */
  release(): void {
    this.listener = undefined;
    for (const waiter of this.waiters) {
      if (waiter.timer !== undefined) this.timers.clearTimeout(waiter.timer);
      waiter.resolve();
    }
    this.waiters.clear();
  }

  private changed(): void {
    this.listener?.(this.state());
  }

  private wakeAll(): void {
    for (const waiter of this.waiters) this.wake(waiter);
  }

  /** Resolves a waiter whose time has come, or re-arms its real timer for the time still to run. */
  private wake(waiter: Waiter): void {
    if (waiter.timer !== undefined) this.timers.clearTimeout(waiter.timer);
    waiter.timer = undefined;
    const remainingMs = waiter.deadline - this.now();
    if (remainingMs <= 0) {
      this.waiters.delete(waiter);
      waiter.resolve();
    } else if (this.frozenAt === undefined) {
      waiter.timer = this.timers.setTimeout(() => this.wake(waiter), remainingMs);
      // A held call must not keep a finished process alive.
      (waiter.timer as { unref?: () => void }).unref?.();
    }
  }
}

/** The real timers `until` uses while the clock runs; injectable so its unit test needs no sleep. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

interface Waiter {
  deadline: number;
  resolve(): void;
  timer?: unknown;
}
