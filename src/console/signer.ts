/**
 * The console's request signer: Volcengine V4 HMAC-SHA256, as src/signing/signature.ts verifies it,
 * computed with WebCrypto so it runs in a browser (and under Node's webcrypto in the unit tests,
 * which check it against the same vectors as the server's signer). What is signed (the canonical
 * request) comes from the server's own module, src/signing/canonical-request.ts; only the hashing differs.
 *
 * No DOM types here: the WebCrypto calls go through the small `Subtle` interface below, so the module
 * type-checks in the server's tsconfig (for the tests) as well as in the browser's.
 */

import { ALGORITHM, canonicalRequest, credentialScope, formatXDate, normaliseHeaderValue, type QueryPairs } from '../signing/canonical-request';

export { canonicalQueryString, uriEncode } from '../signing/canonical-request';

/** The part of SubtleCrypto this module uses. */
export interface Subtle {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  importKey(format: 'raw', key: Uint8Array, algorithm: { name: 'HMAC'; hash: 'SHA-256' }, extractable: false, usages: ['sign']): Promise<unknown>;
  sign(algorithm: 'HMAC', key: never, data: Uint8Array): Promise<ArrayBuffer>;
}

export const SERVICE = 'kms';

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(subtle: Subtle, data: string | Uint8Array): Promise<string> {
  return hex(await subtle.digest('SHA-256', typeof data === 'string' ? encoder.encode(data) : data));
}

async function hmac(subtle: Subtle, key: Uint8Array, data: string): Promise<Uint8Array> {
  const imported = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', imported as never, encoder.encode(data)));
}

/** kSigning = HMAC(HMAC(HMAC(HMAC(SK, date), region), service), "request"). */
export async function deriveSigningKey(subtle: Subtle, secretKey: string, date: string, region: string, service: string): Promise<Uint8Array> {
  const kDate = await hmac(subtle, encoder.encode(secretKey), date);
  const kRegion = await hmac(subtle, kDate, region);
  const kService = await hmac(subtle, kRegion, service);
  return hmac(subtle, kService, 'request');
}

export interface SignInput {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  method: string;
  path: string;
  query: QueryPairs;
  /** extra headers to sign (e.g. Content-Type), names in any case */
  headers?: Readonly<Record<string, string>>;
  body: string;
  now: number;
}

/**
 * The headers to send: the given ones, X-Date, X-Content-Sha256 and Authorization. Signs every header
 * it returns, and only those (a browser adds Host and others itself; they are not signed).
 */
export async function signRequest(subtle: Subtle, input: SignInput): Promise<Record<string, string>> {
  const xDate = formatXDate(input.now);
  const bodyHash = await sha256Hex(subtle, input.body);
  const headers: Record<string, string> = { ...input.headers, 'X-Date': xDate, 'X-Content-Sha256': bodyHash };
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = normaliseHeaderValue(v);
  const signedHeaders = Object.keys(lower).sort();
  const canonical = canonicalRequest({ method: input.method, path: input.path, query: input.query, signedHeaders, headerValues: lower, payloadHash: bodyHash });
  const date = xDate.slice(0, 8);
  const scope = credentialScope(date, input.region, SERVICE);
  const toSign = [ALGORITHM, xDate, scope, await sha256Hex(subtle, canonical)].join('\n');
  const key = await deriveSigningKey(subtle, input.secretAccessKey, date, input.region, SERVICE);
  const signature = hex(await hmac(subtle, key, toSign));
  headers.Authorization = `${ALGORITHM} Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}
