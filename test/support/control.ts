/**
 * A client for the local control API (/_local/...) signed by the official @volcengine/openapi
 * Service through its generic fetchOpenAPI, exactly as docs/control-api.md shows users: GET and DELETE carry
 * their parameters in the query, POST as a JSON object in `data`.
 */
import type { Service } from '@volcengine/openapi';
import type { Envelope } from './server';

export type ControlMethod = 'GET' | 'POST' | 'DELETE';

export interface ControlClient {
  call(method: ControlMethod, path: string, params?: Record<string, unknown>): Promise<Envelope>;
  /** expects success; returns Result */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ok(method: ControlMethod, path: string, params?: Record<string, unknown>): Promise<any>;
  /** expects an error; returns ResponseMetadata.Error */
  fail(method: ControlMethod, path: string, params?: Record<string, unknown>): Promise<{ CodeN: number; Code: string; Message: string }>;
}

export function controlClient(service: Service): ControlClient {
  const call = async (method: ControlMethod, path: string, params: Record<string, unknown> = {}): Promise<Envelope> => {
    // the SDK always sends Action and Version in the query; the control API ignores them
    const target = { Action: '', pathname: `/_local${path}`, method };
    const request = method === 'POST' ? { ...target, data: params } : { ...target, query: params };
    return (await service.fetchOpenAPI(request)) as unknown as Envelope;
  };
  return {
    call,
    async ok(method, path, params) {
      const res = await call(method, path, params);
      if (res.ResponseMetadata.Error) throw new Error(`${method} ${path} failed: ${JSON.stringify(res.ResponseMetadata.Error)}`);
      return res.Result;
    },
    async fail(method, path, params) {
      const res = await call(method, path, params);
      if (!res.ResponseMetadata.Error) throw new Error(`${method} ${path} unexpectedly succeeded: ${JSON.stringify(res.Result)}`);
      expect(res.Result).toBeUndefined();
      return res.ResponseMetadata.Error;
    },
  };
}
