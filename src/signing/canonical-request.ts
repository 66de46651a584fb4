/**
 * The string side of Volcengine V4 signing: RFC 3986 encoding, the canonical query, URI and request,
 * the credential scope and X-Date. Pure functions with no imports, so that the server's verifier
 * (signature.ts, node:crypto) and the web console's signer (src/console/signer.ts, WebCrypto) share
 * one definition of what is signed.
 */

export const ALGORITHM = 'HMAC-SHA256';

/** RFC 3986 percent-encoding: unreserved characters pass, every other UTF-8 byte becomes %XX. */
export function uriEncode(value: string): string {
  // most keys and values are all unreserved characters: nothing to encode
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;

export type QueryPairs = ReadonlyArray<readonly [string, string]>;

/**
 * Canonical query: every pair encoded per RFC 3986, sorted by key then by value, joined with '&'.
 * (Repeated keys are sorted by value, as the Node SDK does; KMS parameters are never repeated.)
 */
export function canonicalQueryString(pairs: QueryPairs): string {
  return pairs
    .map(([k, v]) => [k, uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0))
    .map(([, k, v]) => `${k}=${v}`)
    .join('&');
}

/** Canonical URI: each path segment decoded then re-encoded per RFC 3986; empty path is "/". */
export function canonicalUri(path: string): string {
  if (!path) return '/';
  return path
    .split('/')
    .map((segment) => {
      try {
        return uriEncode(decodeURIComponent(segment));
      } catch {
        return uriEncode(segment);
      }
    })
    .join('/');
}

/** A header value as the signers normalise it: trimmed, inner whitespace runs collapsed. */
export function normaliseHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

export interface CanonicalRequestInput {
  method: string;
  path: string;
  query: QueryPairs;
  /** signed header names, lower-case, in any order */
  signedHeaders: readonly string[];
  /** values for the signed headers, keyed by lower-case name */
  headerValues: Readonly<Record<string, string>>;
  payloadHash: string;
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const names = [...input.signedHeaders].map((h) => h.toLowerCase()).sort();
  // The SDKs write the header lines joined by "\n" and then add one "\n": with no signed headers (a
  // presigned URL from the Node SDK) the block is a lone "\n", not empty.
  const headerBlock = names.map((n) => `${n}:${input.headerValues[n] ?? ''}`).join('\n') + '\n';
  return [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQueryString(input.query),
    headerBlock,
    names.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/request`;
}

export function formatXDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
}
