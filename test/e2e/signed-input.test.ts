/**
 * Only bytes the signature covers are honoured, on every carrier and both doors and /_local: a
 * presigned URL (it signs no body) with a body is refused and changes nothing; a presigned URL lives
 * until X-Date + X-Expires (at most 7 days); a Huawei UNSIGNED-PAYLOAD request carries no body.
 */
import {
  EMPTY_BODY_SHA256,
  canonicalRequest,
  credentialScope,
  deriveSigningKey,
  formatXDate,
  signatureHex,
  stringToSign,
} from '../../src/signing/signature';
import type { Credential } from '../../src/credentials';
import { officialSignature, rawHttp, startHuaweiTestServer } from '../support/huawei';
import { actionQuery, startTestServer, type Envelope, type TestServer } from '../support/server';

const MINUTE = 60_000;

interface PresignOptions {
  method?: string;
  path?: string;
  now?: number;
  /** X-Expires, signed with the rest */
  expires?: string;
  /** leave X-Expires out of X-SignedQueries (added after signing) */
  expiresUnsigned?: boolean;
}

/** A presigned URL's query, built as the SDKs build it (the X-SignedQueries list names what is signed). */
function presigned(cred: Pick<Credential, 'accessKeyId' | 'secretAccessKey'>, params: Array<[string, string]>, o: PresignOptions = {}): Array<[string, string]> {
  const xDate = formatXDate(o.now ?? Date.now());
  const date = xDate.slice(0, 8);
  const scope = credentialScope(date, 'cn-beijing', 'kms');
  const signed: Array<[string, string]> = [
    ...params,
    ['X-Algorithm', 'HMAC-SHA256'],
    ['X-Credential', `${cred.accessKeyId}/${scope}`],
    ['X-Date', xDate],
    ['X-NotSignBody', ''],
    ['X-SignedHeaders', ''],
  ];
  if (o.expires !== undefined && !o.expiresUnsigned) signed.push(['X-Expires', o.expires]);
  const canonical = canonicalRequest({ method: o.method ?? 'GET', path: o.path ?? '/', query: signed, signedHeaders: [], headerValues: {}, payloadHash: EMPTY_BODY_SHA256 });
  const signature = signatureHex(deriveSigningKey(cred.secretAccessKey, date, 'cn-beijing', 'kms'), stringToSign(xDate, scope, canonical));
  const out: Array<[string, string]> = [...signed, ['X-SignedQueries', signed.map(([k]) => k).sort().join(';')], ['X-Signature', signature]];
  if (o.expires !== undefined && o.expiresUnsigned) out.push(['X-Expires', o.expires]);
  return out;
}

async function send(url: string, path: string, query: Array<[string, string]>, init: { method?: string; body?: string; contentType?: string } = {}) {
  const headers: Record<string, string> = init.contentType ? { 'Content-Type': init.contentType } : {};
  const res = await fetch(`${url}${path}?${new URLSearchParams(query)}`, { method: init.method ?? 'GET', headers, body: init.body });
  return { status: res.status, body: (await res.json()) as Envelope };
}

