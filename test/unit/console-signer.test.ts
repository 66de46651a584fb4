/**
 * The console's browser signer (src/console/signer.ts, WebCrypto) run under Node's webcrypto: it must
 * produce the documented vectors of test/unit/signature.test.ts byte for byte, and the server's
 * verifier must accept what it signs (and refuse it once a byte changes).
 */
import { webcrypto } from 'node:crypto';
import { Authenticator } from '../../src/http/authenticate';
import { CredentialRegistry } from '../../src/credentials';
import { deriveSigningKey as serverDeriveKey, signRequest as serverSign } from '../../src/signing/signature';
import { canonicalQueryString, deriveSigningKey, sha256Hex, signRequest, uriEncode, type Subtle } from '../../src/console/signer';

const subtle = webcrypto.subtle as unknown as Subtle;
const AK = 'AKLTexample';
const SK = 'c2VjcmV0S2V5RXhhbXBsZQ==';
const SIGNED_AT = Date.UTC(2024, 0, 2, 3, 4, 5);
const query: Array<[string, string]> = [
  ['Action', 'CreateSecret'],
  ['Version', '2021-02-18'],
];

const base = { accessKeyId: AK, secretAccessKey: SK, region: 'cn-beijing', method: 'POST', path: '/', query, now: SIGNED_AT };

describe('console signer (WebCrypto)', () => {
  it('derives the documented signing key and hashes as the server does', async () => {
    expect(Buffer.from(await deriveSigningKey(subtle, SK, '20240102', 'cn-beijing', 'kms')).toString('hex')).toBe(
      'a1d7fce4af806be3f6e57f3efef9ed57f8300b0a777ac8795127ab18c3b5683b',
    );
    expect(await sha256Hex(subtle, '')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('encodes per RFC 3986 and sorts the canonical query like the verifier', () => {
    expect(uriEncode("a b*'!()~._-+/")).toBe('a%20b%2A%27%21%28%29~._-%2B%2F');
    expect(canonicalQueryString([['b', '2'], ['a', 'x y'], ['Action', 'X'], ['empty', '']])).toBe('Action=X&a=x%20y&b=2&empty=');
  });

  it('reproduces vector A (x-content-sha256;x-date)', async () => {
    const headers = await signRequest(subtle, { ...base, body: '{"SecretName":"demo","SecretType":"Generic","SecretValue":"s3cr3t"}' });
    expect(headers['X-Content-Sha256']).toBe('bc979c5013837977c93bcf5840789cb4bd9b5701da8918f79f6a4bba59987cb5');
    expect(headers['X-Date']).toBe('20240102T030405Z');
    expect(headers.Authorization).toBe(
      'HMAC-SHA256 Credential=AKLTexample/20240102/cn-beijing/kms/request, SignedHeaders=x-content-sha256;x-date, Signature=7c495e2ba4c6f4f582501b28d330b25fb45e090d60a14b3ef9ab6fcfb0939d69',
    );
  });

  it('reproduces vector B (content-type;host;x-content-sha256;x-date)', async () => {
    const headers = await signRequest(subtle, {
      ...base,
      headers: { 'Content-Type': 'application/json; charset=utf-8', Host: 'kms.cn-beijing.volcengineapi.com' },
      body: '{"SecretName": "demo", "SecretType": "Generic", "SecretValue": "s3cr3t"}',
    });
    expect(headers.Authorization).toBe(
      'HMAC-SHA256 Credential=AKLTexample/20240102/cn-beijing/kms/request, SignedHeaders=content-type;host;x-content-sha256;x-date, Signature=f6ce692115ab40bbed880da9e406cca7a189e91be6b97f87aaa79e376839db77',
    );
  });

  it("matches the server's signer on a control API request with an encoded query", async () => {
    const input = { ...base, method: 'GET', path: '/_local/audit', query: [['secretName', 'a b'], ['limit', '5'], ['action', 'Get*']] as Array<[string, string]>, body: '' };
    const browser = await signRequest(subtle, input);
    const server = serverSign({ ...input, service: 'kms', headers: {} });
    expect(browser.Authorization).toBe(server.Authorization);
    expect(Buffer.from(await deriveSigningKey(subtle, SK, '20240102', 'cn-north-1', 'kms')).equals(serverDeriveKey(SK, '20240102', 'cn-north-1', 'kms'))).toBe(true);
  });

  it('is accepted by the verifier, and refused once the body changes', async () => {
    const auth = new Authenticator({
      credentials: new CredentialRegistry([{ accessKeyId: AK, secretAccessKey: SK, accountId: '2100000001' }]),
      maxSkewMs: 15 * 60_000,
      wallClock: () => SIGNED_AT,
    });
    const body = JSON.stringify({ SecretName: 'naïve-ü', Description: '<img src=x onerror=alert(1)>' });
    const signed = await signRequest(subtle, { ...base, headers: { 'Content-Type': 'application/json' }, body });
    const headers = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
    const request = (b: string) => ({ method: 'POST', path: '/', query, headers: { ...headers, host: '127.0.0.1:8970' }, body: Buffer.from(b) });
    expect(auth.authenticate(request(body))).toEqual({ accessKeyId: AK, accountId: '2100000001', region: 'cn-beijing' });
    expect(() => auth.authenticate(request(body.replace('naïve', 'naive')))).toThrow(expect.objectContaining({ code: 'SignatureDoesNotMatch' }));
  });
});
