/**
 * jest globalSetup: starts one in-process server per jest worker and publishes them through
 * environment variables (inherited by the workers; each worker picks its own, see ./environment).
 *
 *   // jest.config.js
 *   module.exports = {
 *     globalSetup: 'volc-secrets-local/jest/global-setup',
 *     globalTeardown: 'volc-secrets-local/jest/global-teardown',
 *     globals: { volcSecretsLocal: { seed: './test/secrets.seed.yaml' } },   // optional startServer options
 *   };
 *
 * Why a server per worker: jest runs test files in parallel workers, and `resetServer()`,
 * `advanceClock()` and `injectFault()` act on a whole server. One shared server let one file's reset
 * wipe another's secrets mid-test. Files in the same worker run one after another, so a server per
 * worker (reset before each test) isolates every file. All servers accept the same account credential
 * and region, so the SDKs' environment variables are the same everywhere; only the address and the
 * control credential (which only the helpers use) differ.
 */
import { generateCredential } from '../credentials';
import { startServer, type ServerHandle, type ServerOptions } from '../server';
import { parseDatabaseLocation } from '../store/database-url';
import { JEST_SERVERS_VARIABLE, serverEnvironment, type PublishedServer } from './environment';

interface GlobalConfigLike {
  /** jest's resolved worker count (1 with --runInBand) */
  maxWorkers?: number;
}

interface ProjectConfigLike {
  globals?: Record<string, unknown>;
}

const HANDLES_KEY = '__volcSecretsLocalServers';

/** The snapshot taken right after start; resetServer() restores it. */
export const INITIAL_SNAPSHOT = 'jest.initial';

type GlobalWithHandles = typeof globalThis & { [HANDLES_KEY]?: ServerHandle[] };

/** How many servers: one per worker jest may start (it never numbers workers beyond maxWorkers). */
function serverCount(globalConfig: GlobalConfigLike | undefined): number {
  const n = Number(globalConfig?.maxWorkers ?? 1);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * Worker k's options: the same credentials everywhere; a fixed port or a database gets its own per
 * worker (a file `<db>.worker-N`; on PostgreSQL the database `<name>_worker_N`, which must exist).
 */
function workerOptions(base: ServerOptions, k: number): ServerOptions {
  if (k === 0) return base;
  const options: ServerOptions = { ...base };
  if (base.port) options.port = base.port + k;
  if (base.db && base.db !== ':memory:') options.db = workerDatabase(base.db, k + 1);
  return options;
}

function workerDatabase(db: string, n: number): string {
  if (parseDatabaseLocation(db).kind === 'sqlite') return `${db}.worker-${n}`;
  const url = new URL(db);
  url.pathname = `${url.pathname}_worker_${n}`;
  return url.toString();
}

function published(handle: ServerHandle): PublishedServer {
  const { accessKeyId, secretAccessKey } = handle.controlCredentials;
  return { url: handle.url, endpoint: `${handle.host}:${handle.port}`, region: handle.region, credentials: handle.credentials, control: { accessKeyId, secretAccessKey } };
}

export default async function globalSetup(globalConfig?: GlobalConfigLike, projectConfig?: ProjectConfigLike): Promise<void> {
  const fromConfig = (projectConfig?.globals?.volcSecretsLocal ?? {}) as ServerOptions;
  const options: ServerOptions = { ...fromConfig };
  if (process.env.VOLC_SECRETS_SEED && options.seed === undefined) options.seed = process.env.VOLC_SECRETS_SEED;
  // one account credential for every server, so that an SDK configured from the environment works with
  // any of them; not a control one, so each server makes its own control credential, which only the
  // helpers get (VOLC_SECRETS_CONTROL_*, per worker) and the SDK's key pair cannot call /_local
  options.credentials ??= [generateCredential()];

  const started = await Promise.allSettled(Array.from({ length: serverCount(globalConfig) }, (_, k) => startServer(workerOptions(options, k))));
  const handles = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.all(handles.map((h) => h.close()));
    throw failure.reason;
  }
  // the state every resetServer() returns to: empty, or what the seed file loaded
  await Promise.all(handles.map((h) => h.snapshot(INITIAL_SNAPSHOT)));
  // appended, not replaced: with several jest projects naming this globalSetup, teardown closes them all
  (globalThis as GlobalWithHandles)[HANDLES_KEY] = [...startedHandles(), ...handles];
  const [first] = handles;
  Object.assign(process.env, serverEnvironment(published(first)), {
    [JEST_SERVERS_VARIABLE]: JSON.stringify(handles.map((h) => {
      const { url, endpoint, control } = published(h);
      return { url, endpoint, control };
    })),
  });
}

/** The first handle started by globalSetup (only in jest's parent process, e.g. in globalTeardown). */
export function startedHandle(): ServerHandle | undefined {
  return startedHandles()[0];
}

/** Every handle started by globalSetup, worker 1's first. */
export function startedHandles(): ServerHandle[] {
  return (globalThis as GlobalWithHandles)[HANDLES_KEY] ?? [];
}

export function forgetHandle(): void {
  delete (globalThis as GlobalWithHandles)[HANDLES_KEY];
}
