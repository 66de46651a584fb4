/**
 * The console's request signer: Volcengine V4 HMAC-SHA256, as src/http/signature.ts verifies it,
 * computed with WebCrypto so it runs in a browser (and under Node's webcrypto in the unit tests,
 * which check it against the same vectors as the server's signer).
 *
 * No DOM types here: the WebCrypto calls go through the small `Subtle` interface below, so the module
 * type-checks in the server's tsconfig (for the tests) as well as in the browser's.
 */

/** The part of SubtleCrypto this module uses. */
export interface Subtle {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  importKey(format: 'raw', key: Uint8Array, algorithm: { name: 'HMAC'; hash: 'SHA-256' }, extractable: false, usages: ['sign']): Promise<unknown>;
  sign(algorithm: 'HMAC', key: never, data: Uint8Array): Promise<ArrayBuffer>;
}

export const ALGORITHM = 'HMAC-SHA256';
export const SERVICE = 'kms';

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
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

/** RFC 3986: unreserved characters pass, every other UTF-8 byte becomes %XX (upper-case hex). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export type QueryPairs = ReadonlyArray<readonly [string, string]>;

/** Pairs encoded, sorted by encoded key then encoded value, joined with '&'. */
export function canonicalQueryString(pairs: QueryPairs): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Each path segment encoded per RFC 3986 (the console only sends plain paths); empty is "/". */
export function canonicalUri(path: string): string {
  return path ? path.split('/').map(uriEncode).join('/') : '/';
}

export interface CanonicalRequestInput {
  method: string;
  path: string;
  query: QueryPairs;
  /** lower-case header name → value, already trimmed */
  headers: Readonly<Record<string, string>>;
  payloadHash: string;
}

export function canonicalRequest(input: CanonicalRequestInput): { text: string; signedHeaders: string } {
  const names = Object.keys(input.headers).sort();
  const headerBlock = names.map((n) => `${n}:${input.headers[n]}`).join('\n') + '\n';
  const signedHeaders = names.join(';');
  const text = [input.method.toUpperCase(), canonicalUri(input.path), canonicalQueryString(input.query), headerBlock, signedHeaders, input.payloadHash].join(
    '\n',
  );
  return { text, signedHeaders };
}

/** `YYYYMMDDTHHMMSSZ` */
export function formatXDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
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
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v.trim().replace(/\s+/g, ' ');
  const canonical = canonicalRequest({ method: input.method, path: input.path, query: input.query, headers: lower, payloadHash: bodyHash });
  const date = xDate.slice(0, 8);
  const scope = `${date}/${input.region}/${SERVICE}/request`;
  const toSign = [ALGORITHM, xDate, scope, await sha256Hex(subtle, canonical.text)].join('\n');
  const key = await deriveSigningKey(subtle, input.secretAccessKey, date, input.region, SERVICE);
  const imported = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = hex(await subtle.sign('HMAC', imported as never, encoder.encode(toSign)));
  headers.Authorization = `${ALGORITHM} Credential=${input.accessKeyId}/${scope}, SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`;
  return headers;
}
