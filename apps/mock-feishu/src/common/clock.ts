/**
 * The emulator's only source of "now". Every expiry (tokens, download URLs, rate windows) is
 * decided against it, so a test moves time with `POST /__mock/clock` instead of sleeping.
 */
export abstract class Clock {
  abstract now(): number;
}

/** Wall-clock time plus an offset that the control plane can move forwards or set outright. */
export class ShiftableClock extends Clock {
  private offsetMs = 0;

  constructor(private readonly wallClock: () => number = Date.now) {
    super();
  }

  now(): number {
    return this.wallClock() + this.offsetMs;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  set(epochMs: number): number {
    this.offsetMs = epochMs - this.wallClock();
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
