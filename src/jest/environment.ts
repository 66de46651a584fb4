/**
 * The environment variables through which started servers are published to test workers and to
 * SDKs: each Volcengine SDK reads its own names, so all of them are set.
 *
 * globalSetup starts one server per jest worker and sets the variables for worker 1's server, plus
 * VOLC_SECRETS_JEST_SERVERS, the address and control credential of every worker's server. In a worker,
 * `workerServer()` picks the entry of its JEST_WORKER_ID and `adoptWorkerServer()` rewrites the address
 * and control variables to it (the account credential and region are the same for every server).
 */
import type { Credential } from '../credentials';

export interface PublishedServer {
  url: string;
  /** host:port, what SDK `host`/endpoint options take */
  endpoint: string;
  region: string;
  credentials: Credential;
  /** the control credential (the local control API refuses every other key); default `credentials` */
  control?: Pick<Credential, 'accessKeyId' | 'secretAccessKey'>;
}

/** JSON list of `{url, endpoint, control?}`, one per jest worker, worker 1's first. */
export const JEST_SERVERS_VARIABLE = 'VOLC_SECRETS_JEST_SERVERS';

export function serverEnvironment(s: PublishedServer): Record<string, string> {
  const { accessKeyId, secretAccessKey, accountId } = s.credentials;
  return {
    // ours
    VOLC_SECRETS_URL: s.url,
    VOLC_SECRETS_ENDPOINT: s.endpoint,
    VOLC_SECRETS_REGION: s.region,
    VOLC_SECRETS_ACCESS_KEY_ID: accessKeyId,
    VOLC_SECRETS_SECRET_ACCESS_KEY: secretAccessKey,
    VOLC_SECRETS_ACCOUNT_ID: accountId,
    // @volcengine/openapi (Node) and the older SDKs
    VOLC_ACCESSKEY: accessKeyId,
    VOLC_SECRETKEY: secretAccessKey,
    // volcengine-go-sdk / volcengine-python-sdk / Terraform provider
    VOLCENGINE_ACCESS_KEY: accessKeyId,
    VOLCENGINE_SECRET_KEY: secretAccessKey,
    VOLCENGINE_REGION: s.region,
    VOLCENGINE_ENDPOINT: s.endpoint,
    VOLCSTACK_ACCESS_KEY_ID: accessKeyId,
    VOLCSTACK_SECRET_ACCESS_KEY: secretAccessKey,
    // the key pair of the local control API (resetServer, advanceClock, injectFault...)
    VOLC_SECRETS_CONTROL_ACCESS_KEY_ID: (s.control ?? s.credentials).accessKeyId,
    VOLC_SECRETS_CONTROL_SECRET_ACCESS_KEY: (s.control ?? s.credentials).secretAccessKey,
  };
}

type Environment = Record<string, string | undefined>;

/** Reads back what `serverEnvironment` published (in a test worker: the base variables, as set). */
export function publishedServer(env: Environment = process.env): PublishedServer {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`${name} is not set: is volc-secrets-local/jest/global-setup configured as jest's globalSetup?`);
    return v;
  };
  const controlKey = env.VOLC_SECRETS_CONTROL_ACCESS_KEY_ID;
  const controlSecret = env.VOLC_SECRETS_CONTROL_SECRET_ACCESS_KEY;
  return {
    ...(controlKey && controlSecret ? { control: { accessKeyId: controlKey, secretAccessKey: controlSecret } } : {}),
    url: need('VOLC_SECRETS_URL'),
    endpoint: need('VOLC_SECRETS_ENDPOINT'),
    region: need('VOLC_SECRETS_REGION'),
    credentials: {
      accessKeyId: need('VOLC_SECRETS_ACCESS_KEY_ID'),
      secretAccessKey: need('VOLC_SECRETS_SECRET_ACCESS_KEY'),
      accountId: need('VOLC_SECRETS_ACCOUNT_ID'),
    },
  };
}

type KeyPair = Pick<Credential, 'accessKeyId' | 'secretAccessKey'>;

interface WorkerAddress {
  url: string;
  endpoint: string;
  control?: KeyPair;
}

const isKeyPair = (c: unknown): c is KeyPair =>
  typeof c === 'object' && c !== null && typeof (c as KeyPair).accessKeyId === 'string' && typeof (c as KeyPair).secretAccessKey === 'string';

function workerAddresses(env: Environment): WorkerAddress[] {
  const text = env[JEST_SERVERS_VARIABLE];
  if (!text) return [];
  const list: unknown = JSON.parse(text);
  const valid = (a: unknown): a is WorkerAddress =>
    typeof a === 'object' &&
    a !== null &&
    typeof (a as WorkerAddress).url === 'string' &&
    typeof (a as WorkerAddress).endpoint === 'string' &&
    ((a as WorkerAddress).control === undefined || isKeyPair((a as WorkerAddress).control));
  if (!Array.isArray(list) || !list.every(valid)) throw new Error(`${JEST_SERVERS_VARIABLE} is not a list of {url, endpoint, control?}`);
  return list;
}

/**
 * The server of this jest worker (JEST_WORKER_ID 1, 2, …; 1 in band). Without the per-worker list
 * (a server published some other way) it is the one the base variables name.
 */
export function workerServer(env: Environment = process.env): PublishedServer {
  const base = publishedServer(env);
  const addresses = workerAddresses(env);
  const worker = Number(env.JEST_WORKER_ID ?? '1');
  if (addresses.length === 0 || !Number.isInteger(worker) || worker < 1) return base;
  // jest numbers workers 1..maxWorkers and globalSetup started maxWorkers servers; the modulo only guards a surprise
  const own = addresses[(worker - 1) % addresses.length];
  return { ...base, url: own.url, endpoint: own.endpoint, ...(own.control ? { control: { accessKeyId: own.control.accessKeyId, secretAccessKey: own.control.secretAccessKey } } : {}) };
}

/**
 * Points this worker's address variables (VOLC_SECRETS_URL, VOLC_SECRETS_ENDPOINT, VOLCENGINE_ENDPOINT)
 * and control credential (VOLC_SECRETS_CONTROL_*) at its own server. jest gives every test file its own copy of process.env, so this runs once per
 * file: `volc-secrets-local/jest` calls it when loaded.
 */
export function adoptWorkerServer(env: Environment = process.env): PublishedServer | undefined {
  if (!env[JEST_SERVERS_VARIABLE] || !env.VOLC_SECRETS_URL) return undefined;
  const own = workerServer(env);
  Object.assign(env, serverEnvironment(own));
  return own;
}
