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
  // on every request: one array of encoded triples, sorted, then one string (no intermediate arrays)
  const encoded: Array<readonly [string, string, string]> = new Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) encoded[i] = [pairs[i][0], uriEncode(pairs[i][0]), uriEncode(pairs[i][1])];
  encoded.sort(compareEncodedPairs);
  let out = '';
  for (let i = 0; i < encoded.length; i++) out += (i === 0 ? '' : '&') + encoded[i][1] + '=' + encoded[i][2];
  return out;
}

/** By raw key, then by encoded value. */
function compareEncodedPairs(a: readonly [string, string, string], b: readonly [string, string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

/** Canonical URI: each path segment decoded then re-encoded per RFC 3986; empty path is "/". */
export function canonicalUri(path: string): string {
  // the API's only path
  if (!path || path === '/') return '/';
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
  const names = input.signedHeaders.map((h) => h.toLowerCase()).sort();
  // The SDKs write the header lines joined by "\n" and then add one "\n": with no signed headers (a
  // presigned URL from the Node SDK) the block is a lone "\n", not empty.
  let headerBlock = '';
  for (const n of names) headerBlock += n + ':' + (input.headerValues[n] ?? '') + '\n';
  if (names.length === 0) headerBlock = '\n';
  return (
    input.method.toUpperCase() + '\n' +
    canonicalUri(input.path) + '\n' +
    canonicalQueryString(input.query) + '\n' +
    headerBlock + '\n' +
    names.join(';') + '\n' +
    input.payloadHash
  );
}

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/request`;
}

export function formatXDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
}
