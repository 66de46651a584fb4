/**
 * How a jest worker finds its own server among those globalSetup published (src/jest/environment.ts):
 * pure functions over an environment object.
 */
import { adoptWorkerServer, JEST_SERVERS_VARIABLE, serverEnvironment, workerServer } from '../../src/jest/environment';

const credentials = { accessKeyId: 'AKLTtest', secretAccessKey: 'c2VjcmV0', accountId: '2100000001' };
const addresses = [1, 2, 3, 4].map((k) => ({
  url: `http://127.0.0.1:${4000 + k}`,
  endpoint: `127.0.0.1:${4000 + k}`,
  control: { accessKeyId: `AKLTcontrol${k}`, secretAccessKey: `control-secret-${k}` },
}));

function published(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    ...serverEnvironment({ ...addresses[0], region: 'cn-beijing', credentials }), // worker 1's, control included
    [JEST_SERVERS_VARIABLE]: JSON.stringify(addresses),
    ...extra,
  };
}

describe('workerServer', () => {
  it.each([1, 2, 3, 4])('worker %i gets its own address and control credential, the shared account credential and region', (worker) => {
    const own = workerServer(published({ JEST_WORKER_ID: String(worker) }));
    expect(own).toEqual({ ...addresses[worker - 1], region: 'cn-beijing', credentials });
  });

  it('is worker 1 in band (no JEST_WORKER_ID) and wraps a number beyond the list', () => {
    expect(workerServer(published()).url).toBe(addresses[0].url);
    expect(workerServer(published({ JEST_WORKER_ID: '6' })).url).toBe(addresses[1].url);
  });

  it('is the base server when no per-worker list was published', () => {
    const env = published({ JEST_WORKER_ID: '3' });
    delete env[JEST_SERVERS_VARIABLE];
    expect(workerServer(env).url).toBe(addresses[0].url);
  });

  it('names the variable when the list is malformed, and when nothing was published', () => {
    expect(() => workerServer(published({ [JEST_SERVERS_VARIABLE]: '[{"url":1}]' }))).toThrow(JEST_SERVERS_VARIABLE);
    expect(() => workerServer({})).toThrow(/VOLC_SECRETS_URL is not set.*globalSetup/);
  });
});

describe('adoptWorkerServer', () => {
  it("rewrites the address and control variables to the worker's server and leaves the account's", () => {
    const env = published({ JEST_WORKER_ID: '3' });
    adoptWorkerServer(env);
    expect(env).toMatchObject({
      VOLC_SECRETS_URL: addresses[2].url,
      VOLC_SECRETS_ENDPOINT: addresses[2].endpoint,
      VOLCENGINE_ENDPOINT: addresses[2].endpoint,
      VOLC_SECRETS_CONTROL_ACCESS_KEY_ID: addresses[2].control.accessKeyId,
      VOLC_SECRETS_CONTROL_SECRET_ACCESS_KEY: addresses[2].control.secretAccessKey,
      VOLC_ACCESSKEY: credentials.accessKeyId,
      VOLC_SECRETKEY: credentials.secretAccessKey,
    });
  });

  it('changes nothing where globalSetup published nothing', () => {
    const env: Record<string, string> = { JEST_WORKER_ID: '2', PATH: '/bin' };
    expect(adoptWorkerServer(env)).toBeUndefined();
    expect(env).toEqual({ JEST_WORKER_ID: '2', PATH: '/bin' });
  });
});
