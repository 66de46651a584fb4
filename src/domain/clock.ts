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
 * The latest moment the system represents: 9999-12-31T23:59:59.999Z. Every time a caller can set (the
 * clock, restored backups) stays at or before it, so every derived time (a deletion window, a rotation
 * a year later) stays far inside the range of a JavaScript Date and of the wire's date formats.
 */
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** True when `ms` is a whole epoch millisecond from 1970 to LATEST_TIME_MS. */
export function isRepresentableTime(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isSafeInteger(ms) && ms >= 0 && ms <= LATEST_TIME_MS;
}

/**
 * A stored time brought into 1970..9999 for presenting: a row written before times were bounded (or
 * by hand) must still be answered, never turned into a RangeError and a 500.
 */
export function representable(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(Math.trunc(ms), LATEST_TIME_MS);
}

export class ClockRangeError extends RangeError {}

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
    this.checkAdvance(ms);
    this.offsetMs += ms;
    return this.now();
  }

  /** Throws ClockRangeError unless `advance(ms)` may be made now (forward, and not past 9999). */
  checkAdvance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new ClockRangeError('the clock only moves forward: advance(ms) needs ms >= 0');
    if (this.now() + ms > LATEST_TIME_MS) throw new ClockRangeError('the clock cannot move past 9999-12-31T23:59:59.999Z');
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
