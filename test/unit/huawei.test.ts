/**
 * Pure parts of the Huawei door: our SDK-HMAC-SHA256 functions against the official signer, the
 * token list parser, rotation periods, key ids and the secret_blob codec.
 */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { ConfigError, resolveConfig } from '../../src/config';
import { CredentialRegistry, generateCredential } from '../../src/credentials';
import { HuaweiAuthenticator, type HuaweiWireRequest } from '../../src/huawei/authenticate';
import { HuaweiError } from '../../src/huawei/error-catalogue';
import { encryptionKeyOf, formatRotationPeriod, parseRotationPeriod } from '../../src/huawei/mapping';
import { decodeSecretBlob, encodeSecretBlob } from '../../src/huawei/secret-blob';
import { huaweiCanonicalUri, signHuaweiRequest } from '../../src/huawei/signature';
import { HuaweiProjects, HuaweiTokenFormatError, parseHuaweiTokenList } from '../../src/huawei/tokens';

const SIGNED_AT = Date.UTC(2024, 7, 8, 1, 31, 35);
const SDK_DATE = '20240808T013135Z';

const credential = generateCredential('2100000001');
const projects = new HuaweiProjects([{ token: 'tok', projectId: 'p1', accountId: '2100000001', region: 'cn-beijing' }]);
const authenticator = new HuaweiAuthenticator({ projects, credentials: new CredentialRegistry([credential]), maxSkewMs: 900_000, wallClock: () => SIGNED_AT });

