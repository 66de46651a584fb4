/**
 * DescribeSecrets' `Filters`: a JSON string of `[{"Key": ..., "Values": [...]}]` → the domain's
 * SecretListFilter. Fuzzy keys match substrings case-insensitively; exact keys match whole values;
 * date ranges take `[start, end]` as Unix seconds, milliseconds or RFC 3339 (either end may be "").
 * Values of one key are ORed; different keys are ANDed.
 */
import { own } from '../lookup';
import type { SecretListFilter } from '../domain/ports';
import { ROTATION_STATES, SECRET_STATES, SECRET_TYPES } from '../domain/types';
import { invalidParameter, type ApiError } from '../error-catalogue';

type Apply = (filter: SecretListFilter, values: string[]) => ApiError | null;

const MAX_VALUES = 10;

function exact<T extends string>(allowed: readonly T[] | null, set: (f: SecretListFilter, v: T[]) => void): Apply {
  return (filter, values) => {
    const bad = allowed ? values.find((v) => !(allowed as readonly string[]).includes(v)) : undefined;
    if (bad !== undefined) return invalidParameter('Filters', `Value ${JSON.stringify(bad)} is not one of: ${allowed!.join(', ')}.`);
    set(filter, values as T[]);
    return null;
  };
}

function fuzzy(set: (f: SecretListFilter, v: string[]) => void): Apply {
  return (filter, values) => {
    set(filter, values);
    return null;
  };
}

/** A range bound: Unix seconds (10 digits or fewer), milliseconds (13 digits), or a date string. */
export function parseTimeBound(value: string): number | null {
  const v = value.trim();
  if (/^\d{1,11}$/.test(v)) return Number(v) * 1000;
  if (/^\d{12,14}$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

function range(set: (f: SecretListFilter, r: [number, number]) => void): Apply {
  return (filter, values) => {
    if (values.length < 1 || values.length > 2) return invalidParameter('Filters', 'A date range takes Values [start, end].');
    const [startText, endText = ''] = values;
    const start = startText === '' ? 0 : parseTimeBound(startText);
    const end = endText === '' ? Number.MAX_SAFE_INTEGER : parseTimeBound(endText);
    if (start === null || end === null) {
      return invalidParameter('Filters', 'Range bounds must be Unix seconds, milliseconds or RFC 3339 times.');
    }
    // a bound given in whole seconds covers the whole of its last second
    set(filter, [start, /^\d{1,11}$/.test(endText.trim()) ? end + 999 : end]);
    return null;
  };
}

/** A Map, not an object: `__proto__` or `constructor` must not read as a state. */
const MANAGED_STATES: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['managed', true],
  ['unmanaged', false],
]);

function managedFlag(filter: SecretListFilter, values: string[]): ApiError | null {
  const flags: boolean[] = [];
  for (const v of values) {
    const flag = MANAGED_STATES.get(v.toLowerCase());
    if (flag === undefined) return invalidParameter('Filters', `ManagedState takes true, false, Managed or Unmanaged, not ${JSON.stringify(v)}.`);
    flags.push(flag);
  }
  filter.managed = flags;
  return null;
}

const FILTER_KEYS: Readonly<Record<string, Apply>> = {
  SecretName: fuzzy((f, v) => (f.nameContains = v)),
  Trn: fuzzy((f, v) => (f.trnContains = v)),
  Description: fuzzy((f, v) => (f.descriptionContains = v)),
  SecretType: exact(SECRET_TYPES, (f, v) => (f.types = v)),
  SecretState: exact(SECRET_STATES, (f, v) => (f.states = v)),
  RotationState: exact(ROTATION_STATES, (f, v) => (f.rotationStates = v)),
  OwningService: exact(null, (f, v) => (f.owningServices = v)),
  ManagedState: managedFlag,
  CreationDateRange: range((f, r) => (f.createdBetween = r)),
  UpdateDateRange: range((f, r) => (f.updatedBetween = r)),
};

/** Parses the Filters text; returns the filter or throws InvalidParameter naming Filters. */
export function parseSecretFilters(text: string | undefined): SecretListFilter {
  const filter: SecretListFilter = {};
  if (text === undefined || text.trim() === '') return filter;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter('Filters', 'It must be a JSON array of {"Key": ..., "Values": [...]}.');
  }
  if (!Array.isArray(parsed)) throw invalidParameter('Filters', 'It must be a JSON array of {"Key": ..., "Values": [...]}.');
  const seen = new Set<string>();
  for (const entry of parsed as unknown[]) {
    const e = entry as { Key?: unknown; Values?: unknown };
    if (!e || typeof e !== 'object' || typeof e.Key !== 'string' || !Array.isArray(e.Values)) {
      throw invalidParameter('Filters', 'Each entry must be {"Key": string, "Values": [string, ...]}.');
    }
    const apply = own(FILTER_KEYS, e.Key);
    if (!apply) throw invalidParameter('Filters', `Unknown Key ${JSON.stringify(e.Key)}; use one of: ${Object.keys(FILTER_KEYS).join(', ')}.`);
    if (seen.has(e.Key)) throw invalidParameter('Filters', `Key ${e.Key} is given twice; put all its values in one Values list.`);
    seen.add(e.Key);
    const values = e.Values as unknown[];
    if (values.length < 1 || values.length > MAX_VALUES || !values.every((v) => typeof v === 'string')) {
      throw invalidParameter('Filters', `Values of ${e.Key} must be 1 to ${MAX_VALUES} strings.`);
    }
    const problem = apply(filter, values as string[]);
    if (problem) throw problem;
  }
  return filter;
}