describe('only signed input is honoured', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.sdk.ok('CreateSecret', { SecretName: 'shared', SecretType: 'Generic', SecretValue: 'original' });
  });
  afterAll(() => t.handle.close());

  const valueOf = async () => (await t.sdk.ok('GetSecretValue', { SecretName: 'shared' })).SecretValue;
  const describeUrl = (method = 'POST') => presigned(t.handle.credentials, actionQuery('DescribeSecret', { SecretName: 'shared' }), { method });

  it('a presigned URL is honoured as signed, without a body', async () => {
    const res = await send(t.handle.url, '/', describeUrl(), { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body.Result.Secret.SecretName).toBe('shared');
  });

  it.each([
    ['a form body', 'application/x-www-form-urlencoded', 'Action=SetSecretValue&SecretName=shared&SecretValue=replaced'],
    ['a JSON body', 'application/json', JSON.stringify({ Action: 'SetSecretValue', SecretName: 'shared', SecretValue: 'replaced' })],
  ])('a presigned URL with %s (replacing the Action) is refused with InvalidParameter Body and changes nothing', async (_, contentType, body) => {
    const res = await send(t.handle.url, '/', describeUrl(), { method: 'POST', body, contentType });
    expect(res.status).toBe(400);
    expect(res.body.ResponseMetadata.Error).toMatchObject({ Code: 'InvalidParameter' });
    expect(res.body.ResponseMetadata.Error!.Message).toMatch(/^The request parameter Body is invalid\. A presigned URL signs no body/);
    expect(res.body.Result).toBeUndefined();
    expect(await valueOf()).toBe('original');
  });

  it('a presigned URL whose signed query names the Action, with the rest split into the body, is refused', async () => {
    const query = presigned(t.handle.credentials, actionQuery('SetSecretValue', { SecretName: 'shared' }), { method: 'POST' });
    const res = await send(t.handle.url, '/', query, { method: 'POST', body: 'SecretValue=replaced', contentType: 'application/x-www-form-urlencoded' });
    expect(res.body.ResponseMetadata.Error?.Code).toBe('InvalidParameter');
    expect(await valueOf()).toBe('original');
  });

  it('a header-signed body changed after signing is refused (the payload hash covers it)', async () => {
    const res = await t.raw({
      method: 'POST',
      query: actionQuery('SetSecretValue'),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ SecretName: 'shared', SecretValue: 'signed' }),
      tamper: (r) => {
        r.body = JSON.stringify({ SecretName: 'shared', SecretValue: 'replaced' });
      },
    });
    expect(res.body.ResponseMetadata.Error?.Code).toBe('SignatureDoesNotMatch');
    expect(await valueOf()).toBe('original');
  });

  it('an unsigned Content-Type cannot turn the signed bytes of a JSON body into other parameters (form reading)', async () => {
    await t.sdk.ok('CreateSecret', { SecretName: 'bystander', SecretType: 'Generic', SecretValue: 'untouched' });
    const literal = 'v&SecretName=bystander&SecretValue=evil&x=';
    // signed as the Node SDK signs: Content-Type is not among the signed headers
    const res = await t.raw({
      method: 'POST',
      query: actionQuery('SetSecretValue'),
      body: JSON.stringify({ SecretName: 'shared', SecretValue: literal }),
      tamper: (r) => {
        r.headers['Content-Type'] = 'application/x-www-form-urlencoded';
      },
    });
    expect(res.status).toBe(200);
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'bystander' })).SecretValue).toBe('untouched');
    expect(await valueOf()).toBe(literal);
    await t.sdk.ok('SetSecretValue', { SecretName: 'shared', SecretValue: 'original' });
  });

  describe('/_local', () => {
    it('a presigned control URL with a body is refused, and the body does not choose the snapshot name', async () => {
      const query = presigned(t.handle.controlCredentials, [['name', 'from-url']], { method: 'POST', path: '/_local/snapshots' });
      const res = await send(t.handle.url, '/_local/snapshots', query, { method: 'POST', body: JSON.stringify({ name: 'from-body' }), contentType: 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body.ResponseMetadata.Error).toMatchObject({ Code: 'InvalidParameter' });
      expect(t.handle.snapshots().map((s) => s.name)).toEqual([]);
      // the same URL without a body does what it says
      expect((await send(t.handle.url, '/_local/snapshots', query, { method: 'POST' })).status).toBe(200);
      expect(t.handle.snapshots().map((s) => s.name)).toEqual(['from-url']);
    });
  });

  describe('presigned expiry (X-Expires)', () => {
    const describeQuery = () => actionQuery('DescribeSecret', { SecretName: 'shared' });

    it('refuses a URL signed with X-Expires=1 two minutes ago with InvalidTimestamp', async () => {
      const query = presigned(t.handle.credentials, describeQuery(), { now: Date.now() - 2 * MINUTE, expires: '1' });
      const res = await send(t.handle.url, '/', query);
      expect(res.status).toBe(400);
      expect(res.body.ResponseMetadata.Error).toMatchObject({ Code: 'InvalidTimestamp', CodeN: 100006 });
    });

    it('accepts a URL within its X-Expires, even beyond the 15-minute X-Date window', async () => {
      const query = presigned(t.handle.credentials, describeQuery(), { now: Date.now() - 30 * MINUTE, expires: '3600' });
      expect((await send(t.handle.url, '/', query)).status).toBe(200);
    });

    it.each(['0', '604801', '-5', '1.5', 'soon', '99999999999'])('refuses X-Expires=%s naming X-Expires (1 to 604800 seconds)', async (expires) => {
      const res = await send(t.handle.url, '/', presigned(t.handle.credentials, describeQuery(), { expires }));
      expect(res.status).toBe(400);
      expect(res.body.ResponseMetadata.Error).toMatchObject({ Code: 'InvalidParameter' });
      expect(res.body.ResponseMetadata.Error!.Message).toMatch(/X-Expires/);
    });

    it('accepts the 7-day maximum', async () => {
      const query = presigned(t.handle.credentials, describeQuery(), { now: Date.now() - 6 * 86_400_000, expires: '604800' });
      expect((await send(t.handle.url, '/', query)).status).toBe(200);
    });

    it('refuses an X-Expires added after signing (it would extend the URL\'s life unsigned)', async () => {
      const query = presigned(t.handle.credentials, describeQuery(), { now: Date.now() - 30 * MINUTE, expires: '3600', expiresUnsigned: true });
      expect((await send(t.handle.url, '/', query)).body.ResponseMetadata.Error?.Code).toBe('SignatureDoesNotMatch');
    });
  });
});

describe('the Huawei door honours only a signed body', () => {
  it('refuses an AK/SK request marked UNSIGNED-PAYLOAD that carries a body, and creates nothing', async () => {
    const s = await startHuaweiTestServer();
    try {
      const path = `/v1/${s.a.projectId}/secrets`;
      const headers = officialSignature(s.t.handle, s.a.credential, { method: 'POST', path, headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
      const res = await rawHttp(s.t.handle, 'POST', path, headers, JSON.stringify({ name: 'smuggled', secret_string: 'unsigned' }));
      expect(res.status).toBe(401);
      expect(res.body.error_msg).toMatch(/UNSIGNED-PAYLOAD but the request has a body/);
      expect((await s.a.fetch('GET', `/v1/{project_id}/secrets/smuggled`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
