/**
 * Jest helpers (`volc-secrets-local/jest`). With the globalSetup/globalTeardown pair configured, each
 * test worker finds the server through environment variables; these functions reach it over the
 * local control API.
 *
 *   import { resetServer, advanceClock, injectFault, connection } from 'volc-secrets-local/jest';
 *   beforeEach(() => resetServer());
 */
import { publishedServer, type PublishedServer } from './environment';
import { LocalControlClient, type FaultRuleSpec } from './control-client';
import { INITIAL_SNAPSHOT } from './global-setup';

export { LocalControlClient, LocalControlError, type FaultRuleSpec } from './control-client';
export { serverEnvironment, publishedServer, type PublishedServer } from './environment';
export { default as globalSetup } from './global-setup';
export { default as globalTeardown } from './global-teardown';

/** Where the server is and how to sign for it: `{url, endpoint, region, credentials}`. */
export function connection(): PublishedServer {
  return publishedServer();
}

let client: LocalControlClient | undefined;
let clientFor: string | undefined;

/** The control client for the published server. */
export function localControl(): LocalControlClient {
  const s = publishedServer();
  if (!client || clientFor !== s.url) {
    client = new LocalControlClient(s.url, s.control ?? s.credentials, s.region);
    clientFor = s.url;
  }
  return client;
}

/**
 * Puts the server back as globalSetup left it (empty, or with the seed file's secrets), with no audit
 * entries and no fault rules. Call it in beforeEach. (The clock only moves forward: it stays.)
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
