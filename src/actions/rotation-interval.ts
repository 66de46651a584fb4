/** `7d` → 604800. The schema has already checked the form (1 to 365 days). */
export function rotationIntervalSeconds(interval: string | undefined): number | undefined {
  return interval === undefined ? undefined : Number(interval.slice(0, -1)) * 86_400;
}
