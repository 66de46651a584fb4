/**
 * Lookups keyed by input never find inherited members: `__proto__`, `constructor` and `toString` are
 * unknown names everywhere (the ManagedState filter once read them as `true`).
 */
import { controlClient } from '../support/control';
import { officialSignature, rawHttp, startHuaweiTestServer } from '../support/huawei';
import { actionQuery, startTestServer, type TestServer } from '../support/server';

const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('input-keyed lookups', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.sdk.ok('CreateSecret', { SecretName: 'plain', SecretType: 'Generic', SecretValue: 'v' });
  });
  afterAll(() => t.handle.close());

  it.each(INHERITED)('the ManagedState filter refuses %s', async (value) => {
    const error = await t.sdk.fail('DescribeSecrets', { Filters: JSON.stringify([{ Key: 'ManagedState', Values: [value] }]) });
    expect(error.Code).toBe('InvalidParameter');
    expect(error.Message).toContain('ManagedState takes true, false, Managed or Unmanaged');
  });

  it.each(INHERITED)('a filter Key %s is unknown', async (key) => {
    const error = await t.sdk.fail('DescribeSecrets', { Filters: JSON.stringify([{ Key: key, Values: ['x'] }]) });
    expect(error.Message).toContain('Unknown Key');
  });

  it.each(INHERITED)('an Action parameter %s, once or repeated (query, form and JSON), is ignored like any unknown one', async (name) => {
    const requests = [
      { method: 'GET', query: [...actionQuery('DescribeSecret', { SecretName: 'plain' }), [name, '1'], [name, '2']] as Array<[string, string]> },
      { method: 'POST', query: actionQuery('DescribeSecret'), body: `SecretName=plain&${name}=1&${name}=2`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      { method: 'POST', query: actionQuery('DescribeSecret'), body: `{"SecretName":"plain",${JSON.stringify(name)}:{"SecretName":"other"}}`, headers: { 'Content-Type': 'application/json' } },
    ];
    for (const r of requests) {
      const res = await t.raw(r);
      expect({ status: res.status, name: res.body.Result?.Secret?.SecretName }).toEqual({ status: 200, name: 'plain' });
    }
  });

  it.each(INHERITED)('a control parameter %s (query or JSON body) is refused as unknown', async (name) => {
    const inQuery = await t.raw({ method: 'GET', path: '/_local/clock', query: [[name, 'x']] });
    const inBody = await t.raw({ method: 'POST', path: '/_local/sweep', body: `{${JSON.stringify(name)}:"x"}`, headers: { 'Content-Type': 'application/json' } });
    for (const res of [inQuery, inBody]) {
      expect(res.body.ResponseMetadata.Error?.Code).toBe('InvalidParameter');
      expect(res.body.ResponseMetadata.Error!.Message).toContain(`This operation has no parameter ${name}`);
    }
    // and through the official SDK's client
    expect((await controlClient(t.sdk.service).fail('GET', '/clock', { constructor: 'x' })).Code).toBe('InvalidParameter');
  });

  it.each(['/', '/_local/clock'])('SignedHeaders naming __proto__ and constructor is a signature that does not match, not a 500 (%s)', async (path) => {
    const res = await t.raw({
      method: 'GET',
      path,
      query: path === '/' ? actionQuery('DescribeSecrets') : [],
      tamper: (r) => {
        r.headers.Authorization = r.headers.Authorization.replace('SignedHeaders=', 'SignedHeaders=__proto__;constructor;');
      },
    });
    expect({ status: res.status, code: res.body.ResponseMetadata.Error?.Code }).toEqual({ status: 401, code: 'SignatureDoesNotMatch' });
  });
});

describe('the Huawei door, SignedHeaders naming inherited members', () => {
  it('answers 401, not a 500', async () => {
    const s = await startHuaweiTestServer();
    try {
      const path = `/v1/${s.a.projectId}/secrets/anything`;
      const headers = officialSignature(s.t.handle, s.a.credential, { method: 'GET', path });
      const key = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization')!;
      headers[key] = headers[key].replace('SignedHeaders=', 'SignedHeaders=__proto__;constructor;');
      expect((await rawHttp(s.t.handle, 'GET', path, headers)).status).toBe(401);
    } finally {
      await s.close();
    }
  });
});
