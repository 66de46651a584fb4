/**
 * The signature gate, from the outside: what the official SDK sends is accepted, and every way of
 * getting a signature wrong is refused with the gateway's Code, CodeN and HTTP status, without echoing
 * the signature or the secret key.
 */
import { Service } from '@volcengine/openapi';
import Signer from '@volcengine/openapi/lib/base/sign';
import { generateCredential } from '../../src';
import {
  EMPTY_BODY_SHA256,
  canonicalRequest,
  credentialScope,
  deriveSigningKey,
  formatXDate,
  signRequest,
  signatureHex,
  stringToSign,
} from '../../src/signing/signature';
import type { Credential } from '../../src/credentials';
import { actionQuery, sdkClient, startTestServer, VERSION, type RawResponse, type TestServer } from '../support/server';

const MINUTE = 60_000;

function expectError(res: RawResponse, status: number, code: string, codeN?: number): void {
  expect({ status: res.status, code: res.body.ResponseMetadata.Error?.Code }).toEqual({ status, code });
  if (codeN !== undefined) expect(res.body.ResponseMetadata.Error?.CodeN).toBe(codeN);
  expect(res.body.Result).toBeUndefined();
}

function signatureOf(headers: Record<string, string>): string {
  return /Signature=([0-9a-f]+)/.exec(headers.Authorization)![1];
}

/** A presigned query (the X-Credential ... X-Signature form), built from the pure signing functions. */
function presignedQuery(
  cred: Credential,
  params: Array<[string, string]>,
  opts: { now?: number; region?: string; listSignedQueries?: boolean } = {},
): Array<[string, string]> {
  const xDate = formatXDate(opts.now ?? Date.now());
  const date = xDate.slice(0, 8);
  const region = opts.region ?? 'cn-beijing';
  const scope = credentialScope(date, region, 'kms');
  const signed: Array<[string, string]> = [
    ...params,
    ['X-Algorithm', 'HMAC-SHA256'],
    ['X-Credential', `${cred.accessKeyId}/${scope}`],
    ['X-Date', xDate],
    ['X-NotSignBody', ''],
    ['X-SignedHeaders', ''],
  ];
  const signedQueries = signed.map(([k]) => k).sort().join(';');
  const canonical = canonicalRequest({ method: 'GET', path: '/', query: signed, signedHeaders: [], headerValues: {}, payloadHash: EMPTY_BODY_SHA256 });
  const key = deriveSigningKey(cred.secretAccessKey, date, region, 'kms');
  const signature = signatureHex(key, stringToSign(xDate, scope, canonical));
  return [...signed, ['X-SignedQueries', signedQueries], ['X-Signature', signature]];
}

