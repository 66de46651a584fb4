/**
 * The dispatcher and the envelope: routing on Action + Version, bodies the server cannot read, and
 * the shape of every answer (ResponseMetadata always; Result on success only; Error on failure only).
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { actionQuery, startTestServer, VERSION, type RawResponse, type TestServer } from '../support/server';

const REQUEST_ID = /^\d{14}[0-9A-F]{18}$/;

/** Asserts the full error envelope: metadata, Error triple, no Result, no stack or HTML. */
function expectErrorEnvelope(
  res: RawResponse,
  expected: { status: number; code: string; codeN: number; message?: string | RegExp; action?: string; version?: string },
): void {
  expect(res.status).toBe(expected.status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['ResponseMetadata']);
  const meta = res.body.ResponseMetadata;
  expect(Object.keys(meta).sort()).toEqual(['Action', 'Error', 'Region', 'RequestId', 'Service', 'Version']);
  expect(meta.RequestId).toMatch(REQUEST_ID);
  expect(meta.Service).toBe('kms');
  expect(meta.Region).toBe('cn-beijing');
  if (expected.action !== undefined) expect(meta.Action).toBe(expected.action);
  if (expected.version !== undefined) expect(meta.Version).toBe(expected.version);
  expect(Object.keys(meta.Error!).sort()).toEqual(['Code', 'CodeN', 'Message']);
  expect(meta.Error!.Code).toBe(expected.code);
  expect(meta.Error!.CodeN).toBe(expected.codeN);
  if (expected.message instanceof RegExp) expect(meta.Error!.Message).toMatch(expected.message);
  else if (expected.message !== undefined) expect(meta.Error!.Message).toBe(expected.message);
  expect(res.text).not.toMatch(/<html|<!DOCTYPE|\bat [\w.]+ \(|node_modules|\.ts:\d+/i);
}

describe('dispatcher and envelope', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.handle.close());

  describe('routing', () => {
    it('a missing Action → 400 MissingParameter', async () => {
      const res = await t.raw({ query: [['Version', VERSION]] });
      expectErrorEnvelope(res, { status: 400, code: 'MissingParameter', codeN: 100002, message: 'The request is missing Action parameter.' });
    });

    it('a missing Version → 400 MissingParameter', async () => {
      const res = await t.raw({ query: [['Action', 'DescribeSecrets']] });
      expectErrorEnvelope(res, {
        status: 400,
        code: 'MissingParameter',
        codeN: 100002,
        message: 'The request is missing Version parameter.',
        action: 'DescribeSecrets',
      });
    });

    it('Action and Version may come in a JSON body', async () => {
      const res = await t.raw({
        method: 'POST',
        body: JSON.stringify({ Action: 'DescribeSecrets', Version: VERSION, PageSize: 5 }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(200);
      expect(res.body.ResponseMetadata).toMatchObject({ Action: 'DescribeSecrets', Version: VERSION });
      expect(res.body.Result.PageInfo.PageSize).toBe(5);
    });

    it.each([
      ['an unknown Action', 'FrobnicateSecret', VERSION],
      ['a wrong Version', 'CreateSecret', '2020-01-01'],
      ['a billing Action we do not build', 'CreateSecretInstance', VERSION],
      ['DescribeSecretInstances', 'DescribeSecretInstances', VERSION],
      ['a tag Action of the cloud', 'TagResources', VERSION],
      ['a key Action of the same service', 'CreateKeyring', VERSION],
    ])('%s → 404 InvalidActionOrVersion', async (_label, action, version) => {
      const res = await t.raw({ query: [['Action', action], ['Version', version], ['SecretName', 'x1']] });
      expectErrorEnvelope(res, {
        status: 404,
        code: 'InvalidActionOrVersion',
        codeN: 100008,
        message: `Could not find operation ${action} for version ${version}.`,
        action,
        version,
      });
    });

    it('authentication comes before routing: an unsigned unknown Action is 401', async () => {
      const res = await t.raw({ query: actionQuery('FrobnicateSecret'), sign: false });
      expectErrorEnvelope(res, { status: 401, code: 'MissingAuthenticationToken', codeN: 100003, action: 'FrobnicateSecret' });
    });
  });

  describe('bodies the server cannot read', () => {
    const post = (body: string, contentType?: string) =>
      t.raw({ method: 'POST', query: actionQuery('CreateSecret'), body, headers: contentType ? { 'Content-Type': contentType } : {} });

    it('malformed JSON → 400 InvalidParameter naming Body', async () => {
      const res = await post('{"SecretName": "broken", ', 'application/json');
      expectErrorEnvelope(res, {
        status: 400,
        code: 'InvalidParameter',
        codeN: 0,
        message: /^The request parameter Body is invalid\. /,
        action: 'CreateSecret',
        version: VERSION,
      });
      expect((await t.sdk.fail('DescribeSecret', { SecretName: 'broken' })).Code).toBe('Not Found');
    });

    it('a JSON array body → 400 InvalidParameter naming Body', async () => {
      const res = await post('[{"SecretName":"arr"}]', 'application/json');
      expectErrorEnvelope(res, { status: 400, code: 'InvalidParameter', codeN: 0, message: 'The request parameter Body is invalid. It must be a JSON object.' });
    });

    it('a JSON null or string body → 400 InvalidParameter naming Body', async () => {
      expectErrorEnvelope(await post('null', 'application/json'), { status: 400, code: 'InvalidParameter', codeN: 0, message: /Body is invalid/ });
      expectErrorEnvelope(await post('"text"', 'application/json'), { status: 400, code: 'InvalidParameter', codeN: 0, message: /Body is invalid/ });
    });

    it('an unsupported Content-Type with a body → 400 InvalidParameter naming Content-Type', async () => {
      const res = await post('<CreateSecret><SecretName>xml</SecretName></CreateSecret>', 'application/xml');
      expectErrorEnvelope(res, { status: 400, code: 'InvalidParameter', codeN: 0, message: /^The request parameter Content-Type is invalid\. / });
    });

    it('a JSON body sent as text/plain (the Python GET style) is read', async () => {
      const res = await t.raw({
        method: 'POST',
        query: actionQuery('DescribeSecrets'),
        body: '{"PageSize": 3}',
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(res.status).toBe(200);
      expect(res.body.Result.PageInfo.PageSize).toBe(3);
    });

    it('a body over the limit → 413 RequestEntityTooLarge envelope', async () => {
      const big = JSON.stringify({ SecretName: 'huge', SecretType: 'Generic', SecretValue: 'x'.repeat(9 * 1024 * 1024) });
      const res = await post(big, 'application/json');
      expectErrorEnvelope(res, { status: 413, code: 'RequestEntityTooLarge', codeN: 100019, action: 'CreateSecret', version: VERSION });
      expect(res.body.ResponseMetadata.Error!.Message).toMatch(/^The request body exceeds the limit of \d+ bytes\.$/);
    });

    it.each([
      ['gzip', (b: string) => gzipSync(b)],
      ['br', (b: string) => brotliCompressSync(b)],
      ['gzip (not really compressed)', (b: string) => Buffer.from(b)],
      ['x-unknown', (b: string) => Buffer.from(b)],
    ])('a signed body with Content-Encoding %s → 400 InvalidParameter naming Content-Encoding, never a 500', async (label, encode) => {
      const body = JSON.stringify({ SecretName: 'compressed', SecretType: 'Generic', SecretValue: 'v' });
      // signed: an unsigned request is refused before its body (and its encoding) is looked at
      const res = await t.raw({
        method: 'POST',
        query: actionQuery('CreateSecret'),
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': label.split(' ')[0] },
        bodyBytes: encode(body),
      });
      expectErrorEnvelope(
        res,
        { status: 400, code: 'InvalidParameter', codeN: 0, message: /^The request parameter Content-Encoding is invalid\. /, action: 'CreateSecret' },
      );
    });

    it('too many parameters → 400 InvalidParameter', async () => {
      const query = actionQuery('DescribeSecrets');
      for (let i = 0; i < 250; i++) query.push([`P${i}`, 'x']);
      const res = await t.raw({ query });
      expectErrorEnvelope(res, { status: 400, code: 'InvalidParameter', codeN: 0 });
    });
  });

  describe('success envelopes', () => {
    it('carry ResponseMetadata without Error, and Result', async () => {
      const res = await t.raw({ query: actionQuery('CreateSecret', { SecretName: 'env-ok', SecretType: 'Generic', SecretValue: 'v' }) });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['ResponseMetadata', 'Result']);
      expect(res.body.ResponseMetadata).toEqual({
        RequestId: expect.stringMatching(REQUEST_ID),
        Action: 'CreateSecret',
        Version: VERSION,
        Service: 'kms',
        Region: 'cn-beijing',
      });
      expect(res.body.Result.Secret.SecretName).toBe('env-ok');
    });

    it('UpdateSecret answers Result {}', async () => {
      const res = await t.raw({ query: actionQuery('UpdateSecret', { SecretName: 'env-ok', Description: 'd' }) });
      expect(res.status).toBe(200);
      expect(res.body.Result).toEqual({});
    });

    it('every answer has its own RequestId', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) ids.add((await t.raw({ query: actionQuery('DescribeSecrets') })).body.ResponseMetadata.RequestId);
      expect(ids.size).toBe(5);
    });

    it('the RequestId starts with the Beijing time of the answer', async () => {
      const before = Date.now();
      const res = await t.raw({ query: actionQuery('DescribeSecrets') });
      const stamp = res.body.ResponseMetadata.RequestId.slice(0, 14);
      const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
      expect(stamp >= beijing(before - 1000) && stamp <= beijing(Date.now() + 1000)).toBe(true);
    });

    it('/healthz answers without a signature', async () => {
      const res = await fetch(`${t.handle.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });
  });
});
