/**
 * The presigned query-string form against the Authenticator, without a server: the Node SDK's own
 * `Signer.getSignUrl` at a fixed time is the reference (it signs no headers, which changes the
 * canonical request's header block to a lone "\n").
 */
import Signer from '@volcengine/openapi/lib/base/sign';
import { Authenticator } from '../../src/http/authenticate';
import { ApiError } from '../../src/error-catalogue';
import { CredentialRegistry } from '../../src/credentials';
import { canonicalRequest, EMPTY_BODY_SHA256 } from '../../src/signing/signature';

const AK = 'AKLTexample';
const SK = 'c2VjcmV0S2V5RXhhbXBsZQ==';
const SIGNED_AT = new Date('2024-01-02T03:04:05Z');

function authenticator(): Authenticator {
  return new Authenticator({
    credentials: new CredentialRegistry([{ accessKeyId: AK, secretAccessKey: SK, accountId: '2100000001' }]),
    maxSkewMs: 15 * 60_000,
    wallClock: () => SIGNED_AT.getTime() + 60_000,
  });
}

function sdkPresignedPairs(params: Record<string, string>, sessionToken?: string): Array<[string, string]> {
  const signer = new Signer({ region: 'cn-beijing', method: 'GET', pathname: '/', params }, 'kms');
  return [...new URLSearchParams(signer.getSignUrl({ accessKeyId: AK, secretKey: SK, sessionToken }, SIGNED_AT))];
}

function wire(query: Array<[string, string]>) {
  return { method: 'GET', path: '/', query, headers: { host: '127.0.0.1:8970' }, body: Buffer.alloc(0) };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('presigned URLs', () => {
  const params = { Action: 'GetSecretValue', Version: '2021-02-18', SecretName: 'demo' };

  it('the canonical header block of a request that signs no headers is a lone newline', () => {
    const canonical = canonicalRequest({ method: 'GET', path: '/', query: [['A', '1']], signedHeaders: [], headerValues: {}, payloadHash: EMPTY_BODY_SHA256 });
    expect(canonical).toBe(`GET\n/\nA=1\n\n\n\n${EMPTY_BODY_SHA256}`);
  });

  it("accepts the Node SDK's getSignUrl and names the caller", () => {
    const caller = authenticator().authenticate(wire(sdkPresignedPairs(params)));
    expect(caller).toEqual({ accessKeyId: AK, accountId: '2100000001', region: 'cn-beijing' });
  });

  it("accepts the Node SDK's getSignUrl with a session token", () => {
    const pairs = sdkPresignedPairs(params, 'STS-token');
    expect(pairs.some(([k]) => k === 'X-Security-Token')).toBe(true);
    expect(refusal(() => authenticator().authenticate(wire(pairs)))).toBe('accepted');
  });

  it('accepts an X-Security-Token added after signing (as the Python and Go SDKs do)', () => {
    const pairs = sdkPresignedPairs(params);
    pairs.push(['X-Security-Token', 'STS-token']);
    expect(refusal(() => authenticator().authenticate(wire(pairs)))).toBe('accepted');
  });

  it('refuses a changed signed value', () => {
    const pairs = sdkPresignedPairs(params).map(([k, v]) => [k, k === 'SecretName' ? 'other' : v] as [string, string]);
    expect(refusal(() => authenticator().authenticate(wire(pairs)))).toBe('SignatureDoesNotMatch');
  });

  it('refuses a parameter that X-SignedQueries does not list', () => {
    const pairs = sdkPresignedPairs(params);
    pairs.push(['VersionName', 'smuggled']);
    expect(refusal(() => authenticator().authenticate(wire(pairs)))).toBe('SignatureDoesNotMatch');
  });

  it('refuses a changed X-SignedQueries list', () => {
    const pairs = sdkPresignedPairs(params).map(
      ([k, v]) => [k, k === 'X-SignedQueries' ? v.replace('SecretName;', '') : v] as [string, string],
    );
    expect(refusal(() => authenticator().authenticate(wire(pairs)))).not.toBe('accepted');
  });
});
