/**
 * The two test vectors of volcengine-signing.md: what the Node SDK and the Python/Go SDKs sign.
 * The Python and Go SDKs cannot run here, so these vectors are how we stay compatible with them.
 */
import { Authenticator } from '../../src/http/authenticate';
import { ApiError } from '../../src/error-catalogue';
import { CredentialRegistry } from '../../src/credentials';
import {
  canonicalQueryString,
  canonicalRequest,
  credentialScope,
  deriveSigningKey,
  parseAuthorization,
  sha256Hex,
  signatureHex,
  stringToSign,
  uriEncode,
} from '../../src/signing/signature';

const AK = 'AKLTexample';
const SK = 'c2VjcmV0S2V5RXhhbXBsZQ==';
const X_DATE = '20240102T030405Z';
const SIGNED_AT = Date.UTC(2024, 0, 2, 3, 4, 5);

const vectorA = {
  body: '{"SecretName":"demo","SecretType":"Generic","SecretValue":"s3cr3t"}',
  hash: 'bc979c5013837977c93bcf5840789cb4bd9b5701da8918f79f6a4bba59987cb5',
  canonicalHash: '5c10151b4abde877269007fb1fc7de083287e9adcaf7912f42bfe388da4efd3f',
  authorization:
    'HMAC-SHA256 Credential=AKLTexample/20240102/cn-beijing/kms/request, SignedHeaders=x-content-sha256;x-date, Signature=7c495e2ba4c6f4f582501b28d330b25fb45e090d60a14b3ef9ab6fcfb0939d69',
};

const vectorB = {
  body: '{"SecretName": "demo", "SecretType": "Generic", "SecretValue": "s3cr3t"}',
  hash: '4627d5206be8b2bcec18b81846693848c63d203ccdd9074ad98c73f8f404cb65',
  canonicalHash: '66ae8059f360bea2f13216b3e39cb6ac2ec8b15f5343286eef1e232f0621ea51',
  authorization:
    'HMAC-SHA256 Credential=AKLTexample/20240102/cn-beijing/kms/request, SignedHeaders=content-type;host;x-content-sha256;x-date, Signature=f6ce692115ab40bbed880da9e406cca7a189e91be6b97f87aaa79e376839db77',
};

const query: Array<[string, string]> = [
  ['Action', 'CreateSecret'],
  ['Version', '2021-02-18'],
];

function authenticator() {
  return new Authenticator({
    credentials: new CredentialRegistry([{ accessKeyId: AK, secretAccessKey: SK, accountId: '2100000001' }]),
    maxSkewMs: 15 * 60_000,
    wallClock: () => SIGNED_AT + 60_000,
  });
}

describe('signing primitives', () => {
  it('derives the documented signing key', () => {
    expect(deriveSigningKey(SK, '20240102', 'cn-beijing', 'kms').toString('hex')).toBe(
      'a1d7fce4af806be3f6e57f3efef9ed57f8300b0a777ac8795127ab18c3b5683b',
    );
  });

  it('encodes per RFC 3986 and sorts the canonical query', () => {
    expect(uriEncode("a b*'!()~._-+/")).toBe('a%20b%2A%27%21%28%29~._-%2B%2F');
    expect(canonicalQueryString([['b', '2'], ['a', 'x y'], ['Action', 'X'], ['empty', '']])).toBe('Action=X&a=x%20y&b=2&empty=');
  });
});

