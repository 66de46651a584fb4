/**
 * Hostile input, property-based: every Action of the action table with random, missing, wrongly
 * typed, oversized and unicode parameters, sent as JSON, form, query or a broken body under random
 * content types and methods, signed correctly (our signer: the SDK cannot send broken bodies), or
 * badly. For every request: no 5xx, a Volcengine envelope whose error Code is in the catalogue
 * (with the catalogue's status and CodeN), the server still answers /healthz, and a refused request
 * changed nothing (a snapshot of the stored secrets, versions and values, read through the official SDK).
 *
 * Reproducible: a fixed seed and run count (FUZZ_SEED / FUZZ_RUNS override them); fast-check prints
 * the seed and the shrunk counterexample when a property fails.
 */
import fc from 'fast-check';
import { ACTIONS } from '../../src/actions';
import { ERROR_CATALOGUE, isErrorCode } from '../../src/error-catalogue';
import { signRequest } from '../../src/signing/signature';
import { schemaById } from '../../src/validation/schemas';
import { startTestServer, VERSION, type TestServer } from '../support/server';

const SEED = Number(process.env.FUZZ_SEED ?? 20240218);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const SEEDED = ['fz-a', 'fz-b', 'fz-c'];
const ACTION_NAMES = ACTIONS.map((a) => a.name);

/** Each Action's parameter names, from its schema. */
const PARAMETERS: Record<string, string[]> = Object.fromEntries(
  ACTIONS.map((a) => [a.name, Object.keys((schemaById(a.schemaId)?.properties ?? {}) as Record<string, unknown>)]),
);

interface FuzzRequest {
  method: string;
  query: Array<[string, string]>;
  body: Buffer;
  contentType?: string;
  signing: 'good' | 'none' | 'wrong-key' | 'tampered-body' | 'tampered-signature';
}

interface Answer {
  status: number;
  text: string;
}

// ---- arbitraries -------------------------------------------------------------------------------

/** Values that reach deep into the handlers: real names, types, stages, JSON shapes, booleans as text. */
const plausible = fc.constantFrom<unknown>(
  ...SEEDED,
  'missing-secret',
  'Generic',
  'RDS',
  'IAM',
  'Redis',
  'ECS',
  'CURRENT',
  'true',
  'false',
  '7',
  '30d',
  '0d',
  '366d',
  '{}',
  '[]',
  '{"Accounts":[]}',
  '[{"Key":"SecretName","Values":["fz"]}]',
  '[{"Key":"Nope","Values":[1]}]',
  '',
  ' ',
  'null',
  '1e999',
  '-1',
  '9007199254740993',
  '../../etc/passwd',
  "' or 1=1 --",
  '%00',
  '\u0000',
  '𝕊𝔼ℂℝ𝔼𝕋',
  '密钥',
  true,
  false,
  0,
  -1,
  7,
  30,
  101,
  1.5,
  Number.MAX_SAFE_INTEGER,
);

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // includes lone surrogates
  fc.constantFrom('a'.repeat(129), 'b'.repeat(1025), 'c'.repeat(8193), 'd'.repeat(30721), '密'.repeat(10241)),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: plausible },
  { weight: 3, arbitrary: text },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(plausible, text), { maxLength: 25 }) },
  { weight: 1, arbitrary: fc.object({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

/** For one Action: a subset of its own parameters (missing ones included), plus a few stray ones. */
function paramsFor(action: string): fc.Arbitrary<Record<string, unknown>> {
  const own = PARAMETERS[action] ?? [];
  return fc
    .tuple(
      fc.subarray(own).chain((names) => fc.tuple(...names.map((n) => fc.tuple(fc.constant(n), anyValue)))),
      fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('Action', 'Version', 'X-Signature', 'Filters.1', '__proto__', 'constructor')), anyValue, {
        maxKeys: 3,
      }),
    )
    .map(([pairs, stray]) => ({ ...stray, ...Object.fromEntries(pairs as Array<[string, unknown]>) }));
}

/** Lone surrogates cannot be percent-encoded: replace them (JSON bodies still carry them, escaped). */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** What a form or a query carries: every value as text. */
function asText(value: unknown): string {
  return wellFormed(typeof value === 'string' ? value : JSON.stringify(value) ?? '');
}

const contentType = fc.oneof(
  fc.constantFrom(
    undefined,
    'application/json',
    'application/json; charset=utf-8',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/vnd.api+json',
    'application/octet-stream',
    '',
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

const signing = fc.constantFrom<FuzzRequest['signing']>('good', 'good', 'good', 'good', 'good', 'good', 'none', 'wrong-key', 'tampered-body', 'tampered-signature');

const actionName = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ACTION_NAMES) }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('CreateSecretInstance', 'createsecret', '')) });
const version = fc.oneof({ weight: 9, arbitrary: fc.constant(VERSION) }, { weight: 1, arbitrary: fc.constantFrom('2020-01-01', '', '2021-02-18 ', 'latest') });

