/**
 * A fault rule: which calls it matches (an Action, optionally one SecretName), how often it fires
 * (the next `count` matches, a `probability` of them, or every one), and what it does when it fires
 * (answer with a catalogue `error`, after `delayMs`, or only delay). The same shape is accepted from
 * seed files, the control API and in-process callers; every field is checked here, once.
 */
import { ACTIONS } from '../actions';
import { INJECTABLE_ERROR_CODES, isInjectableError, type InjectableError } from './injectable-errors';
import { MAX_SEED } from './random';

/** What a user writes. */
export interface FaultRuleInput {
  /** an Action name (e.g. `GetSecretValue`), or `*` for every Action */
  action: string;
  /** only calls naming this SecretName */
  secretName?: string;
  /** the catalogue Code to answer with (see INJECTABLE_ERRORS); omit for a delay-only rule */
  error?: string;
  /** fire on the next `count` matching calls, then the rule is removed */
  count?: number;
  /** fire on this fraction (0 < p <= 1) of the matching calls */
  probability?: number;
  /** wait this long (ms, at most 60000) before answering */
  delayMs?: number;
  /** seed of the rule's random source, for repeatable `probability` rules */
  seed?: number;
}

/** A checked rule, before the registry gives it an id. */
export interface FaultRuleSpec {
  action: string;
  secretName: string | null;
  error: InjectableError | null;
  count: number | null;
  probability: number | null;
  delayMs: number;
  seed: number | null;
}

/** A rule as listed: its spec, its id, and what it has done so far. */
export interface FaultRule extends FaultRuleSpec {
  id: string;
  /** calls left for a `count` rule; null for the others */
  remaining: number | null;
  /** matching calls seen */
  matched: number;
  /** calls it failed or delayed */
  fired: number;
}

export const ANY_ACTION = '*';
export const MAX_DELAY_MS = 60_000;
export const MAX_COUNT = 1_000_000;

/** A rule field that is missing, or has a value the rule cannot take. */
export class FaultRuleError extends Error {
  constructor(
    readonly field: string,
    readonly problem: 'missing' | 'invalid',
    readonly detail: string,
    /** where the rule came from, e.g. `seed.yaml: faults[1] (GetSecretValue)` */
    readonly location?: string,
  ) {
    super(`${location ? location + ': ' : ''}${field}: ${detail}`);
    this.name = 'FaultRuleError';
  }
}

const ACTION_NAMES = new Set(ACTIONS.map((a) => a.name));

interface FieldRule {
  accepts(value: unknown): boolean;
  /** what a valid value is, completing "<field> must be ..." */
  expected: string;
}

const isInteger = (min: number, max: number) => (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const FIELDS: Record<keyof FaultRuleInput, FieldRule> = {
  action: {
    accepts: (v) => typeof v === 'string' && (v === ANY_ACTION || ACTION_NAMES.has(v)),
    expected: `an Action of this server (${[...ACTION_NAMES].join(', ')}) or "${ANY_ACTION}"`,
  },
  secretName: { accepts: (v) => typeof v === 'string' && v.length >= 1 && v.length <= 128, expected: 'a SecretName of 1 to 128 characters' },
  error: { accepts: isInjectableError, expected: `one of: ${INJECTABLE_ERROR_CODES.join(', ')}` },
  count: { accepts: isInteger(1, MAX_COUNT), expected: `a whole number from 1 to ${MAX_COUNT}` },
  probability: { accepts: (v) => typeof v === 'number' && v > 0 && v <= 1, expected: 'a number greater than 0 and at most 1' },
  delayMs: { accepts: isInteger(0, MAX_DELAY_MS), expected: `a whole number of milliseconds from 0 to ${MAX_DELAY_MS}` },
  seed: { accepts: isInteger(0, MAX_SEED), expected: `a whole number from 0 to ${MAX_SEED}` },
};

const FIELD_NAMES = Object.keys(FIELDS) as Array<keyof FaultRuleInput>;

/** Checks one rule; throws a FaultRuleError naming the first field that is wrong. */
export function parseFaultRule(value: unknown): FaultRuleSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FaultRuleError('rule', 'invalid', 'must be an object with at least "action"');
  }
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!(FIELD_NAMES as string[]).includes(key)) throw new FaultRuleError(key, 'invalid', `is not a fault rule field (fields: ${FIELD_NAMES.join(', ')})`);
  }
  if (input.action === undefined) throw new FaultRuleError('action', 'missing', 'is required');
  for (const field of FIELD_NAMES) {
    const v = input[field];
    if (v !== undefined && !FIELDS[field].accepts(v)) throw new FaultRuleError(field, 'invalid', `must be ${FIELDS[field].expected}`);
  }
  if (input.count !== undefined && input.probability !== undefined) {
    throw new FaultRuleError('probability', 'invalid', 'cannot be combined with count (a rule fires on the next N calls or on a fraction of them)');
  }
  if (input.seed !== undefined && input.probability === undefined) {
    throw new FaultRuleError('seed', 'invalid', 'only applies to a rule with probability');
  }
  const delayMs = (input.delayMs as number | undefined) ?? 0;
  if (input.error === undefined && delayMs === 0) {
    throw new FaultRuleError('error', 'missing', 'is required unless delayMs is greater than 0 (a rule must fail or delay)');
  }
  return {
    action: input.action as string,
    secretName: (input.secretName as string | undefined) ?? null,
    error: (input.error as InjectableError | undefined) ?? null,
    count: (input.count as number | undefined) ?? null,
    probability: (input.probability as number | undefined) ?? null,
    delayMs,
    seed: (input.seed as number | undefined) ?? null,
  };
}

/**
 * Checks a list of rules (a seed file's `faults:`); the message names the source, the entry and the
 * field, e.g. `seed.yaml: faults[1] (GetSecretValue): count: must be a whole number from 1 to 1000000`.
 */
export function parseFaultRules(list: unknown[], source: string): FaultRuleSpec[] {
  return list.map((entry, i) => {
    try {
      return parseFaultRule(entry);
    } catch (e) {
      if (!(e instanceof FaultRuleError)) throw e;
      const action = entry && typeof entry === 'object' ? (entry as { action?: unknown }).action : undefined;
      const label = typeof action === 'string' ? ` (${action})` : '';
      throw new FaultRuleError(e.field, e.problem, e.detail, `${source}: faults[${i}]${label}`);
    }
  });
}
