/**
 * The one source of time for the domain. Everything a secret records (creation, windows, rotation
 * schedules) reads this clock; tests move it instead of waiting.
 */
export interface Clock {
  /** epoch milliseconds */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Real time plus an offset that only grows: time keeps flowing, and `advance` jumps ahead.
 * (Never backwards: windows and schedules must not be undone by a test.)
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward: advance(ms) needs ms >= 0');
    this.offsetMs += ms;
    return this.now();
  }

  /**
   * Moves the offset up to `offsetMs` if it is behind (never back): another server sharing the
   * database advanced the clock, and this one follows.
   */
  catchUp(offsetMs: number): void {
    if (Number.isFinite(offsetMs) && offsetMs > this.offsetMs) this.offsetMs = offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