describe('vector A (Node SDK style: x-content-sha256;x-date)', () => {
  it('reproduces the canonical request hash and signature', () => {
    expect(sha256Hex(vectorA.body)).toBe(vectorA.hash);
    const canonical = canonicalRequest({
      method: 'POST',
      path: '/',
      query,
      signedHeaders: ['x-content-sha256', 'x-date'],
      headerValues: { 'x-content-sha256': vectorA.hash, 'x-date': X_DATE },
      payloadHash: vectorA.hash,
    });
    expect(sha256Hex(canonical)).toBe(vectorA.canonicalHash);
    const key = deriveSigningKey(SK, '20240102', 'cn-beijing', 'kms');
    const sig = signatureHex(key, stringToSign(X_DATE, credentialScope('20240102', 'cn-beijing', 'kms'), canonical));
    expect(vectorA.authorization.endsWith(`Signature=${sig}`)).toBe(true);
  });

  it('is accepted by the verifier, and refused once a byte changes', () => {
    const request = (body: string) => ({
      method: 'POST',
      path: '/',
      query,
      headers: {
        authorization: vectorA.authorization,
        'x-date': X_DATE,
        'x-content-sha256': vectorA.hash,
        'content-type': 'application/json; charset=utf-8',
        host: '127.0.0.1:8970',
      },
      body: Buffer.from(body),
    });
    expect(authenticator().authenticate(request(vectorA.body))).toEqual({ accessKeyId: AK, accountId: '2100000001', region: 'cn-beijing' });
    expect(() => authenticator().authenticate(request(vectorA.body.replace('demo', 'demO')))).toThrow(ApiError);
  });
});

describe('vector B (Python/Go style: content-type;host;x-content-sha256;x-date)', () => {
  const headers = {
    authorization: vectorB.authorization,
    'x-date': X_DATE,
    'x-content-sha256': vectorB.hash,
    'content-type': 'application/json; charset=utf-8',
    host: 'kms.cn-beijing.volcengineapi.com',
  };

  it('reproduces the canonical request hash', () => {
    const canonical = canonicalRequest({
      method: 'POST',
      path: '/',
      query,
      signedHeaders: ['content-type', 'host', 'x-content-sha256', 'x-date'],
      headerValues: headers,
      payloadHash: vectorB.hash,
    });
    expect(sha256Hex(canonical)).toBe(vectorB.canonicalHash);
  });

  it('is accepted by the verifier, including host with a default port', () => {
    const auth = authenticator();
    expect(auth.authenticate({ method: 'POST', path: '/', query, headers, body: Buffer.from(vectorB.body) }).accountId).toBe('2100000001');
    const withPort = { ...headers, host: 'kms.cn-beijing.volcengineapi.com:443' };
    expect(auth.authenticate({ method: 'POST', path: '/', query, headers: withPort, body: Buffer.from(vectorB.body) }).region).toBe('cn-beijing');
  });

  it('refuses a changed signed header (content-type)', () => {
    const changed = { ...headers, 'content-type': 'application/json' };
    expect(() => authenticator().authenticate({ method: 'POST', path: '/', query, headers: changed, body: Buffer.from(vectorB.body) })).toThrow(
      expect.objectContaining({ code: 'SignatureDoesNotMatch' }),
    );
  });

  it('refuses the vector when the wall clock is 16 minutes away', () => {
    const late = new Authenticator({
      credentials: new CredentialRegistry([{ accessKeyId: AK, secretAccessKey: SK, accountId: '2100000001' }]),
      maxSkewMs: 15 * 60_000,
      wallClock: () => SIGNED_AT + 16 * 60_000,
    });
    expect(() => late.authenticate({ method: 'POST', path: '/', query, headers, body: Buffer.from(vectorB.body) })).toThrow(
      expect.objectContaining({ code: 'InvalidTimestamp' }),
    );
  });
});

describe('parseAuthorization', () => {
  it('splits the credential from the right and lower-cases signed headers', () => {
    const parsed = parseAuthorization('HMAC-SHA256 Credential=AK/with/slash/20240102/cn-north-1/kms/request, SignedHeaders=X-Date;Host, Signature=ab');
    expect(parsed).toEqual({
      accessKeyId: 'AK/with/slash',
      date: '20240102',
      region: 'cn-north-1',
      service: 'kms',
      terminator: 'request',
      signedHeaders: ['x-date', 'host'],
      signature: 'ab',
    });
  });

  it('reports what is missing', () => {
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=x')).toEqual({ problem: 'algorithm' });
    expect(parseAuthorization('HMAC-SHA256 SignedHeaders=x-date, Signature=ab')).toEqual({ problem: 'missing', part: 'Credential' });
    expect(parseAuthorization('HMAC-SHA256 Credential=AK/20240102/r/kms/request, SignedHeaders=x-date')).toEqual({ problem: 'missing', part: 'Signature' });
  });
});
