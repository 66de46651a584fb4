/**
 * Lookups keyed by input. A plain object inherits `__proto__`, `constructor`, `toString`...: reading
 * `table[input]` would find them, and writing `out[input]` with `__proto__` would replace the
 * prototype. Tables read with an input key go through `own()`; objects filled with input keys start
 * from `record()`, which has no prototype.
 */

/** `table[key]` when `key` is the table's own entry; undefined otherwise (never an inherited member). */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** An empty object without a prototype, for keys that come from input. */
export function record<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
