/**
 * The parameters of a control API request: the query string merged with the body (a JSON object
 * or a urlencoded form; the body wins), read through typed getters that name the parameter in
 * every refusal. Values from the query or a form are text; JSON values may be numbers too.
 */
import { record } from '../lookup';
import { isRepresentableTime } from '../domain/clock';
import { apiError, invalidParameter } from '../error-catalogue';
import { parseDuration } from './duration';

type Value = string | number | boolean | null;

/** Query keys the SDKs add to every request (Action/Version, presigned-URL fields): not ours. */
function isTransportKey(key: string): boolean {
  return key === 'Action' || key === 'Version' || key.startsWith('X-');
}

function parseBody(body: Buffer, contentType: string | undefined): Record<string, Value> {
  if (body.length === 0) return {};
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = body.toString('utf8');
  // The Node SDK's fetchOpenAPI sends an object `data` as JSON under its default form content type:
  // a body opening with '{' is JSON whatever it is labelled (a real form encodes '{' as %7B).
  if (type === 'application/x-www-form-urlencoded' && !text.trimStart().startsWith('{')) return Object.assign(record<Value>(), Object.fromEntries(new URLSearchParams(text)));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter('Body', 'The body must be a JSON object or a urlencoded form.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidParameter('Body', 'The body must be a JSON object.');
  }
  const out = record<Value>();
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (v !== null && typeof v === 'object') throw invalidParameter(k, `${k} must be a single value, not a list or an object.`);
    out[k] = v as Value;
  }
  return out;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export class ControlParams {
  private readonly values: Record<string, Value>;

  constructor(query: ReadonlyArray<readonly [string, string]>, body: Buffer, contentType: string | undefined) {
    // no prototype: a parameter named __proto__ or constructor is just an unknown parameter
    const values = record<Value>();
    for (const [k, v] of query) if (!isTransportKey(k)) values[k] = v;
    this.values = Object.assign(values, parseBody(body, contentType));
  }

  /** Refuses any parameter the operation does not take (a typo must not pass silently). */
  allowOnly(names: readonly string[]): void {
    for (const key of Object.keys(this.values)) {
      if (!names.includes(key)) {
        const accepted = names.length ? `It accepts: ${names.join(', ')}.` : 'It takes no parameters.';
        throw invalidParameter(key, `This operation has no parameter ${key}. ${accepted}`);
      }
    }
  }

  has(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== null;
  }

  string(name: string): string | undefined {
    const v = this.values[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v === '') throw invalidParameter(name, `${name} must be a non-empty string.`);
    return v;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw apiError('MissingParameter', name);
    return v;
  }

  number(name: string): number | undefined {
    const v = this.values[name];
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(?:\.\d+)?(?:e-?\d+)?$/i.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw invalidParameter(name, `${name} must be a number.`);
    return n;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const n = this.number(name);
    if (n === undefined) return undefined;
    if (!Number.isInteger(n) || n < min || n > max) throw invalidParameter(name, `${name} must be a whole number from ${min} to ${max}.`);
    return n;
  }

  /** Epoch milliseconds, or an ISO 8601 date/time such as 2025-01-31T12:00:00Z. */
  time(name: string): number | undefined {
    const v = this.values[name];
    if (v === undefined || v === null) return undefined;
    const text = String(v).trim();
    const ms = /^\d+$/.test(text) ? Number(text) : ISO_TIME.test(text) ? Date.parse(text) : NaN;
    if (!isRepresentableTime(ms)) {
      throw invalidParameter(name, `${name} must be epoch milliseconds or an ISO 8601 time such as 2025-01-31T12:00:00Z, from 1970 to 9999.`);
    }
    return ms;
  }

  /** Milliseconds, from a number or a text such as `8d`, `36h`, `1d12h`, `250ms`. */
  duration(name: string): number | undefined {
    const v = this.values[name];
    if (v === undefined || v === null) return undefined;
    const ms = typeof v === 'number' || typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null) throw invalidParameter(name, `${name} must be milliseconds or a duration such as 8d, 36h, 1d12h, 90s, 250ms (at most 10 years).`);
    return ms;
  }

  /** One of `choices`. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) throw invalidParameter(name, `${name} must be one of: ${choices.join(', ')}.`);
    return v as T;
  }

  /** The raw values, for operations that check their own input (fault rules). */
  raw(): Readonly<Record<string, Value>> {
    return this.values;
  }
}
