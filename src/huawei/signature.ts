/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), as pure functions. Learned from the
 * official @huaweicloud/huaweicloud-sdk-core signer; written here to verify, not copied:
 *
 *   canonical request = METHOD \n URI/ \n query \n name:value\n... \n signed;names \n payload hash
 *   string to sign    = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(canonical request))
 *   signature         = hex(HMAC-SHA256(SK, string to sign))      (no derived key, unlike Volcengine)
 *
 * The URI is the path as sent with every segment percent-encoded again and a '/' appended; the
 * payload hash is X-Sdk-Content-Sha256 when sent (UNSIGNED-PAYLOAD for non-JSON bodies).
 */
import { createHmac } from 'node:crypto';
import { formatXDate, sha256Hex, uriEncode, type QueryPairs } from '../signing/signature';

export const HUAWEI_ALGORITHM = 'SDK-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface HuaweiAuthorization {
  accessKeyId: string;
  /** lower-case, in the order the client listed them */
  signedHeaders: string[];
  signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`; a string says what is wrong. */
export function parseHuaweiAuthorization(header: string): HuaweiAuthorization | string {
  const trimmed = header.trim();
  if (!trimmed.startsWith(HUAWEI_ALGORITHM + ' ')) return `the Authorization header must use ${HUAWEI_ALGORITHM}`;
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(HUAWEI_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId) return 'the Authorization header has no Access';
  if (!signedHeaders) return 'the Authorization header has no SignedHeaders';
  if (!signature) return 'the Authorization header has no Signature';
  return {
    accessKeyId,
    signedHeaders: signedHeaders
      .split(';')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    signature,
  };
}

/**
 * Every segment of the path as sent (still percent-encoded) encoded once more, then a trailing '/'.
 * `decodeFirst` decodes each segment before encoding, as signers that start from a decoded path do.
 */
export function huaweiCanonicalUri(path: string, decodeFirst = false): string {
  const encoded = path
    .split('/')
    .map((segment) => {
      if (!decodeFirst) return uriEncode(segment);
      try {
        return uriEncode(decodeURIComponent(segment));
      } catch {
        return uriEncode(segment);
      }
    })
    .join('/');
  return encoded.endsWith('/') ? encoded : encoded + '/';
}

/** Keys sorted; a repeated key's values sorted; keys and values encoded per RFC 3986. */
export function huaweiCanonicalQuery(pairs: QueryPairs): string {
  const byKey = new Map<string, string[]>();
  for (const [k, v] of pairs) byKey.set(k, [...(byKey.get(k) ?? []), v]);
  return [...byKey.keys()]
    .sort()
    .flatMap((k) => (byKey.get(k) as string[]).sort().map((v) => `${uriEncode(k)}=${uriEncode(v)}`))
    .join('&');
}

export interface HuaweiCanonicalInput {
  method: string;
  uri: string;
  query: string;
  /** signed header names, lower-case, as listed in SignedHeaders */
  signedHeaders: readonly string[];
  /** the order of the canonical header lines when it differs from `signedHeaders` */
  headerOrder?: readonly string[];
  /** value of each signed header */
  headerValues: Readonly<Record<string, string>>;
  payloadHash: string;
}

export function huaweiCanonicalRequest(input: HuaweiCanonicalInput): string {
  const headers = (input.headerOrder ?? input.signedHeaders).map((name) => `${name}:${input.headerValues[name]}\n`).join('');
  return [input.method.toUpperCase(), input.uri, input.query, headers, input.signedHeaders.join(';'), input.payloadHash].join('\n');
}

export function huaweiStringToSign(sdkDate: string, canonicalRequest: string): string {
  return `${HUAWEI_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
}

export function huaweiSignatureHex(secretKey: string, stringToSign: string): string {
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(stringToSign, 'utf8').digest('hex');
}

export interface HuaweiSignInput {
  accessKeyId: string;
  secretAccessKey: string;
  method: string;
  /** path as it will be sent */
  path: string;
  query?: QueryPairs;
  /** headers to sign besides Host and X-Sdk-Date */
  headers?: Record<string, string>;
  host: string;
  body?: string;
  now?: number;
}

/**
 * Signs a request the way the official SDK does and returns the headers to send (our own tests use
 * it for negative cases; positive tests sign with the official SDK).
 */
export function signHuaweiRequest(input: HuaweiSignInput): Record<string, string> {
  const sdkDate = formatXDate(input.now ?? Date.now());
  const all: Record<string, string> = { ...(input.headers ?? {}), host: input.host, 'X-Sdk-Date': sdkDate };
  const names = Object.keys(all).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  const lower = names.map((n) => n.toLowerCase());
  const headerValues: Record<string, string> = {};
  names.forEach((n, i) => (headerValues[lower[i]] = all[n]));
  const canonical = huaweiCanonicalRequest({
    method: input.method,
    uri: huaweiCanonicalUri(input.path),
    query: huaweiCanonicalQuery(input.query ?? []),
    signedHeaders: lower,
    headerValues,
    payloadHash: sha256Hex(input.body ?? ''),
  });
  const signature = huaweiSignatureHex(input.secretAccessKey, huaweiStringToSign(sdkDate, canonical));
  return {
    ...all,
    Authorization: `${HUAWEI_ALGORITHM} Access=${input.accessKeyId}, SignedHeaders=${lower.join(';')}, Signature=${signature}`,
  };
}
