/**
 * An Action's parameters, gathered from wherever the SDKs put them: the query string, a JSON body, a
 * urlencoded form body, or split between the query and the body of one POST (body wins). Values that
 * arrived as text (query, form) are converted to the types their schema declares, since a GET sends
 * `true` and `7` as strings.
 */
import { own, record } from '../lookup';
import type { JsonSchema } from '../validation/schemas';
import { ApiError, invalidParameter } from '../error-catalogue';
import type { QueryPairs } from '../signing/signature';

export type Params = Record<string, unknown>;

/** Query parameters that belong to the signature, not to the Action. */
const SIGNING_PARAMETERS = new Set([
  'X-Algorithm',
  'X-Credential',
  'X-Date',
  'X-Expires',
  'X-NotSignBody',
  'X-Security-Token',
  'X-Signature',
  'X-SignedHeaders',
  'X-SignedQueries',
]);

export const MAX_PARAMETERS = 200;

/**
 * Text pairs → params. Repeated keys and the flattened `Key.1`, `Key.2` form become lists.
 */
export function pairsToParams(pairs: QueryPairs): Params {
  const out: Params = record();
  const indexed = new Map<string, Array<[number, string]>>();
  for (const [key, value] of pairs) {
    if (SIGNING_PARAMETERS.has(key)) continue;
    const m = /^(.+)\.(\d{1,4})$/.exec(key);
    if (m) {
      const list = indexed.get(m[1]) ?? [];
      list.push([Number(m[2]), value]);
      indexed.set(m[1], list);
      continue;
    }
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  for (const [key, list] of indexed) {
    if (out[key] === undefined) out[key] = list.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  }
  return out;
}

export interface ParsedBody {
  /** parameters whose types JSON already carries */
  typed: Params;
  /** parameters that arrived as text */
  text: Params;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The body as text. Bytes that are not UTF-8 are refused rather than replaced with U+FFFD: a value
 * must come back exactly as it was sent, or not be stored at all.
 */
function bodyText(body: Buffer): string {
  try {
    return strictUtf8.decode(body);
  } catch {
    throw invalidParameter('Body', 'It is not valid UTF-8.');
  }
}

/** `a=1&b=x+y` → pairs, refusing malformed percent-encoding (URLSearchParams would silently replace it). */
function formPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const [rawKey, rawValue] = eq === -1 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    const decode = (raw: string, name: string) => {
      try {
        return decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        throw invalidParameter(name, 'It is not valid percent-encoded UTF-8.');
      }
    };
    const key = decode(rawKey, 'Body');
    pairs.push([key, decode(rawValue, key)]);
  }
  return pairs;
}

/**
 * The first top-level parameter holding a string (at any depth) that UTF-8 cannot represent.
 * Iterative: a hostile body may nest thousands of levels deep.
 */
function illFormedParameter(params: Params): string | null {
  for (const [key, value] of Object.entries(params)) {
    const pending: unknown[] = [key, value];
    while (pending.length > 0) {
      const v = pending.pop();
      if (typeof v === 'string') {
        if (LONE_SURROGATE.test(v)) return key;
      } else if (Array.isArray(v)) {
        for (const x of v) pending.push(x);
      } else if (v !== null && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) pending.push(k, x);
      }
    }
  }
  return null;
}

/** Reads the body according to its Content-Type. Throws InvalidParameter for a body it cannot read. */
export function parseBody(body: Buffer, contentType: string | undefined): ParsedBody {
  if (body.length === 0) return { typed: record(), text: record() };
  const type = mediaType(contentType);
  const text = bodyText(body);
  // A body opening with '{' is JSON whatever it is labelled (a real form encodes '{' as %7B, and the Node
  // SDK's fetchOpenAPI sends JSON under the form type). Content-Type is often not signed (the Node SDK
  // leaves it out), so it must not be able to turn the signed bytes of a JSON body into other parameters.
  if (type === 'application/x-www-form-urlencoded' && !/^\s*\{/.test(text)) {
    return { typed: record(), text: pairsToParams(formPairs(text)) };
  }
  if (type === 'application/json' || type.endsWith('+json') || ((type === '' || type === 'text/plain' || type === 'application/x-www-form-urlencoded') && /^\s*\{/.test(text))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidParameter('Body', 'It is not valid JSON.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter('Body', 'It must be a JSON object.');
    const illFormed = illFormedParameter(parsed as Params);
    if (illFormed !== null) {
      throw invalidParameter(illFormed, 'It contains an unpaired UTF-16 surrogate (\\uD800-\\uDFFF), which cannot be stored as UTF-8.');
    }
    return { typed: parsed as Params, text: {} };
  }
  if (type === '' || type === 'text/plain') {
    if (text.trim() === '') return { typed: record(), text: record() };
  }
  throw invalidParameter('Content-Type', 'Send application/json or application/x-www-form-urlencoded.');
}

interface PropertySchema {
  type?: string;
  minLength?: number;
  pattern?: string;
}

/** Converts text values to their schema types; drops empty text for optional parameters that cannot be empty. */
export function coerceTextParams(text: Params, schema: JsonSchema | undefined): Params {
  const properties = (schema?.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  const out: Params = record();
  for (const [key, value] of Object.entries(text)) {
    const prop = own(properties, key);
    if (!prop) {
      out[key] = value;
      continue;
    }
    // The Node SDK sends undefined parameters as `Key=`: read an empty value as "not given".
    if (value === '' && !required.has(key) && (prop.type !== 'string' || prop.pattern || (prop.minLength ?? 0) > 0)) continue;
    out[key] = coerceOne(value, prop.type);
  }
  return out;
}

function coerceOne(value: unknown, type: string | undefined): unknown {
  if (typeof value !== 'string') {
    if (type === 'array' || !Array.isArray(value)) return value;
    return value.length === 1 ? coerceOne(value[0], type) : value;
  }
  switch (type) {
    case 'boolean':
      if (/^true$/i.test(value)) return true;
      if (/^false$/i.test(value)) return false;
      return value;
    case 'integer':
      return /^[+-]?\d{1,15}$/.test(value) ? Number(value) : value;
    case 'array':
      // The Node SDK's urlencoded mode writes a list as String(list), `a,b`; list items (secret
      // names) cannot contain a comma, so this reading is unambiguous.
      return value.split(',');
    default:
      return value;
  }
}

export function checkParameterCount(...sources: Params[]): void {
  const count = sources.reduce((n, s) => n + Object.keys(s).length, 0);
  if (count > MAX_PARAMETERS) {
    throw new ApiError('InvalidParameter', `The request has ${count} parameters; at most ${MAX_PARAMETERS} are accepted.`);
  }
}
