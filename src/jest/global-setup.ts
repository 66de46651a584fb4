/**
 * jest globalSetup: starts one in-process server for the whole run and publishes its URL and
 * credentials through environment variables (inherited by the test workers and read by the SDKs).
 *
 *   // jest.config.js
 *   module.exports = {
 *     globalSetup: 'volc-secrets-local/jest/global-setup',
 *     globalTeardown: 'volc-secrets-local/jest/global-teardown',
 *     globals: { volcSecretsLocal: { seed: './test/secrets.seed.yaml' } },   // optional startServer options
 *   };
 */
import { startServer, type ServerHandle, type ServerOptions } from '../server';
import { serverEnvironment } from './environment';

interface ProjectConfigLike {
  globals?: Record<string, unknown>;
}

const HANDLE_KEY = '__volcSecretsLocalServer';

/** The snapshot taken right after start; resetServer() restores it. */
export const INITIAL_SNAPSHOT = 'jest.initial';

type GlobalWithHandle = typeof globalThis & { [HANDLE_KEY]?: ServerHandle };

export default async function globalSetup(_globalConfig?: unknown, projectConfig?: ProjectConfigLike): Promise<void> {
  const fromConfig = (projectConfig?.globals?.volcSecretsLocal ?? {}) as ServerOptions;
  const options: ServerOptions & { seed?: unknown } = { ...fromConfig };
  if (process.env.VOLC_SECRETS_SEED && options.seed === undefined) options.seed = process.env.VOLC_SECRETS_SEED;
  const handle = await startServer(options);
  // the state every resetServer() returns to: empty, or what the seed file loaded
  await handle.snapshot(INITIAL_SNAPSHOT);
  (globalThis as GlobalWithHandle)[HANDLE_KEY] = handle;
  Object.assign(process.env, serverEnvironment({ url: handle.url, endpoint: `${handle.host}:${handle.port}`, region: handle.region, credentials: handle.credentials, control: handle.controlCredentials }));
}

/** The handle started by globalSetup (only in jest's parent process, e.g. in globalTeardown). */
export function startedHandle(): ServerHandle | undefined {
  return (globalThis as GlobalWithHandle)[HANDLE_KEY];
}

export function forgetHandle(): void {
  delete (globalThis as GlobalWithHandle)[HANDLE_KEY];
}
