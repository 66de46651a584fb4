/**
 * Test support for the Huawei CSMS door: requests signed and sent by the official
 * @huaweicloud/huaweicloud-sdk-core client (HcClient + BasicCredentials, AK/SK SDK-HMAC-SHA256),
 * and plain fetch requests carrying an X-Auth-Token (tokens need no signer).
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { DefaultHttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient';
import { generateCredential, type Credential, type ServerHandle, type ServerOptions } from '../../src';
import { sdkClient, startTestServer, type SdkClient, type TestServer } from './server';

export interface HuaweiResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The SDK logs every error answer (headers included) unless given a logger: keep test output clean. */
const quietLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error',
  setName: () => undefined,
};

export interface HuaweiSdk {
  /** `path` below the endpoint, with `{project_id}` filled in by the SDK from the credentials */
  call(method: string, path: string, data?: Record<string, unknown>, pathParams?: Record<string, string>): Promise<HuaweiResponse>;
}

/** A client signed with the official SDK: AK/SK of one of the server's credentials, for one project. */
export function huaweiSdk(handle: Pick<ServerHandle, 'url'>, opts: { ak: string; sk: string; projectId: string }): HuaweiSdk {
  const credentials = new BasicCredentials().withAk(opts.ak).withSk(opts.sk).withProjectId(opts.projectId);
  const endpoints = [handle.url];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const client = new HcClient(new DefaultHttpClient({ logger: quietLogger as any }, endpoints)).withCredential(credentials).withEndpoints(endpoints);
  return {
    async call(method, path, data, pathParams = {}) {
      try {
        const res = await client.sendRequest({
          method,
          url: path,
          contentType: 'application/json;charset=UTF-8',
          queryParams: {},
          pathParams,
          headers: {},
          data,
        });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const { httpStatusCode, ...body } = res as any;
        return { status: httpStatusCode, body };
      } catch (e) {
        const err = e as { httpStatusCode?: number; errorCode?: string; errorMsg?: string };
        if (err.httpStatusCode === undefined) throw e;
        return { status: Number(err.httpStatusCode), body: { error_code: err.errorCode, error_msg: err.errorMsg } };
      }
    },
  };
}

/** A plain request (X-Auth-Token or none), as curl would send it. `body` is sent as given. */
export async function huaweiFetch(
  handle: Pick<ServerHandle, 'url'>,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HuaweiResponse & { headers: Headers; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.headers ?? {}) };
  if (opts.token !== undefined) headers['X-Auth-Token'] = opts.token;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await fetch(`${handle.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { NOT_JSON: text };
  }
  return { status: res.status, body: parsed, headers: res.headers, text };
}

/** A request with exactly these headers (Host included), for signatures made by hand. */
export function rawHttp(
  handle: Pick<ServerHandle, 'port'>,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<HuaweiResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: handle.port, method, path, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One caller of the Huawei door: an account's AK/SK, its project and token, and clients for both doors. */
export interface HuaweiTenant {
  accountId: string;
  projectId: string;
  token: string;
  credential: Credential;
  /** official Huawei SDK client (AK/SK) for this project */
  sdk: HuaweiSdk;
  /** official Volcengine SDK client for the same account and region */
  volc: SdkClient;
  /** a request with this tenant's X-Auth-Token */
  fetch(method: string, path: string, body?: unknown): ReturnType<typeof huaweiFetch>;
}

export interface HuaweiTestServer {
  t: TestServer;
  /** account 2100000001, project in cn-beijing */
  a: HuaweiTenant;
  /** account 2100000002, project in cn-beijing */
  b: HuaweiTenant;
  close(): Promise<void>;
}

export const REGION = 'cn-beijing';

/** A server with two accounts, each with a Huawei project (and token) in cn-beijing. */
export async function startHuaweiTestServer(options: ServerOptions = {}): Promise<HuaweiTestServer> {
  const accounts = [generateCredential('2100000001'), generateCredential('2100000002')];
  const tenants = accounts.map((credential, i) => ({
    credential,
    accountId: credential.accountId,
    projectId: `0${i + 1}a2b3c4d5e6f708192a3b4c5d6e7f8${i}`,
    token: `MIITtoken-${i}-${randomBytes(12).toString('hex')}`,
  }));
  const t = await startTestServer({
    credentials: accounts,
    huaweiTokens: tenants.map((x) => ({ token: x.token, projectId: x.projectId, accountId: x.accountId, region: REGION })),
    ...options,
  });
  const tenant = (x: (typeof tenants)[number]): HuaweiTenant => ({
    ...x,
    sdk: huaweiSdk(t.handle, { ak: x.credential.accessKeyId, sk: x.credential.secretAccessKey, projectId: x.projectId }),
    volc: sdkClient(t.handle, { credentials: x.credential, region: REGION }),
    fetch: (method, path, body) => huaweiFetch(t.handle, method, path.replace('{project_id}', x.projectId), { token: x.token, body }),
  });
  return { t, a: tenant(tenants[0]), b: tenant(tenants[1]), close: () => t.handle.close() };
}

/**
 * Headers for a request signed by the official SDK's AKSKSigner (for requests the tests then send,
 * or change after signing, by hand). `headers` may carry X-Sdk-Date to sign at another time.
 */
export function officialSignature(
  handle: Pick<ServerHandle, 'url'>,
  credential: Credential,
  request: { method: string; path: string; query?: Record<string, string | string[]>; headers?: Record<string, string>; data?: unknown },
): Record<string, string> {
  const creds = new BasicCredentials().withAk(credential.accessKeyId).withSk(credential.secretAccessKey);
  const signed = AKSKSigner.sign(
    {
      endpoint: `${handle.url}${request.path}`,
      method: request.method,
      headers: { 'content-type': 'application/json', ...(request.headers ?? {}) },
      queryParams: request.query ?? {},
      data: request.data,
    },
    creds,
  ) as Record<string, string>;
  return signed;
}
