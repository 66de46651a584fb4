/**
 * Test support: a server per suite (in-process, in-memory, port 0) and clients that sign with the
 * official @volcengine/openapi package. Our own signer is used only for raw/negative requests.
 */
import { Service } from '@volcengine/openapi';
import { signRequest } from '../../src/signing/signature';
import { startServer, type ServerHandle, type ServerOptions } from '../../src';
import type { Credential } from '../../src/credentials';
import { defaultTestDatabase } from './test-database';

export const VERSION = '2021-02-18';

export interface Envelope {
  ResponseMetadata: {
    RequestId: string;
    Action: string;
    Version: string;
    Service: string;
    Region: string;
    Error?: { CodeN: number; Code: string; Message: string };
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Result?: any;
}

export type Mode = 'json' | 'get' | 'form';

export interface SdkClient {
  service: Service;
  call(action: string, params?: Record<string, unknown>, mode?: Mode): Promise<Envelope>;
  /** calls and expects success; returns Result */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ok(action: string, params?: Record<string, unknown>, mode?: Mode): Promise<any>;
  /** calls and expects an error; returns ResponseMetadata.Error */
  fail(action: string, params?: Record<string, unknown>, mode?: Mode): Promise<{ CodeN: number; Code: string; Message: string }>;
}

export function sdkClient(handle: Pick<ServerHandle, 'port'>, opts: { region?: string; credentials: Credential }): SdkClient {
  const service = new Service({
    host: `127.0.0.1:${handle.port}`,
    protocol: 'http:',
    serviceName: 'kms',
    region: opts.region ?? 'cn-beijing',
    accessKeyId: opts.credentials.accessKeyId,
    secretKey: opts.credentials.secretAccessKey,
  });
  const call = async (action: string, params: Record<string, unknown> = {}, mode: Mode = 'json'): Promise<Envelope> => {
    const api =
      mode === 'json'
        ? service.createJSONAPI(action, { Version: VERSION })
        : mode === 'form'
          ? service.createUrlEncodeAPI(action, { Version: VERSION })
          : service.createAPI(action, { Version: VERSION, method: 'GET' });
    return (await api(params)) as unknown as Envelope;
  };
  return {
    service,
    call,
    async ok(action, params, mode) {
      const res = await call(action, params, mode);
      if (res.ResponseMetadata.Error) throw new Error(`${action} failed: ${JSON.stringify(res.ResponseMetadata.Error)}`);
      return res.Result;
    },
    async fail(action, params, mode) {
      const res = await call(action, params, mode);
      if (!res.ResponseMetadata.Error) throw new Error(`${action} unexpectedly succeeded: ${JSON.stringify(res.Result)}`);
      expect(res.Result).toBeUndefined();
      return res.ResponseMetadata.Error;
    },
  };
}

export interface TestServer {
  handle: ServerHandle;
  sdk: SdkClient;
  raw: (req: RawRequest) => Promise<RawResponse>;
}

/**
 * A server in this process. Without `db` it is in memory, or, with VOLC_SECRETS_TEST_DB set, on a
 * PostgreSQL database of its own (see test-database.ts) that is dropped when it closes.
 */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  let handle: ServerHandle;
  if (options.db === undefined) {
    const database = await defaultTestDatabase();
    try {
      handle = await startServer({ ...options, db: database.db, masterKeyFile: options.masterKeyFile ?? database.masterKeyFile });
    } catch (e) {
      await database.drop();
      throw e;
    }
    const close = handle.close;
    handle.close = async () => {
      await close();
      await database.drop();
    };
  } else {
    handle = await startServer(options);
  }
  return { handle, sdk: sdkClient(handle, { credentials: handle.credentials }), raw: (r) => rawRequest(handle, r) };
}

export interface RawRequest {
  method?: string;
  path?: string;
  query?: Array<[string, string]>;
  body?: string;
  /** raw body bytes (sent and signed as they are), instead of `body` */
  bodyBytes?: Buffer;
  headers?: Record<string, string>;
  /** sign with these instead of the server's first credential */
  credentials?: Credential;
  region?: string;
  service?: string;
  /** sign at this time (epoch ms) instead of now */
  signedAt?: number;
  /** false: send unsigned */
  sign?: boolean;
  /** false: sign without an X-Content-Sha256 header (the canonical request still hashes the body) */
  signBodyHash?: boolean;
  /** change the request after signing (tampering) */
  tamper?: (r: { query: Array<[string, string]>; body: string; headers: Record<string, string> }) => void;
}

export interface RawResponse {
  status: number;
  body: Envelope;
  text: string;
  headers: Headers;
}

/** A request signed by our own signer (for status codes and negative cases). */
export async function rawRequest(handle: ServerHandle, r: RawRequest): Promise<RawResponse> {
  const query = r.query ?? [];
  const body = r.body ?? '';
  const method = r.method ?? (body || r.bodyBytes ? 'POST' : 'GET');
  const path = r.path ?? '/';
  let headers: Record<string, string> = { ...(r.headers ?? {}) };
  if (r.sign !== false) {
    const cred = r.credentials ?? handle.credentials;
    headers = signRequest({
      accessKeyId: cred.accessKeyId,
      secretAccessKey: cred.secretAccessKey,
      region: r.region ?? 'cn-beijing',
      service: r.service ?? 'kms',
      method,
      path,
      query,
      headers,
      body: r.bodyBytes ?? body,
      now: r.signedAt ?? Date.now(),
      signBodyHash: r.signBodyHash,
    });
  }
  const sent = { query: [...query], body, headers };
  r.tamper?.(sent);
  const qs = sent.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const res = await fetch(`${handle.url}${path}${qs ? '?' + qs : ''}`, {
    method,
    headers: sent.headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : (r.bodyBytes ?? sent.body),
  });
  const text = await res.text();
  let parsed: Envelope;
  try {
    parsed = JSON.parse(text) as Envelope;
  } catch {
    parsed = { ResponseMetadata: { RequestId: '', Action: '', Version: '', Service: '', Region: '', Error: { CodeN: -1, Code: 'NOT_JSON', Message: text } } };
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** Query pairs for an Action call. */
export function actionQuery(action: string, extra: Record<string, string> = {}): Array<[string, string]> {
  return [['Action', action], ['Version', VERSION], ...Object.entries(extra)];
}
