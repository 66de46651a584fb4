/**
 * The control plane has an owner: only a control credential (`AK:SK:Account:control`, the development
 * pair while it is active, or the handle's own) may call /_local; every other credential gets 403
 * AccessDenied and changes nothing, on every operation. A control-only key opens no account.
 */
import { DEVELOPMENT_CREDENTIAL, generateCredential, startServer } from '../../src';
import { parseCredentialList } from '../../src/credentials';
import { LocalControlClient, LocalControlError } from '../../src/jest/control-client';
import { controlClient, type ControlMethod } from '../support/control';
import { sdkClient, startTestServer, type TestServer } from '../support/server';

const OPERATIONS: Array<[ControlMethod, string, Record<string, unknown>]> = [
  ['POST', '/reset', {}],
  ['GET', '/clock', {}],
  ['POST', '/clock/advance', { by: '31d' }],
  ['POST', '/sweep', {}],
  ['GET', '/snapshots', {}],
  ['POST', '/snapshots', { name: 'stolen' }],
  ['POST', '/snapshots/owner/restore', {}],
  ['DELETE', '/snapshots/owner', {}],
  ['GET', '/audit', {}],
  ['GET', '/faults', {}],
  ['POST', '/faults', { action: 'GetSecretValue', error: 'AccessDenied' }],
  ['DELETE', '/faults', {}],
];

describe('the control credential', () => {
  let t: TestServer;
  const owner = { ...generateCredential('2100000001'), control: true };
  const tenant = generateCredential('2100000002');
  beforeAll(async () => {
    t = await startTestServer({ credentials: [owner, tenant] });
    await t.sdk.ok('CreateSecret', { SecretName: 'owners', SecretType: 'Generic', SecretValue: 'v' });
    await t.handle.snapshot('owner');
  });
  afterAll(() => t.handle.close());

  it('is the configured one marked control, exposed on the handle', () => {
    expect(t.handle.controlCredentials).toEqual(owner);
  });

  it.each(OPERATIONS)('refuses %s %s to an ordinary account with 403 AccessDenied, changing nothing', async (method, path, params) => {
    const clockBefore = t.handle.clock.now();
    const faultsBefore = t.handle.faults.list().length;
    const tenantControl = controlClient(sdkClient(t.handle, { credentials: tenant }).service);
    const error = await tenantControl.fail(method, path, params);
    expect(error).toMatchObject({ Code: 'AccessDenied', CodeN: 0 });
    expect(error.Message).toContain('not a control credential');
    expect(error.Message).not.toContain(tenant.secretAccessKey);
    expect(t.handle.clock.now() - clockBefore).toBeLessThan(86_400_000);
    expect(t.handle.faults.list()).toHaveLength(faultsBefore);
    expect(t.handle.snapshots().map((s) => s.name)).toEqual(['owner']);
    expect((await t.sdk.ok('DescribeSecret', { SecretName: 'owners' })).Secret.SecretName).toBe('owners');
  });

  it('lets the control credential call them, and the tenant still uses its own account', async () => {
    const ownerControl = controlClient(t.sdk.service);
    expect((await ownerControl.ok('GET', '/snapshots')).snapshots.map((s: { name: string }) => s.name)).toEqual(['owner']);
    await sdkClient(t.handle, { credentials: tenant }).ok('CreateSecret', { SecretName: 'tenants', SecretType: 'Generic', SecretValue: 'v' });
  });
});

describe('without a configured control credential', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ credentials: [generateCredential()] });
  });
  afterAll(() => t.handle.close());

  it('the configured account is refused on /_local', async () => {
    expect(await controlClient(t.sdk.service).fail('GET', '/clock')).toMatchObject({ Code: 'AccessDenied' });
  });

  it("the handle's own control-only credential works there (through LocalControlClient) and opens no account", async () => {
    const control = t.handle.controlCredentials;
    expect(control.accessKeyId).not.toBe(t.handle.credentials.accessKeyId);
    const client = new LocalControlClient(t.handle.url, control);
    expect(await client.clock()).toHaveProperty('now');
    const res = await sdkClient(t.handle, { credentials: control }).call('DescribeSecrets');
    expect(res.ResponseMetadata.Error?.Code).toBe('InvalidAccessKey');
  });

  it('LocalControlClient with an ordinary credential is refused with AccessDenied', async () => {
    await expect(new LocalControlClient(t.handle.url, t.handle.credentials).reset()).rejects.toMatchObject({ code: 'AccessDenied' } as Partial<LocalControlError>);
  });
});

describe('marking credentials', () => {
  it('reads a fourth field `control` in the credential list (the secret key may hold ":")', () => {
    expect(parseCredentialList('AKa:s:k:2100000001:control,AKb:sk:2100000002')).toEqual([
      { accessKeyId: 'AKa', secretAccessKey: 's:k', accountId: '2100000001', control: true },
      { accessKeyId: 'AKb', secretAccessKey: 'sk', accountId: '2100000002' },
    ]);
  });

  it('the development pair is a control credential while it is active', async () => {
    const handle = await startServer({ credentials: [DEVELOPMENT_CREDENTIAL] });
    try {
      expect(handle.controlCredentials.accessKeyId).toBe(DEVELOPMENT_CREDENTIAL.accessKeyId);
      const client = new LocalControlClient(handle.url, DEVELOPMENT_CREDENTIAL);
      expect(await client.clock()).toHaveProperty('now');
    } finally {
      await handle.close();
    }
  });

  it('a default in-process server owns its control API with its one fresh pair', async () => {
    const handle = await startServer();
    try {
      expect(handle.controlCredentials).toEqual(handle.credentials);
    } finally {
      await handle.close();
    }
  });
});
