import { startTestServer, type TestServer } from '../support/server';

describe('gateway smoke', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.handle.close());

  it('creates and reads a secret through the official SDK', async () => {
    const created = await t.sdk.ok('CreateSecret', { SecretName: 'smoke-1', SecretType: 'Generic', SecretValue: 'v1' });
    expect(created.Secret.SecretName).toBe('smoke-1');
    const got = await t.sdk.ok('GetSecretValue', { SecretName: 'smoke-1' }, 'get');
    expect(got.SecretValue).toBe('v1');
  });
});