/** Signs with the official signer and turns the result into the request our verifier sees. */
function officiallySigned(req: { method: string; path: string; query?: Record<string, string | string[]>; data?: unknown; headers?: Record<string, string> }): HuaweiWireRequest {
  const headers = AKSKSigner.sign(
    {
      endpoint: `http://127.0.0.1:8970${req.path}`,
      method: req.method,
      headers: { 'content-type': 'application/json', 'X-Project-Id': 'p1', 'X-Sdk-Date': SDK_DATE, ...(req.headers ?? {}) },
      queryParams: req.query ?? {},
      data: req.data,
    },
    new BasicCredentials().withAk(credential.accessKeyId).withSk(credential.secretAccessKey),
  ) as Record<string, string>;
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const query: Array<[string, string]> = Object.entries(req.query ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
  return { method: req.method, path: req.path, query, headers: lower, body: Buffer.from(req.data === undefined ? '' : JSON.stringify(req.data)), projectId: 'p1' };
}

function refusal(req: HuaweiWireRequest): HuaweiError {
  try {
    authenticator.authenticate(req);
  } catch (e) {
    if (e instanceof HuaweiError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('SDK-HMAC-SHA256 verification against the official signer', () => {
  it('accepts what the official signer signed: JSON body, query with repeated and reserved characters', () => {
    const post = officiallySigned({ method: 'POST', path: '/v1/p1/secrets', data: { name: 'demo', secret_string: 'ü €' } });
    expect(authenticator.authenticate(post)).toMatchObject({ via: 'aksk', projectId: 'p1', accessKeyId: credential.accessKeyId, scope: { accountId: '2100000001', region: 'cn-beijing' } });
    const get = officiallySigned({ method: 'GET', path: '/v1/p1/secrets/demo', query: { b: ['2', '1'], a: "x y/ü*'()!", c: '' } });
    expect(authenticator.authenticate(get).via).toBe('aksk');
  });

  it('refuses each change after signing: method, path, query, body, a signed header', () => {
    const signed = officiallySigned({ method: 'POST', path: '/v1/p1/secrets', query: { k: 'v' }, data: { name: 'demo' } });
    const changes: Array<Partial<HuaweiWireRequest>> = [
      { method: 'PUT' },
      { path: '/v1/p1/secrets/restore' },
      { query: [['k', 'w']] },
      { body: Buffer.from('{"name":"demO"}') },
      { headers: { ...signed.headers, 'content-type': 'text/plain' } },
    ];
    for (const change of changes) expect(refusal({ ...signed, ...change }).status).toBe(401);
  });

  it('our signer produces exactly the official Authorization header', () => {
    const ours = signHuaweiRequest({
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      method: 'POST',
      path: '/v1/p1/secrets',
      host: '127.0.0.1:8970',
      headers: { 'content-type': 'application/json', 'X-Project-Id': 'p1' },
      body: JSON.stringify({ name: 'demo' }),
      now: SIGNED_AT,
    });
    const official = officiallySigned({ method: 'POST', path: '/v1/p1/secrets', data: { name: 'demo' } });
    expect(ours.Authorization).toBe(official.headers.authorization);
  });

  it('encodes each path segment once more and ends the URI with a slash, as the Node SDK does', () => {
    expect(huaweiCanonicalUri('/v1/p1/secrets')).toBe('/v1/p1/secrets/');
    expect(huaweiCanonicalUri('/v1/p1/a%20b')).toBe('/v1/p1/a%2520b/');
    expect(huaweiCanonicalUri('/v1/p1/a%20b', true)).toBe('/v1/p1/a%20b/');
  });

  it('accepts UNSIGNED-PAYLOAD only without a body (an unsigned body would act in the signer\'s name), and refuses a declared body hash that does not match the body', () => {
    const unsigned = officiallySigned({ method: 'POST', path: '/v1/p1/secrets', headers: { 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
    expect(authenticator.authenticate({ ...unsigned, body: Buffer.alloc(0) }).via).toBe('aksk');
    expect(refusal({ ...unsigned, body: Buffer.from('{"any":"body"}') })).toMatchObject({ status: 401 });
    const declared = officiallySigned({ method: 'POST', path: '/v1/p1/secrets', headers: { 'X-Sdk-Content-Sha256': '0'.repeat(64) } });
    expect(refusal(declared).status).toBe(401);
  });
});

describe('token list (VOLC_SECRETS_HUAWEI_TOKENS)', () => {
  it('parses entries from the right, so tokens may hold ":"', () => {
    expect(parseHuaweiTokenList(' MIIT:a:b:p1:2100000001:cn-beijing , t2:p2:2100000002:cn-north-4 ')).toEqual([
      { token: 'MIIT:a:b', projectId: 'p1', accountId: '2100000001', region: 'cn-beijing' },
      { token: 't2', projectId: 'p2', accountId: '2100000002', region: 'cn-north-4' },
    ]);
  });

  it('refuses malformed entries without repeating the token', () => {
    for (const text of ['', 'only:three:parts', 'secret-token:p1:acct:cn-beijing', 'secret-token:p 1:2100000001:cn-beijing', 'secret-token:p1:2100000001:CN']) {
      let message = '';
      try {
        parseHuaweiTokenList(text);
      } catch (e) {
        expect(e).toBeInstanceOf(HuaweiTokenFormatError);
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('secret-token');
    }
  });

  it('refuses one project_id for two accounts or regions, and one token for two projects', () => {
    expect(() => new HuaweiProjects(parseHuaweiTokenList('t1:p1:2100000001:cn-beijing,t2:p1:2100000002:cn-beijing'))).toThrow(HuaweiTokenFormatError);
    expect(() => new HuaweiProjects(parseHuaweiTokenList('t1:p1:2100000001:cn-beijing,t1:p2:2100000001:cn-beijing'))).toThrow(HuaweiTokenFormatError);
    expect(new HuaweiProjects(parseHuaweiTokenList('t1:p1:2100000001:cn-beijing,t2:p1:2100000001:cn-beijing')).project('p1')).toEqual({ accountId: '2100000001', region: 'cn-beijing' });
  });
});

describe('mapping', () => {
  it('reads rotation periods in d, h, m, s and writes the largest whole unit', () => {
    expect(['1d', '24h', '1440m', '86400s'].map(parseRotationPeriod)).toEqual([86400, 86400, 86400, 86400]);
    expect(['', '1', 'd', '1.5h', '-1h', '1w', ' 1d'].map(parseRotationPeriod)).toEqual([null, null, null, null, null, null, null]);
    expect([86400, 21600, 90000, 5400, 21601].map(formatRotationPeriod)).toEqual(['1d', '6h', '25h', '90m', '21601s']);
  });

  it('maps key ids to key TRNs in the csms keyring, and the default key to none', () => {
    const scope = { accountId: '2100000001', region: 'cn-beijing' };
    expect(encryptionKeyOf(undefined, scope)).toBe('');
    expect(encryptionKeyOf('csms/default', scope)).toBe('');
    expect(encryptionKeyOf('0d0466b0-e727-4d9c-b35d-f84bb474a37f', scope)).toBe('trn:kms:cn-beijing:2100000001:keyrings/csms/keys/0d0466b0-e727-4d9c-b35d-f84bb474a37f');
    expect(encryptionKeyOf('other/key', scope)).toBeNull();
  });
});

describe('secret_blob codec', () => {
  it('round-trips the three sealed fields exactly', () => {
    const sealed = { dataKey: Buffer.from('wrapped key bytes').toString('base64'), data: '{"Format":"x","Iv":"aa==","Ciphertext":"bb=="}', signature: Buffer.alloc(32, 9).toString('base64') };
    expect(decodeSecretBlob(encodeSecretBlob(sealed))).toEqual(sealed);
  });
});

describe('VOLC_SECRETS_HUAWEI_TOKENS in the configuration', () => {
  it('is read from the environment, and a malformed value names the variable', () => {
    expect(resolveConfig({ VOLC_SECRETS_HUAWEI_TOKENS: 't1:p1:2100000001:cn-beijing' }).huaweiTokens).toEqual([
      { token: 't1', projectId: 'p1', accountId: '2100000001', region: 'cn-beijing' },
    ]);
    expect(resolveConfig({}).huaweiTokens).toEqual([]);
    expect(() => resolveConfig({ VOLC_SECRETS_HUAWEI_TOKENS: 't1:p1' })).toThrow(ConfigError)
    expect(() => resolveConfig({ VOLC_SECRETS_HUAWEI_TOKENS: 't1:p1' })).toThrow(/VOLC_SECRETS_HUAWEI_TOKENS is malformed/);
  });
});
