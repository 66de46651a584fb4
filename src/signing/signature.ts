/**
 * Volcengine V4-style HMAC-SHA256 request signing, as pure functions.
 *
 * The same functions verify incoming requests (http/authenticate.ts) and sign requests in our
 * own negative-case tests, so the algorithm lives in exactly one place; the Huawei door's verifier
 * (huawei/signature.ts, huawei/authenticate.ts) builds on the same primitives (hashing, RFC 3986
 * encoding, X-Date, constant-time comparison) rather than on anything inside http/. See
 * ../shared/reference/volcengine-signing.md for what each official SDK sends.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { ALGORITHM, canonicalRequest, credentialScope, formatXDate, normaliseHeaderValue, type QueryPairs } from './canonical-request';

// the canonical-request rules live in their own module (no Node imports), which the web console's
// WebCrypto signer imports too; they are re-exported here for the verifier, the tests and the tools
export * from './canonical-request';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: string | Buffer): string {
  // most requests have no body: its hash is a constant
  if (data.length === 0) return EMPTY_BODY_SHA256;
  // one-shot: no Hash object per call (every request hashes its canonical request, often its body)
  return hash('sha256', data, 'hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** kSigning = HMAC(HMAC(HMAC(HMAC(SK, date), region), service), "request"). */
export function deriveSigningKey(secretKey: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(Buffer.from(secretKey, 'utf8'), date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'request');
}

export function stringToSign(xDate: string, scope: string, canonical: string): string {
  return ALGORITHM + '\n' + xDate + '\n' + scope + '\n' + sha256Hex(canonical);
}

export function signatureHex(signingKey: Buffer, toSign: string): string {
  return createHmac('sha256', signingKey).update(toSign, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex signatures (length is not secret: it is always 64). */
export function signaturesEqual(expectedHex: string, providedHex: string): boolean {
  const a = Buffer.from(expectedHex, 'utf8');
  const b = Buffer.from(providedHex, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

export type AuthorizationParseError =
  | { problem: 'algorithm' }
  | { problem: 'missing'; part: 'Credential' | 'SignedHeaders' | 'Signature' }
  | { problem: 'credential' };

/**
 * Parses `HMAC-SHA256 Credential=AK/date/region/service/request, SignedHeaders=a;b, Signature=hex`.
 * The Credential is split from the right, so an access key id containing '/' still parses.
 */
export function parseAuthorization(header: string): ParsedAuthorization | AuthorizationParseError {
  const trimmed = header.trim();
  if (!trimmed.startsWith(ALGORITHM + ' ')) return { problem: 'algorithm' };
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  // the comma-separated `name=value` fields, walked by index (no array of parts on every request)
  for (let start = ALGORITHM.length + 1; start <= trimmed.length; ) {
    let end = trimmed.indexOf(',', start);
    if (end === -1) end = trimmed.length;
    const eq = trimmed.indexOf('=', start);
    if (eq > start && eq < end) {
      const name = trimmed.slice(start, eq).trim();
      // a field given twice: the last one counts
      if (name === 'Credential') credential = trimmed.slice(eq + 1, end).trim();
      else if (name === 'SignedHeaders') signedHeaders = trimmed.slice(eq + 1, end).trim();
      else if (name === 'Signature') signature = trimmed.slice(eq + 1, end).trim();
    }
    start = end + 1;
  }
  if (!credential) return { problem: 'missing', part: 'Credential' };
  if (signedHeaders === undefined) return { problem: 'missing', part: 'SignedHeaders' };
  if (!signature) return { problem: 'missing', part: 'Signature' };
  const scope = parseCredential(credential);
  if (!scope) return { problem: 'credential' };
  return {
    ...scope,
    signedHeaders: signedHeaders
      .split(';')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    signature,
  };
}

export function parseCredential(
  credential: string,
): Pick<ParsedAuthorization, 'accessKeyId' | 'date' | 'region' | 'service' | 'terminator'> | null {
  const parts = credential.split('/');
  if (parts.length < 5) return null;
  const terminator = parts.pop() as string;
  const service = parts.pop() as string;
  const region = parts.pop() as string;
  const date = parts.pop() as string;
  const accessKeyId = parts.join('/');
  if (!accessKeyId || !/^\d{8}$/.test(date) || !region || !service) return null;
  return { accessKeyId, date, region, service, terminator };
}

/** X-Date `YYYYMMDDTHHMMSSZ` → epoch milliseconds, or null when malformed. */
export function parseXDate(xDate: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(xDate);
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  const check = new Date(ms);
  if (check.getUTCDate() !== +m[3] || check.getUTCHours() !== +m[4]) return null;
  return ms;
}


export interface SignRequestInput {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  method: string;
  path: string;
  query: QueryPairs;
  /** headers to sign, names in any case; X-Date is added when missing */
  headers: Record<string, string>;
  body: string | Buffer;
  now: number;
  /** when true (default), X-Content-Sha256 is added and signed */
  signBodyHash?: boolean;
}

/** Signs a request the way the official SDKs do; returns the headers to send. Used by tests and tools. */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const xDate = formatXDate(input.now);
  const headers: Record<string, string> = { ...input.headers, 'X-Date': xDate };
  const bodyHash = sha256Hex(input.body);
  if (input.signBodyHash !== false) headers['X-Content-Sha256'] = bodyHash;
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = normaliseHeaderValue(v);
  const signed = Object.keys(lower).sort();
  const canonical = canonicalRequest({
    method: input.method,
    path: input.path,
    query: input.query,
    signedHeaders: signed,
    headerValues: lower,
    payloadHash: bodyHash,
  });
  const date = xDate.slice(0, 8);
  const scope = credentialScope(date, input.region, input.service);
  const key = deriveSigningKey(input.secretAccessKey, date, input.region, input.service);
  const signature = signatureHex(key, stringToSign(xDate, scope, canonical));
  headers.Authorization = `${ALGORITHM} Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}
