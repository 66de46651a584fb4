/**
 * A small seedable random source (mulberry32) so that a rule failing "half of the calls" fails the
 * same calls on every run when its seed is fixed.
 */
import { randomInt } from 'node:crypto';

export type RandomSource = () => number;

export const MAX_SEED = 0xffff_ffff;

/** Uniform numbers in [0, 1), determined by `seed` (0 to 2^32-1). */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function randomSeed(): number {
  return randomInt(0, MAX_SEED);
}
