/**
 * A small client for the local control API (/_local/...), signed with our own signer so that it
 * needs nothing but fetch. Used by the jest helpers in test workers, where the server lives in
 * jest's parent process and can only be reached over HTTP.
 */
import type { Credential } from '../credentials';
import type { FaultRuleInput } from '../faults/fault-rule';
import { signRequest } from '../signing/signature';

/** A fault rule as users write it (the shape seed files, the control API and `handle.faults.add` take). */
export type FaultRuleSpec = FaultRuleInput;

export class LocalControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class LocalControlClient {
  /** `credentials`: a control credential (the server handle's `controlCredentials`); others get AccessDenied */
  constructor(
    private readonly url: string,
    private readonly credentials: Pick<Credential, 'accessKeyId' | 'secretAccessKey'>,
    private readonly region = 'cn-beijing',
  ) {}

  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const isPost = method === 'POST';
    const query: Array<[string, string]> = isPost ? [] : Object.entries(params).map(([k, v]) => [k, String(v)]);
    const body = isPost ? JSON.stringify(params) : '';
    const target = new URL(this.url);
    const headers = signRequest({
      accessKeyId: this.credentials.accessKeyId,
      secretAccessKey: this.credentials.secretAccessKey,
      region: this.region,
      service: 'kms',
      method,
      path: `/_local${path}`,
      query,
      headers: isPost ? { 'Content-Type': 'application/json' } : {},
      body,
      now: Date.now(),
    });
    const qs = new URLSearchParams(query).toString();
    const res = await fetch(`${target.origin}/_local${path}${qs ? `?${qs}` : ''}`, { method, headers, body: isPost ? body : undefined });
    const envelope = (await res.json()) as { ResponseMetadata: { Error?: { Code: string; Message: string } }; Result?: Record<string, unknown> };
    const error = envelope.ResponseMetadata.Error;
    if (error) throw new LocalControlError(error.Code, `${method} /_local${path}: ${error.Code}: ${error.Message}`);
    return envelope.Result ?? {};
  }

  /** removes every secret, audit entry and fault rule */
  reset() {
    return this.call('POST', '/reset');
  }

  /** moves the server's clock forward (ms, or a duration like "8d", "36h") and runs what became due */
  advanceClock(by: number | string) {
    return this.call('POST', '/clock/advance', typeof by === 'number' ? { ms: by } : { by });
  }

  clock() {
    return this.call('GET', '/clock');
  }

  /** adds a fault rule; returns it with its id */
  async injectFault(rule: FaultRuleSpec): Promise<{ id: string } & Record<string, unknown>> {
    const result = await this.call('POST', '/faults', { ...rule });
    return result.rule as { id: string } & Record<string, unknown>;
  }

  clearFaults() {
    return this.call('DELETE', '/faults');
  }

  removeFault(id: string) {
    return this.call('DELETE', `/faults/${encodeURIComponent(id)}`);
  }

  /** audit entries, newest first; filter keys as the control API's /audit takes them */
  async audit(filter: Record<string, string | number> = {}): Promise<Array<Record<string, unknown>>> {
    const result = await this.call('GET', '/audit', filter);
    return result.entries as Array<Record<string, unknown>>;
  }

  snapshot(name?: string) {
    return this.call('POST', '/snapshots', name === undefined ? {} : { name });
  }

  restore(name: string) {
    return this.call('POST', `/snapshots/${encodeURIComponent(name)}/restore`);
  }
}