type Carrier = 'json' | 'form' | 'query' | 'split';

/** Puts a call's parameters where a client may put them: a JSON body, a form body, the query, or split between query and body. */
function carry(action: string, v: string, carrier: Carrier, s: FuzzRequest['signing'], params: Record<string, unknown>): FuzzRequest {
  const route: Array<[string, string]> = [
    ['Action', action],
    ['Version', v],
  ];
  const entries = Object.entries(params);
  if (carrier === 'json') {
    return { method: 'POST', query: route, body: Buffer.from(JSON.stringify(params)), contentType: 'application/json', signing: s };
  }
  const pairs = entries.map(([k, value]) => [wellFormed(k), asText(value)] as [string, string]);
  if (carrier === 'form') {
    return { method: 'POST', query: route, body: Buffer.from(new URLSearchParams(pairs).toString()), contentType: 'application/x-www-form-urlencoded', signing: s };
  }
  if (carrier === 'query') return { method: 'GET', query: [...route, ...pairs], body: Buffer.alloc(0), signing: s };
  const half = Math.ceil(pairs.length / 2);
  return {
    method: 'POST',
    query: [...route, ...pairs.slice(0, half)],
    body: Buffer.from(JSON.stringify(Object.fromEntries(entries.slice(half)))),
    contentType: 'application/json',
    signing: s,
  };
}

const carrier = fc.constantFrom<Carrier>('json', 'form', 'query', 'split');

/** A call of a random Action with random parameters (its own, some missing, some stray), carried anyhow. */
const structuredRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({ action: actionName, version, carrier, signing })
  .chain(({ action, version: v, carrier: c, signing: s }) => paramsFor(action).map((params) => carry(action, v, c, s, params)));

const seededName = fc.constantFrom(...SEEDED);
const newName = fc.stringMatching(/^fz-new-[a-z0-9]{1,8}$/);
const freeText = fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }));

