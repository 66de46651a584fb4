/**
 * A small client of the Volcengine API for the shell (`volc-secrets call`, `presign`): it signs with
 * the same functions the server verifies with (src/signing/signature.ts), as the official SDKs sign.
 */
import {
  ALGORITHM,
  EMPTY_BODY_SHA256,
  canonicalRequest,
  credentialScope,
  deriveSigningKey,
  formatXDate,
  signRequest,
  signatureHex,
  stringToSign,
} from '../signing/signature';

export const SERVICE = 'kms';
export const API_VERSION = '2021-02-18';

export interface ClientTarget {
  /** e.g. http://127.0.0.1:8970 */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface ActionCall {
  action: string;
  version?: string;
  /** parameters sent in the query string, as the SDKs send GET Actions */
  query: Array<[string, string]>;
  /** parameters sent as a JSON body, as the SDKs send POST Actions; absent: no body */
  json?: Record<string, unknown>;
}

export interface ActionAnswer {
  status: number;
  /** the parsed envelope (ResponseMetadata + Result), or the raw text when it is not JSON */
  body: unknown;
}

function urlOf(endpoint: string, query: Array<[string, string]>): URL {
  const url = new URL(endpoint);
  url.pathname = url.pathname || '/';
  url.search = new URLSearchParams(query).toString();
  return url;
}

/** Sends one signed call and returns the answer as the server gave it (no status turns into a throw). */
export async function callAction(target: ClientTarget, call: ActionCall, now = Date.now()): Promise<ActionAnswer> {
  const query: Array<[string, string]> = [['Action', call.action], ['Version', call.version ?? API_VERSION], ...call.query];
  const url = urlOf(target.endpoint, query);
  const body = call.json === undefined ? '' : JSON.stringify(call.json);
  const method = call.json === undefined ? 'GET' : 'POST';
  const headers = signRequest({
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    region: target.region,
    service: SERVICE,
    method,
    path: url.pathname,
    query,
    headers: { Host: url.host, ...(call.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body,
    now,
  });
  delete headers.Host; // fetch sends the same Host itself and refuses to be given one
  const response = await fetch(url, { method, headers, body: method === 'POST' ? body : undefined });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: the caller shows the text */
  }
  return { status: response.status, body: parsed };
}

/**
 * A presigned GET URL (the query-string form the SDKs' getSignUrl produces): no header is signed,
 * X-SignedQueries lists the parameters covered, the body is not signed.
 */
export function presignUrl(target: ClientTarget, call: Omit<ActionCall, 'json'>, expiresSeconds: number, now = Date.now()): string {
  const xDate = formatXDate(now);
  const date = xDate.slice(0, 8);
  const scope = credentialScope(date, target.region, SERVICE);
  const query: Array<[string, string]> = [
    ['Action', call.action],
    ['Version', call.version ?? API_VERSION],
    ...call.query,
    ['X-Algorithm', ALGORITHM],
    ['X-Credential', `${target.accessKeyId}/${scope}`],
    ['X-Date', xDate],
    ['X-Expires', String(expiresSeconds)],
    ['X-NotSignBody', ''],
    ['X-SignedHeaders', ''],
  ];
  query.push(['X-SignedQueries', [...new Set(query.map(([k]) => k)), 'X-SignedQueries'].sort().join(';')]);
  const url = urlOf(target.endpoint, query);
  const canonical = canonicalRequest({ method: 'GET', path: url.pathname, query, signedHeaders: [], headerValues: {}, payloadHash: EMPTY_BODY_SHA256 });
  const key = deriveSigningKey(target.secretAccessKey, date, target.region, SERVICE);
  url.searchParams.append('X-Signature', signatureHex(key, stringToSign(xDate, scope, canonical)));
  return url.toString();
}
