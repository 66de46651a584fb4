/**
 * Signed requests for the load generator, shaped as the Node SDK sends them (GET with the
 * parameters in the query and only X-Date signed; JSON POST with X-Content-Sha256 signed).
 * A signature stays valid for the server's skew window (15 min), so reads are signed once and
 * replayed in rotation; writes that must be unique (CreateSecret names) are signed as they go.
 */
import type { Credential } from '../../src/credentials';
import { signRequest } from '../../src/signing/signature';

export const API_VERSION = '2021-02-18';
export const REGION = 'cn-beijing';

export interface SignedRequest {
  method: 'GET' | 'POST';
  /** path and query, as sent */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Where the load generator takes its next request from; shared by all connections of a cell. */
export interface RequestSource {
  next(): SignedRequest;
}

export function signedGet(credential: Credential, action: string, params: Record<string, string>): SignedRequest {
  const query: Array<[string, string]> = [['Action', action], ['Version', API_VERSION], ...Object.entries(params)];
  const headers = signRequest({
    accessKeyId: credential.accessKeyId,
    secretAccessKey: credential.secretAccessKey,
    region: REGION,
    service: 'kms',
    method: 'GET',
    path: '/',
    query,
    headers: {},
    body: '',
    now: Date.now(),
    signBodyHash: false,
  });
  return { method: 'GET', path: '/?' + new URLSearchParams(query).toString(), headers };
}

export function signedJsonPost(credential: Credential, action: string, params: Record<string, unknown>): SignedRequest {
  const query: Array<[string, string]> = [['Action', action], ['Version', API_VERSION]];
  const body = JSON.stringify(params);
  const headers = signRequest({
    accessKeyId: credential.accessKeyId,
    secretAccessKey: credential.secretAccessKey,
    region: REGION,
    service: 'kms',
    method: 'POST',
    path: '/',
    query,
    headers: { 'Content-Type': 'application/json' },
    body,
    now: Date.now(),
  });
  return { method: 'POST', path: '/?' + new URLSearchParams(query).toString(), headers, body };
}

/** Replays a fixed list in order, across all connections. */
export function rotating(requests: readonly SignedRequest[]): RequestSource {
  if (requests.length === 0) throw new Error('no requests to rotate');
  let i = 0;
  return { next: () => requests[i++ % requests.length] };
}

/** Makes a new request every time (for writes whose parameters must differ). */
export function generated(make: (n: number) => SignedRequest): RequestSource {
  let n = 0;
  return { next: () => make(n++) };
}

export function secretName(i: number): string {
  return `bench-${String(i).padStart(7, '0')}`;
}

/** `count` names spread evenly over the first `population` seeded secrets. */
export function spreadNames(population: number, count: number): string[] {
  const n = Math.min(population, count);
  return Array.from({ length: n }, (_, k) => secretName(Math.floor((k * population) / n)));
}

/** The scenario of each measured Action: how its requests are made. */
export const SCENARIOS = {
  GetSecretValue: (credential: Credential, population: number): RequestSource =>
    rotating(spreadNames(population, 1000).map((SecretName) => signedGet(credential, 'GetSecretValue', { SecretName }))),
  DescribeSecrets: (credential: Credential): RequestSource =>
    rotating([signedGet(credential, 'DescribeSecrets', { CurrentPage: '1', PageSize: '10' })]),
  CreateSecret: (credential: Credential, _population: number, runTag: string): RequestSource =>
    generated((n) =>
      signedJsonPost(credential, 'CreateSecret', {
        SecretName: `bench-new-${runTag}-${n}`,
        SecretType: 'Generic',
        SecretValue: BENCH_VALUE,
        Description: 'created by the benchmark',
      }),
    ),
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

/** The value every benchmark secret holds: a typical password-sized string. */
export const BENCH_VALUE = 'bench-value-0123456789abcdefghijklmnop';
