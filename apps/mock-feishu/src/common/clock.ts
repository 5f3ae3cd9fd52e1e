/**
 * The emulator's only source of "now". Every expiry (tokens, download URLs, rate windows) is
 * decided against it, so a test moves time with `POST /__mock/clock` instead of sleeping.
 */
export abstract class Clock {
  abstract now(): number;
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
  private listener?: (state: ClockState) => void;

  constructor(private readonly wallClock: () => number = Date.now) {
    super();
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
    if (this.frozenAt !== undefined) this.frozenAt = epochMs;
    else this.offsetMs = epochMs - this.wallClock();
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
    this.changed();
    return now;
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
    this.changed();
  }

  private changed(): void {
    this.listener?.(this.state());
  }
}