describe('signature verification', () => {
  let t: TestServer;
  const describeQuery = () => actionQuery('DescribeSecret', { SecretName: 'sig-secret' });

  beforeAll(async () => {
    t = await startTestServer();
    await t.sdk.ok('CreateSecret', { SecretName: 'sig-secret', SecretType: 'Generic', SecretValue: 'sig-value' });
  });
  afterAll(() => t.handle.close());

  describe('accepted', () => {
    it('a correctly signed GET and POST from our signer', async () => {
      expect((await t.raw({ query: describeQuery() })).status).toBe(200);
      const post = await t.raw({
        method: 'POST',
        query: actionQuery('GetSecretValue'),
        body: JSON.stringify({ SecretName: 'sig-secret' }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(post.status).toBe(200);
      expect(post.body.Result.SecretValue).toBe('sig-value');
    });

    it('the Python/Go style: host (with port) and content-type signed, as in vector B', async () => {
      let signedHeaders = '';
      const res = await t.raw({
        method: 'POST',
        query: actionQuery('GetSecretValue'),
        body: JSON.stringify({ SecretName: 'sig-secret' }, null, 1),
        headers: { Host: `127.0.0.1:${t.handle.port}`, 'Content-Type': 'application/json; charset=utf-8' },
        tamper: (r) => {
          signedHeaders = /SignedHeaders=([^,]+)/.exec(r.headers.Authorization)![1];
        },
      });
      expect(signedHeaders).toBe('content-type;host;x-content-sha256;x-date');
      expect(res.status).toBe(200);
      expect(res.body.Result.SecretValue).toBe('sig-value');
    });

    it('a query sent the Python way (unsorted, + for spaces, text/plain GET with the empty-body hash signed)', async () => {
      const filtersText = JSON.stringify([{ Key: 'SecretName', Values: ['sig secret', 'sig-secret'] }]);
      const query: Array<[string, string]> = [['Filters', filtersText], ['Action', 'DescribeSecrets'], ['Version', VERSION]];
      const cred = t.handle.credentials;
      const headers = signRequest({
        accessKeyId: cred.accessKeyId,
        secretAccessKey: cred.secretAccessKey,
        region: 'cn-beijing',
        service: 'kms',
        method: 'GET',
        path: '/',
        query,
        headers: { Host: `127.0.0.1:${t.handle.port}`, 'Content-Type': 'text/plain' },
        body: '',
        now: Date.now(),
      });
      expect(headers['X-Content-Sha256']).toBe(EMPTY_BODY_SHA256);
      const wire = new URLSearchParams(query).toString(); // spaces as +, insertion order
      expect(wire).toContain('sig+secret');
      const res = await fetch(`${t.handle.url}/?${wire}`, { headers });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { Result: { Secrets: Array<{ SecretName: string }> } };
      expect(body.Result.Secrets.map((x) => x.SecretName)).toEqual(['sig-secret']);
    });

    it('header values with extra whitespace, as Node normalises them', async () => {
      const res = await t.raw({ query: describeQuery(), headers: { 'X-Custom-Tag': '  two   spaces  ' } });
      expect(res.status).toBe(200);
    });

    it('an X-Date 14 minutes old or ahead', async () => {
      expect((await t.raw({ query: describeQuery(), signedAt: Date.now() - 14 * MINUTE })).status).toBe(200);
      expect((await t.raw({ query: describeQuery(), signedAt: Date.now() + 14 * MINUTE })).status).toBe(200);
    });

    it('any region, as the scope names it', async () => {
      const res = await t.raw({ query: actionQuery('DescribeSecrets'), region: 'cn-shanghai' });
      expect(res.status).toBe(200);
      expect(res.body.ResponseMetadata.Region).toBe('cn-shanghai');
    });

    it('an SDK session token (X-Security-Token signed)', async () => {
      const service = new Service({
        host: `127.0.0.1:${t.handle.port}`,
        protocol: 'http:',
        serviceName: 'kms',
        region: 'cn-beijing',
        accessKeyId: t.handle.credentials.accessKeyId,
        secretKey: t.handle.credentials.secretAccessKey,
        sessionToken: 'STSeyJhbGciOiJIUzI1NiJ9.session-token',
      });
      const res = (await service.createJSONAPI('GetSecretValue', { Version: VERSION })({ SecretName: 'sig-secret' })) as unknown as {
        Result?: { SecretValue: string };
      };
      expect(res.Result?.SecretValue).toBe('sig-value');
    });
  });

  describe('refused', () => {
    it('no Authorization → 401 MissingAuthenticationToken', async () => {
      const res = await t.raw({ query: describeQuery(), sign: false });
      expectError(res, 401, 'MissingAuthenticationToken', 100003);
      expect(res.body.ResponseMetadata.Error?.Message).toBe('Request is missing Authentication Token.');
    });

    it('an unknown access key → 401 InvalidAccessKey naming it', async () => {
      const stranger = generateCredential();
      const res = await t.raw({ query: describeQuery(), credentials: stranger });
      expectError(res, 401, 'InvalidAccessKey', 100009);
      expect(res.body.ResponseMetadata.Error?.Message).toBe(`The accesskey [${stranger.accessKeyId}] included in the request is invalid.`);
    });

    it('a wrong secret key → 401 SignatureDoesNotMatch, never echoing the key or the signature', async () => {
      const wrong = { ...t.handle.credentials, secretAccessKey: 'd3Jvbmcgc2VjcmV0IGtleSBmb3IgdGVzdHM=' };
      let signature = '';
      const res = await t.raw({ query: describeQuery(), credentials: wrong, tamper: (r) => (signature = signatureOf(r.headers)) });
      expectError(res, 401, 'SignatureDoesNotMatch', 100010);
      expect(res.text).not.toContain(signature);
      expect(res.text).not.toContain(wrong.secretAccessKey);
      expect(res.text).not.toContain(t.handle.credentials.secretAccessKey);
    });

    it('the SDK with a wrong secret key → SignatureDoesNotMatch', async () => {
      const sdk = sdkClient(t.handle, { credentials: { ...t.handle.credentials, secretAccessKey: 'bm90IHRoZSBrZXk=' } });
      expect((await sdk.fail('DescribeSecret', { SecretName: 'sig-secret' })).Code).toBe('SignatureDoesNotMatch');
    });

    it('a tampered body → 401 SignatureDoesNotMatch, and nothing changes', async () => {
      const res = await t.raw({
        method: 'POST',
        query: actionQuery('UpdateSecret'),
        body: JSON.stringify({ SecretName: 'sig-secret', Description: 'signed' }),
        headers: { 'Content-Type': 'application/json' },
        tamper: (r) => (r.body = JSON.stringify({ SecretName: 'sig-secret', Description: 'forged' })),
      });
      expectError(res, 401, 'SignatureDoesNotMatch', 100010);
      expect((await t.sdk.ok('DescribeSecret', { SecretName: 'sig-secret' })).Secret.Description).toBe('');
    });

    it('a tampered body with a matching X-Content-Sha256 → 401 SignatureDoesNotMatch', async () => {
      const forged = JSON.stringify({ SecretName: 'sig-secret', Description: 'forged' });
      const { createHash } = await import('node:crypto');
      const res = await t.raw({
        method: 'POST',
        query: actionQuery('UpdateSecret'),
        body: JSON.stringify({ SecretName: 'sig-secret', Description: 'signed' }),
        headers: { 'Content-Type': 'application/json' },
        tamper: (r) => {
          r.body = forged;
          r.headers['X-Content-Sha256'] = createHash('sha256').update(forged).digest('hex');
        },
      });
      expectError(res, 401, 'SignatureDoesNotMatch');
    });

    it('an X-Content-Sha256 that does not match the body is refused even when it is not signed', async () => {
      const body = JSON.stringify({ SecretName: 'sig-secret' });
      const query = actionQuery('GetSecretValue');
      const cred = t.handle.credentials;
      // signed like a Node GET: no body-hash header among the signed ones, so the payload hash is the body's
      const headers = signRequest({
        accessKeyId: cred.accessKeyId,
        secretAccessKey: cred.secretAccessKey,
        region: 'cn-beijing',
        service: 'kms',
        method: 'POST',
        path: '/',
        query,
        headers: { 'Content-Type': 'application/json' },
        body,
        now: Date.now(),
        signBodyHash: false,
      });
      expect((await t.raw({ method: 'POST', query, body, headers, sign: false })).status).toBe(200);
      const res = await t.raw({ method: 'POST', query, body, headers: { ...headers, 'X-Content-Sha256': EMPTY_BODY_SHA256 }, sign: false });
      expectError(res, 401, 'SignatureDoesNotMatch');
      expect(res.text).not.toContain('sig-value');
    });

    it('a tampered query value → 401 SignatureDoesNotMatch', async () => {
      const res = await t.raw({
        query: describeQuery(),
        tamper: (r) => (r.query = actionQuery('DescribeSecret', { SecretName: 'other-secret' })),
      });
      expectError(res, 401, 'SignatureDoesNotMatch');
    });

    it('a query parameter added after signing → 401 SignatureDoesNotMatch', async () => {
      const res = await t.raw({ query: describeQuery(), tamper: (r) => r.query.push(['Extra', '1']) });
      expectError(res, 401, 'SignatureDoesNotMatch');
    });

    it('a tampered signed header → 401 SignatureDoesNotMatch', async () => {
      const res = await t.raw({
        query: describeQuery(),
        headers: { 'X-Custom-Tag': 'signed' },
        tamper: (r) => (r.headers['X-Custom-Tag'] = 'changed'),
      });
      expectError(res, 401, 'SignatureDoesNotMatch');
    });

    it('a signed header missing from the request → 401 SignatureDoesNotMatch', async () => {
      const res = await t.raw({
        query: describeQuery(),
        headers: { 'X-Custom-Tag': 'signed' },
        tamper: (r) => delete r.headers['X-Custom-Tag'],
      });
      expectError(res, 401, 'SignatureDoesNotMatch');
    });

    it('the region changed after signing → 401 SignatureDoesNotMatch', async () => {
      const res = await t.raw({
        query: describeQuery(),
        tamper: (r) => (r.headers.Authorization = r.headers.Authorization.replace('/cn-beijing/', '/cn-shanghai/')),
      });
      expectError(res, 401, 'SignatureDoesNotMatch');
    });

    it('a scope date other than the X-Date day → 401 SignatureDoesNotMatch', async () => {
      const res = await t.raw({
        query: describeQuery(),
        tamper: (r) => (r.headers.Authorization = r.headers.Authorization.replace(/\/\d{8}\//, '/20200101/')),
      });
      expectError(res, 401, 'SignatureDoesNotMatch');
    });

    it.each([
      ['16 minutes old', -16],
      ['16 minutes ahead', 16],
    ])('an X-Date %s → 400 InvalidTimestamp', async (_label, minutes) => {
      const res = await t.raw({ query: describeQuery(), signedAt: Date.now() + minutes * MINUTE });
      expectError(res, 400, 'InvalidTimestamp', 100006);
      expect(res.body.ResponseMetadata.Error?.Message).toBe('The signature of the request is expired.');
    });

    it('a malformed X-Date → 400 InvalidTimestamp', async () => {
      const res = await t.raw({ query: describeQuery(), tamper: (r) => (r.headers['X-Date'] = '2024-01-02T03:04:05Z') });
      expectError(res, 400, 'InvalidTimestamp', 100006);
    });

    it('a missing X-Date → 400 MissingRequestInfo', async () => {
      const res = await t.raw({ query: describeQuery(), tamper: (r) => delete r.headers['X-Date'] });
      expectError(res, 400, 'MissingRequestInfo', 100004);
      expect(res.body.ResponseMetadata.Error?.Message).toBe('The request is missing X-Date information.');
    });

    it('scope service ecs → 404 ServiceNotFound', async () => {
      const res = await t.raw({ query: describeQuery(), service: 'ecs' });
      expectError(res, 404, 'ServiceNotFound', 100007);
      expect(res.body.ResponseMetadata.Error?.Message).toBe('This service[ecs] not found.');
    });

    it('an Authorization without Signature → 401 MissingSignature', async () => {
      const res = await t.raw({
        query: describeQuery(),
        tamper: (r) => (r.headers.Authorization = r.headers.Authorization.replace(/, Signature=[0-9a-f]+/, '')),
      });
      expectError(res, 401, 'MissingSignature', 100005);
    });

    it('an Authorization of another algorithm → 400 MissingRequestInfo', async () => {
      const res = await t.raw({ query: describeQuery(), tamper: (r) => (r.headers.Authorization = 'AWS4-HMAC-SHA256 Credential=x') });
      expectError(res, 400, 'MissingRequestInfo', 100004);
    });
  });

  describe('presigned query-string form', () => {
    it('is accepted when built as documented (canonical query = the X-SignedQueries list)', async () => {
      const query = presignedQuery(t.handle.credentials, describeQuery());
      const res = await t.raw({ query, sign: false });
      expect(res.status).toBe(200);
      expect(res.body.Result.Secret.SecretName).toBe('sig-secret');
    });

    it('is accepted from the official SDK signer (Signer.getSignUrl)', async () => {
      const signer = new Signer(
        { region: 'cn-beijing', method: 'GET', pathname: '/', params: { Action: 'GetSecretValue', Version: VERSION, SecretName: 'sig-secret' } },
        'kms',
      );
      const qs = signer.getSignUrl({ accessKeyId: t.handle.credentials.accessKeyId, secretKey: t.handle.credentials.secretAccessKey });
      const res = await fetch(`${t.handle.url}/?${qs}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { Result: { SecretValue: string } }).Result.SecretValue).toBe('sig-value');
    });

    it('is accepted from the official SDK signer with a session token', async () => {
      const signer = new Signer(
        { region: 'cn-beijing', method: 'GET', pathname: '/', params: { Action: 'DescribeSecret', Version: VERSION, SecretName: 'sig-secret' } },
        'kms',
      );
      const qs = signer.getSignUrl({
        accessKeyId: t.handle.credentials.accessKeyId,
        secretKey: t.handle.credentials.secretAccessKey,
        sessionToken: 'STS-presign-token',
      });
      expect(qs).toContain('X-Security-Token=');
      expect((await fetch(`${t.handle.url}/?${qs}`)).status).toBe(200);
    });

    it('is refused when a signed value is tampered', async () => {
      const query = presignedQuery(t.handle.credentials, describeQuery()).map(
        ([k, v]) => (k === 'SecretName' ? [k, 'other-secret'] : [k, v]) as [string, string],
      );
      expectError(await t.raw({ query, sign: false }), 401, 'SignatureDoesNotMatch', 100010);
    });

    it('is refused when an Action parameter is added that X-SignedQueries does not list', async () => {
      const query = presignedQuery(t.handle.credentials, actionQuery('UpdateSecret', { SecretName: 'sig-secret' }));
      query.push(['Description', 'smuggled']);
      expectError(await t.raw({ query, sign: false }), 401, 'SignatureDoesNotMatch', 100010);
      expect((await t.sdk.ok('DescribeSecret', { SecretName: 'sig-secret' })).Secret.Description).toBe('');
    });

    it('is refused when the SDK-signed URL is tampered', async () => {
      const signer = new Signer(
        { region: 'cn-beijing', method: 'GET', pathname: '/', params: { Action: 'GetSecretValue', Version: VERSION, SecretName: 'sig-secret' } },
        'kms',
      );
      const qs = signer.getSignUrl({ accessKeyId: t.handle.credentials.accessKeyId, secretKey: t.handle.credentials.secretAccessKey });
      const res = await fetch(`${t.handle.url}/?${qs.replace('SecretName=sig-secret', 'SecretName=sig-secreT')}`);
      expect(res.status).toBe(401);
    });

    it('is refused when its X-Date is 16 minutes old', async () => {
      const query = presignedQuery(t.handle.credentials, describeQuery(), { now: Date.now() - 16 * MINUTE });
      expectError(await t.raw({ query, sign: false }), 400, 'InvalidTimestamp', 100006);
    });

    it('is refused with an unknown access key', async () => {
      const query = presignedQuery(generateCredential(), describeQuery());
      expectError(await t.raw({ query, sign: false }), 401, 'InvalidAccessKey', 100009);
    });

    it('is refused without X-Signature', async () => {
      const query = presignedQuery(t.handle.credentials, describeQuery()).filter(([k]) => k !== 'X-Signature');
      expectError(await t.raw({ query, sign: false }), 401, 'MissingSignature', 100005);
    });
  });
});
