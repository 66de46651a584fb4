/**
 * Whatever a client puts in the signing fields (Authorization, X-Date, X-Content-Sha256, the presigned
 * query keys, SignedHeaders naming any header), both doors' authenticators answer with their own error
 * (an ApiError / HuaweiError), never another exception (which would be a 500).
 */
import fc from 'fast-check';
import { Authenticator } from '../../src/http/authenticate';
import { ApiError } from '../../src/error-catalogue';
import { CredentialRegistry } from '../../src/credentials';
import { HuaweiAuthenticator } from '../../src/huawei/authenticate';
import { HuaweiError } from '../../src/huawei/error-catalogue';
import { HuaweiProjects } from '../../src/huawei/tokens';
import { formatXDate } from '../../src/signing/signature';

const AK = 'AKLTfuzz';
const registry = new CredentialRegistry([{ accessKeyId: AK, secretAccessKey: 'c2VjcmV0', accountId: '2100000001' }]);
const now = Date.UTC(2026, 0, 2, 3, 4, 5);
const volc = new Authenticator({ credentials: registry, maxSkewMs: 900_000, wallClock: () => now });
const huawei = new HuaweiAuthenticator({
  projects: new HuaweiProjects([{ token: 'tok', projectId: 'p1', accountId: '2100000001', region: 'cn-beijing' }]),
  credentials: registry,
  maxSkewMs: 900_000,
  wallClock: () => now,
});

const tricky = fc.constantFrom('__proto__', 'constructor', 'toString', 'host', 'x-date', 'X-Date', '', ';', ' ', 'x-content-sha256', 'hasOwnProperty');
const part = fc.oneof(fc.string({ maxLength: 20 }), tricky, fc.constant(AK), fc.constant(formatXDate(now)), fc.constant('20260102/cn-beijing/kms/request'));
const headerList = fc.array(fc.oneof(tricky, fc.string({ maxLength: 8 })), { maxLength: 5 }).map((l) => l.join(';'));
const authorization = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.tuple(part, part, headerList, part).map(([a, scope, signed, sig]) => `HMAC-SHA256 Credential=${a}/${scope}, SignedHeaders=${signed}, Signature=${sig}`),
  fc.tuple(part, headerList, part).map(([a, signed, sig]) => `SDK-HMAC-SHA256 Access=${a}, SignedHeaders=${signed}, Signature=${sig}`),
);
const query = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom('X-Credential', 'X-Signature', 'X-Date', 'X-Expires', 'X-SignedQueries', 'X-SignedHeaders', 'X-Algorithm'), tricky, fc.string({ maxLength: 8 })), part),
  { maxLength: 8 },
);
const headers = fc.record(
  {
    authorization,
    'x-date': part,
    'x-sdk-date': part,
    'x-content-sha256': part,
    'x-sdk-content-sha256': part,
    'x-auth-token': fc.constantFrom('tok', 'nope', '__proto__'),
    host: fc.constant('127.0.0.1:1'),
  },
  { requiredKeys: [] },
);
const body = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b));

function onlyOwnErrors(fn: () => unknown, own: new (...args: never[]) => Error): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof own)) throw e;
  }
}

describe('the authenticators under random signing fields', () => {
  it('Volcengine: begin/finish throw only ApiErrors', () => {
    fc.assert(
      fc.property(query, headers, body, (q, h, b) => {
        const head = { method: 'POST', path: '/', query: q, headers: h as Record<string, string> };
        onlyOwnErrors(() => volc.begin(head).finish(b), ApiError);
      }),
      { seed: 9, numRuns: 3000 },
    );
  });

  it('Huawei: begin/finish throw only HuaweiErrors', () => {
    fc.assert(
      fc.property(query, headers, body, (q, h, b) => {
        const head = { method: 'POST', path: '/v1/p1/secrets', query: q, headers: h as Record<string, string>, projectId: 'p1' };
        onlyOwnErrors(() => huawei.begin(head).finish(b), HuaweiError);
      }),
      { seed: 9, numRuns: 3000 },
    );
  });
});
