/**
 * Jest helpers (`volc-secrets-local/jest`). With the globalSetup/globalTeardown pair configured, each
 * test worker finds its own server through environment variables; these functions reach it over the
 * local control API. Loading this module points the file's address variables at the worker's server
 * (see ./environment), so an SDK configured from the environment talks to it too.
 *
 *   import { resetServer, advanceClock, injectFault, connection } from 'volc-secrets-local/jest';
 *   beforeEach(() => resetServer());
 */
import { adoptWorkerServer, workerServer, type PublishedServer } from './environment';
import { LocalControlClient, type FaultRuleSpec } from './control-client';
import { INITIAL_SNAPSHOT } from './global-setup';

export { LocalControlClient, LocalControlError, type FaultRuleSpec } from './control-client';
export { serverEnvironment, publishedServer, workerServer, adoptWorkerServer, JEST_SERVERS_VARIABLE, type PublishedServer } from './environment';
export { default as globalSetup } from './global-setup';
export { default as globalTeardown } from './global-teardown';

adoptWorkerServer();

/** Where this worker's server is and how to sign for it: `{url, endpoint, region, credentials}`. */
export function connection(): PublishedServer {
  return workerServer();
}

let client: LocalControlClient | undefined;
let clientFor: string | undefined;

/** The control client for this worker's server. */
export function localControl(): LocalControlClient {
  const s = workerServer();
  if (!client || clientFor !== s.url) {
    client = new LocalControlClient(s.url, s.control ?? s.credentials, s.region);
    clientFor = s.url;
  }
  return client;
}

/**
 * Puts this worker's server back as globalSetup left it (empty, or with the seed file's secrets), with
 * no audit entries and no fault rules. Call it in beforeEach. (The clock only moves forward: it stays.)
 */
export async function resetServer(): Promise<void> {
  const control = localControl();
  await control.reset();
  await control.restore(INITIAL_SNAPSHOT);
}

/** Moves the server's clock forward (milliseconds or "8d"/"36h"/"15m") and performs what became due. */
export function advanceClock(by: number | string) {
  return localControl().advanceClock(by);
}

/** Makes matching calls fail (or wait): e.g. `injectFault({ action: 'GetSecretValue', error: 'Reject.Throttling.Action', count: 1 })`. */
export function injectFault(rule: FaultRuleSpec) {
  return localControl().injectFault(rule);
}

export function clearFaults() {
  return localControl().clearFaults();
}
