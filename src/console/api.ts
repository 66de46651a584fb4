/**
 * The console's API client: every call is signed in the page (signer.ts) and sent to the server's
 * normal doors, the Volcengine API at `/` and the local control API at `/_local`, like any SDK.
 * Failures come back as ApiCallError carrying the API's own Code and Message.
 */
import { signRequest, type Subtle } from './signer';

export const API_VERSION = '2021-02-18';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string,
  ) {
    super(message);
  }
}

interface Envelope {
  ResponseMetadata?: { RequestId?: string; Error?: { Code: string; Message: string } };
  Result?: unknown;
}

export type ApiResult = Record<string, unknown>;

/** Counts calls in flight, so the page can show progress. */
export type BusyListener = (inFlight: number) => void;

export class ApiClient {
  private inFlight = 0;

  constructor(
    private readonly credentials: Credentials,
    private readonly subtle: Subtle,
    private readonly onBusy: BusyListener = () => undefined,
  ) {}

  /** A Volcengine Action: POST /?Action=..&Version=.. with a JSON body, as the Node SDK sends it. */
  call(action: string, params: Record<string, unknown> = {}): Promise<ApiResult> {
    return this.send('POST', '/', [
      ['Action', action],
      ['Version', API_VERSION],
    ], JSON.stringify(params));
  }

  /** A local control operation under /_local: GET and DELETE carry their parameters in the query. */
  control(method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string | number | undefined> = {}): Promise<ApiResult> {
    const given = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
    if (method === 'POST') return this.send(method, `/_local${path}`, [], JSON.stringify(Object.fromEntries(given)));
    return this.send(method, `/_local${path}`, given.map(([k, v]) => [k, String(v)] as [string, string]), '');
  }

  private async send(method: string, path: string, query: Array<[string, string]>, body: string): Promise<ApiResult> {
    this.onBusy(++this.inFlight);
    try {
      const contentType: Record<string, string> = body ? { 'Content-Type': 'application/json' } : {};
      const headers = await signRequest(this.subtle, {
        accessKeyId: this.credentials.accessKeyId,
        secretAccessKey: this.credentials.secretAccessKey,
        region: this.credentials.region,
        method,
        path,
        query,
        headers: contentType,
        body,
        now: Date.now(),
      });
      const qs = new URLSearchParams(query).toString();
      let response: Response;
      try {
        response = await fetch(path + (qs ? `?${qs}` : ''), { method, headers, body: body || undefined, credentials: 'omit', cache: 'no-store' });
      } catch {
        throw new ApiCallError('NetworkError', 'The server could not be reached.', '');
      }
      let envelope: Envelope;
      try {
        envelope = (await response.json()) as Envelope;
      } catch {
        throw new ApiCallError(`HTTP${response.status}`, `The server answered ${response.status} without a JSON envelope.`, '');
      }
      const error = envelope.ResponseMetadata?.Error;
      if (error) throw new ApiCallError(error.Code, error.Message, envelope.ResponseMetadata?.RequestId ?? '');
      return (envelope.Result ?? {}) as ApiResult;
    } finally {
      this.onBusy(--this.inFlight);
    }
  }
}