/** Valid parameters for each Action, which the mutations below then break a little. */
function validParams(backup: Record<string, string>): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  return {
    CreateSecret: fc.record(
      { SecretName: newName, SecretType: fc.constant('Generic'), SecretValue: freeText, Description: freeText, VersionName: fc.constant('v-one') },
      { requiredKeys: ['SecretName', 'SecretType', 'SecretValue'] },
    ),
    DescribeSecret: fc.record({ SecretName: seededName }),
    DescribeSecrets: fc.record(
      {
        PageSize: fc.integer({ min: 1, max: 100 }),
        CurrentPage: fc.integer({ min: 1, max: 3 }),
        ProjectName: fc.constant('default'),
        Filters: fc.constantFrom('[{"Key":"SecretName","Values":["fz"]}]', '[{"Key":"SecretType","Values":["Generic"]}]', '[]'),
      },
      { requiredKeys: [] },
    ),
    UpdateSecret: fc.record({ SecretName: seededName, Description: freeText }),
    GetSecretValue: fc.record({ SecretName: seededName, VersionName: fc.constant('second') }, { requiredKeys: ['SecretName'] }),
    SetSecretValue: fc.record({ SecretName: seededName, SecretValue: freeText, VersionName: fc.stringMatching(/^v[a-z0-9]{1,6}$/) }, { requiredKeys: ['SecretName', 'SecretValue'] }),
    DescribeSecretVersions: fc.record({ SecretName: seededName, PageSize: fc.integer({ min: 1, max: 100 }), PageNumber: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: ['SecretName'] }),
    BatchGetSecretValue: fc.record({ SecretNames: fc.subarray(SEEDED, { minLength: 1 }) }),
    ScheduleSecretDeletion: fc.record({ SecretName: seededName, PendingWindowInDays: fc.integer({ min: 7, max: 30 }) }, { requiredKeys: ['SecretName'] }),
    CancelSecretDeletion: fc.record({ SecretName: seededName }),
    RotateSecret: fc.record({ SecretName: seededName }),
    UpdateSecretRotationPolicy: fc.record({ SecretName: seededName, AutomaticRotation: fc.boolean(), RotationInterval: fc.constantFrom('7d', '30d', '365d') }, { requiredKeys: ['SecretName', 'AutomaticRotation'] }),
    BackupSecret: fc.record({ SecretName: seededName }),
    RestoreSecret: fc.constant({ ...backup }),
  };
}

/** One small change to valid parameters: none, one dropped, one replaced by anything, one stray added. */
function mutate(params: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(params);
  const some = <T>(arb: fc.Arbitrary<T>) => (keys.length ? arb : fc.constant(undefined as T));
  return fc.oneof(
    fc.constant(params),
    some(fc.constantFrom(...(keys.length ? keys : ['x']))).map((k) => Object.fromEntries(Object.entries(params).filter(([key]) => key !== k))),
    some(fc.tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), anyValue)).map(([k, v]) => ({ ...params, [k]: v })),
    fc.tuple(fc.string({ maxLength: 10 }), anyValue).map(([k, v]) => ({ [k]: v, ...params })),
    // a flipped character inside a text value (a corrupted backup blob, a name off by one)
    some(fc.tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), fc.nat(), fc.constantFrom('A', '/', '=', '-', '*'))).map(([k, at, c]) => {
      const v = params[k];
      if (typeof v !== 'string' || v.length === 0) return params;
      const i = at % v.length;
      return { ...params, [k]: v.slice(0, i) + c + v.slice(i + 1) };
    }),
  );
}

/** Valid calls of every Action, slightly broken half of the time: these reach the handlers and the domain. */
function nearValidRequest(backup: Record<string, string>): fc.Arbitrary<FuzzRequest> {
  const valid = validParams(backup);
  return fc
    .record({ action: fc.constantFrom(...ACTION_NAMES), carrier, signing: fc.constantFrom<FuzzRequest['signing']>('good', 'good', 'good', 'good', 'tampered-body') })
    .chain(({ action, carrier: c, signing: s }) =>
      valid[action].chain(mutate).map((params) => carry(action, VERSION, c, s, params)),
    );
}

/** Bodies that are not what they claim: truncated or invalid JSON, random bytes, arrays, huge nesting, under any content type and method. */
const brokenRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    action: actionName,
    method: fc.constantFrom('POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'GET'),
    body: fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.jsonValue({ maxDepth: 3 }).map((j) => Buffer.from(JSON.stringify(j) ?? 'null')),
      fc.constantFrom('{', '{"SecretName":', '{"SecretName":"fz-a",}', '[]', 'null', '"x"', '{"a":1}{"b":2}', '\ufeff{"SecretName":"fz-a"}', 'SecretName=fz-a&&&=&', '%zz=1').map((t) => Buffer.from(t)),
      fc.integer({ min: 1000, max: 20000 }).map((depth) => Buffer.from('['.repeat(depth) + ']'.repeat(depth))),
      fc.integer({ min: 1000, max: 20000 }).map((depth) => Buffer.from('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))),
    ),
    contentType,
    signing,
  })
  .map(({ action, method, body, contentType: ct, signing: s }) => ({
    method,
    query: [
      ['Action', action],
      ['Version', VERSION],
    ] as Array<[string, string]>,
    body: method === 'GET' ? Buffer.alloc(0) : body,
    contentType: ct,
    signing: s,
  }));

