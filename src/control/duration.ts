/**
 * Durations for the control API: a whole number of milliseconds, or units such as `8d`, `36h`,
 * `1d12h`, `90s`, `250ms` (w, d, h, m, s, ms; each part a whole number).
 */
import { own } from '../lookup';

const UNIT_MS: Readonly<Record<string, number>> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** The longest jump accepted: ten years, so that epoch arithmetic stays exact. */
export const MAX_DURATION_MS = 3650 * UNIT_MS.d;

const PART = /(\d+)(ms|w|d|h|m|s)/g;
const WHOLE = /^(?:\d+(?:ms|w|d|h|m|s))+$/;

/** Milliseconds, or null when `text` is not a duration (or exceeds ten years). */
export function parseDuration(value: string | number): number | null {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else {
    const text = value.trim();
    if (/^\d+$/.test(text)) ms = Number(text);
    else if (WHOLE.test(text)) {
      ms = 0;
      for (const [, n, unit] of text.matchAll(PART)) ms += Number(n) * (own(UNIT_MS, unit) ?? NaN);
    } else return null;
  }
  return Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_DURATION_MS ? ms : null;
}