// ---- sending and checking ----------------------------------------------------------------------

async function send(t: TestServer, r: FuzzRequest): Promise<Answer> {
  const base: Record<string, string> = r.contentType !== undefined ? { 'Content-Type': r.contentType } : {};
  let headers = base;
  let body = r.body;
  if (r.signing !== 'none') {
    const credentials = r.signing === 'wrong-key' ? { ...t.handle.credentials, secretAccessKey: 'not-the-key' } : t.handle.credentials;
    headers = signRequest({
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      region: 'cn-beijing',
      service: 'kms',
      method: r.method,
      path: '/',
      query: r.query,
      headers: base,
      body,
      now: Date.now(),
      signBodyHash: r.signing !== 'tampered-body',
    });
    if (r.signing === 'tampered-body') body = Buffer.concat([body, Buffer.from(' ')]);
    if (r.signing === 'tampered-signature') headers.Authorization = headers.Authorization.replace(/Signature=(.)/, (_, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`);
  }
  const qs = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const res = await fetch(`${t.handle.url}/?${qs}`, { method: r.method, headers, body: r.method === 'GET' ? undefined : body });
  return { status: res.status, text: await res.text() };
}

interface Checked {
  refused: boolean;
}

/** The answer is a Volcengine envelope: success with a Result, or a catalogue error with its status and CodeN. */
function checkAnswer(a: Answer): Checked {
  expect(a.status).toBeLessThan(500);
  let envelope: { ResponseMetadata?: { Error?: { Code: string; CodeN: number; Message: string } }; Result?: unknown };
  try {
    envelope = JSON.parse(a.text);
  } catch {
    throw new Error(`not a JSON envelope (status ${a.status}): ${a.text.slice(0, 200)}`);
  }
  expect(envelope.ResponseMetadata).toBeDefined();
  const error = envelope.ResponseMetadata!.Error;
  if (!error) {
    expect(a.status).toBe(200);
    expect(typeof envelope.Result).toBe('object');
    return { refused: false };
  }
  expect(isErrorCode(error.Code)).toBe(true);
  const entry = ERROR_CATALOGUE[error.Code as keyof typeof ERROR_CATALOGUE];
  expect({ code: error.Code, status: a.status, codeN: error.CodeN }).toEqual({ code: error.Code, status: entry.status, codeN: entry.codeN });
  expect(typeof error.Message).toBe('string');
  expect(error.Message.length).toBeGreaterThan(0);
  expect(envelope.Result).toBeUndefined();
  return { refused: true };
}

/** What a refused request must leave untouched: the listing, and each seeded secret's versions and values. */
async function snapshot(t: TestServer): Promise<string> {
  const listing = await t.sdk.ok('DescribeSecrets', { PageSize: 100 });
  const parts: unknown[] = [listing];
  for (const name of SEEDED) {
    const described = await t.sdk.call('DescribeSecret', { SecretName: name });
    parts.push(described.Result ?? described.ResponseMetadata.Error?.Code);
    if (!described.Result) continue;
    const versions = await t.sdk.ok('DescribeSecretVersions', { SecretName: name, PageSize: 100 });
    parts.push(versions);
    for (const v of versions.SecretVersions as Array<{ VersionID: string }>) {
      const value = await t.sdk.call('GetSecretValue', { SecretName: name, VersionID: v.VersionID });
      parts.push(value.Result ?? value.ResponseMetadata.Error?.Code);
    }
  }
  return JSON.stringify(parts);
}

async function healthy(t: TestServer): Promise<void> {
  const res = await fetch(`${t.handle.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
}

/** FUZZ_REPORT=1 prints how often each Action met each outcome, to judge what the generators reach. */
const outcomes = new Map<string, number>();
function tally(r: FuzzRequest, answer: Answer, refused: boolean): void {
  if (!process.env.FUZZ_REPORT) return;
  const code = refused ? (JSON.parse(answer.text) as { ResponseMetadata: { Error: { Code: string } } }).ResponseMetadata.Error.Code : 'OK';
  const key = `${r.query[0][1].slice(0, 28).padEnd(28)} ${r.signing.padEnd(18)} ${answer.status} ${code}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}
afterAll(() => {
  if (outcomes.size) process.stdout.write([...outcomes].sort().map(([k, n]) => `${String(n).padStart(5)}  ${k}`).join('\n') + '\n');
});

describe('hostile input (property-based)', () => {
  let t: TestServer;
  let state = '';
  let backup: Record<string, string> = {};
  /** handler calls per Action, counted on the server's side (the in-process action table) */
  const handled = new Map<string, number>();
  /** true only while a fuzz request is in flight: the set-up and the snapshots' own calls do not count */
  let counting = false;
  beforeAll(async () => {
    for (const action of ACTIONS) {
      const original = action.handle;
      jest.spyOn(action, 'handle').mockImplementation((ctx, params) => {
        if (counting) handled.set(action.name, (handled.get(action.name) ?? 0) + 1);
        return original.call(action, ctx, params);
      });
    }
    t = await startTestServer({ sweepSeconds: 3600 });
    for (const name of SEEDED) {
      await t.sdk.ok('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: `${name}-v1`, Description: 'seeded' });
      await t.sdk.ok('SetSecretValue', { SecretName: name, SecretValue: `${name}-v2`, VersionName: 'second' });
    }
    // a real backup of a secret that no longer exists, so its restore can succeed once
    await t.sdk.ok('CreateSecret', { SecretName: 'fz-gone', SecretType: 'Generic', SecretValue: 'gone' });
    backup = await t.sdk.ok('BackupSecret', { SecretName: 'fz-gone' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'fz-gone', ForceDelete: true });
    state = await snapshot(t);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.handle.close();
  });

  const property = (arbitrary: fc.Arbitrary<FuzzRequest>) =>
    fc.asyncProperty(arbitrary, async (r) => {
      counting = true;
      const answer = await send(t, r).finally(() => (counting = false));
      const { refused } = checkAnswer(answer);
      tally(r, answer, refused);
      await healthy(t);
      const after = await snapshot(t);
      if (refused) expect(after).toBe(state);
      state = after; // an accepted request may change things; the next refusal is compared with this
    });

  it('well-formed calls of every Action with random parameters in JSON, form, query or split', async () => {
    await fc.assert(property(structuredRequest), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  }, 120_000);

  it('valid calls of every Action, slightly broken half of the time (reaching the handlers and the domain)', async () => {
    await fc.assert(property(nearValidRequest(backup)), { seed: SEED + 2, numRuns: RUNS, endOnFailure: true });
  }, 120_000);

  it('broken bodies, random content types and methods', async () => {
    await fc.assert(property(brokenRequest), { seed: SEED + 1, numRuns: Math.ceil(RUNS / 2), endOnFailure: true });
  }, 120_000);

  it('every Action was reached with a valid signature (the generator covers the whole action table)', () => {
    const reached = new Set(fc.sample(structuredRequest, { seed: SEED, numRuns: RUNS }).filter((r) => r.signing === 'good').map((r) => r.query[0][1]));
    for (const name of ACTION_NAMES) expect(reached).toContain(name);
  });

  it("every Action's handler was called by the runs above, counted on the server's side (past signature and validation)", () => {
    const counts = Object.fromEntries(ACTION_NAMES.map((name) => [name, handled.get(name) ?? 0]));
    if (process.env.FUZZ_REPORT) process.stdout.write(`handler calls: ${JSON.stringify(counts)}\n`);
    for (const name of ACTION_NAMES) expect({ name, reached: counts[name] > 0 }).toEqual({ name, reached: true });
  });
});
