/**
 * The local control API (/_local/...) through the official SDK's fetchOpenAPI: who may call it,
 * the clock (purges and rotations become due), snapshots, reset, and its refusals.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCredential, startServer } from '../../src';
import { controlClient, type ControlClient } from '../support/control';
import { allVersions, createParams, DAY_MS, ROTATABLE, secretOf } from '../support/lifecycle';
import { actionQuery, rawRequest, sdkClient, startTestServer, type TestServer } from '../support/server';

describe('control API access', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.handle.close());

  it('answers a request signed by a configured credential, in any region', async () => {
    const sdk = sdkClient(t.handle, { credentials: t.handle.credentials, region: 'ap-southeast-1' });
    const res = await controlClient(sdk.service).call('GET', '/clock');
    expect(res.ResponseMetadata).toMatchObject({ Action: 'GetClock', Version: 'local', Service: 'kms', Region: 'ap-southeast-1' });
    expect(res.ResponseMetadata.RequestId).toMatch(/^\d{14}[0-9A-F]{18}$/);
    expect(res.Result.now).toBeGreaterThan(0);
  });

  it('refuses a request without a signature', async () => {
    const res = await t.raw({ method: 'POST', path: '/_local/reset', sign: false });
    expect(res.status).toBe(401);
    expect(res.body.ResponseMetadata.Error).toMatchObject({ Code: 'MissingAuthenticationToken', CodeN: 100003 });
    expect(res.body.ResponseMetadata.Action).toBe('Reset');
  });

  it('refuses a bad signature, an unknown key and a tampered body, and changes nothing', async () => {
    await t.sdk.ok('CreateSecret', { SecretName: 'kept', SecretType: 'Generic', SecretValue: 'v' });
    const wrongKey = await t.raw({ method: 'POST', path: '/_local/reset', credentials: { ...t.handle.credentials, secretAccessKey: 'wrong-secret-key' } });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body.ResponseMetadata.Error?.Code).toBe('SignatureDoesNotMatch');
    expect(wrongKey.text).not.toContain('wrong-secret-key');
    const unknown = await t.raw({ method: 'POST', path: '/_local/reset', credentials: generateCredential() });
    expect(unknown.status).toBe(401);
    expect(unknown.body.ResponseMetadata.Error?.Code).toBe('InvalidAccessKey');
    const tampered = await t.raw({
      method: 'POST',
      path: '/_local/clock/advance',
      body: JSON.stringify({ by: '1s' }),
      headers: { 'Content-Type': 'application/json' },
      tamper: (r) => {
        r.body = JSON.stringify({ by: '3650d' });
      },
    });
    expect(tampered.body.ResponseMetadata.Error?.Code).toBe('SignatureDoesNotMatch');
    expect(t.handle.clock.now()).toBeLessThan(Date.now() + DAY_MS);
    expect((await t.sdk.ok('DescribeSecret', { SecretName: 'kept' })).Secret.SecretName).toBe('kept');
  });

  it('answers unknown operations and parameters with a catalogue error', async () => {
    const control = controlClient(t.sdk.service);
    expect(await control.fail('GET', '/nothing-here')).toEqual({ CodeN: 0, Code: 'Not Found', Message: 'Not found control operation [GET /_local/nothing-here].' });
    expect((await control.fail('GET', '/reset')).Code).toBe('Not Found');
    const extra = await control.fail('POST', '/reset', { everything: true });
    expect(extra).toMatchObject({ Code: 'InvalidParameter', Message: 'The request parameter everything is invalid. This operation has no parameter everything. It takes no parameters.' });
    const notJson = await t.raw({ method: 'POST', path: '/_local/clock/advance', body: '{"by": ', headers: { 'Content-Type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.ResponseMetadata.Error?.Message).toMatch(/^The request parameter Body is invalid\./);
    const nested = await control.fail('POST', '/faults', { action: { name: 'GetSecretValue' } });
    expect(nested.Message).toMatch(/^The request parameter action is invalid\./);
    const huge = await t.raw({ method: 'POST', path: '/_local/snapshots', body: JSON.stringify({ name: 'x'.repeat(70 * 1024) }), headers: { 'Content-Type': 'application/json' } });
    expect(huge.status).toBe(413);
    expect(huge.body.ResponseMetadata.Error?.Code).toBe('RequestEntityTooLarge');
  });

  it('answers only loopback clients', async () => {
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!address) {
      console.warn('skipped: this machine has no non-loopback IPv4 address to call from');
      return;
    }
    const handle = await startServer({ host: '0.0.0.0' });
    try {
      const remote = { ...handle, url: `http://${address}:${handle.port}` };
      const refused = await rawRequest(remote, { method: 'GET', path: '/_local/clock' });
      expect(refused.status).toBe(403);
      expect(refused.body.ResponseMetadata.Error).toEqual({ CodeN: 0, Code: 'AccessDenied', Message: 'The local control API only answers clients on a loopback address.' });
      // the API itself still answers that client
      const api = await rawRequest(remote, { query: actionQuery('DescribeSecrets') });
      expect(api.status).toBe(200);
      const local = await rawRequest(handle, { method: 'GET', path: '/_local/clock' });
      expect(local.status).toBe(200);
    } finally {
      await handle.close();
    }
  });
});

describe('control API clock', () => {
  let t: TestServer;
  let control: ControlClient;
  beforeAll(async () => {
    t = await startTestServer();
    control = controlClient(t.sdk.service);
  });
  afterAll(() => t.handle.close());

  it('reports the secrets’ clock', async () => {
    const clock = await control.ok('GET', '/clock');
    expect(Math.abs(clock.now - Date.now())).toBeLessThan(60_000 + clock.offsetMs);
    expect(clock.time).toBe(new Date(clock.now).toISOString());
  });

  it('advancing past a deletion window purges the secret', async () => {
    await t.sdk.ok('CreateSecret', { SecretName: 'doomed', SecretType: 'Generic', SecretValue: 'v' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'doomed', PendingWindowInDays: 7 });
    const early = await control.ok('POST', '/clock/advance', { by: '6d' });
    expect(early.sweep).toEqual({ purged: 0, rotated: 0 });
    expect((await secretOf(t.sdk, 'doomed')).SecretState).toBe('PendingDelete');
    const late = await control.ok('POST', '/clock/advance', { by: '1d1h' });
    expect(late.sweep.purged).toBe(1);
    expect(late.offsetMs).toBeGreaterThanOrEqual(7 * DAY_MS + 3_600_000);
    expect(late.time).toBe(new Date(late.now).toISOString());
    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'doomed' })).Code).toBe('Not Found');
  });

  it('advancing past a rotation schedule rotates the secret', async () => {
    const iam = ROTATABLE.find((f) => f.type === 'IAM')!;
    await t.sdk.ok('CreateSecret', createParams('rotating', iam, { AutomaticRotation: true, RotationInterval: '1d' }));
    const [first] = await allVersions(t.sdk, 'rotating');
    const report = await control.ok('POST', '/clock/advance', { ms: DAY_MS + 60_000 });
    expect(report.sweep.rotated).toBe(1);
    const versions = await allVersions(t.sdk, 'rotating');
    expect(versions).toHaveLength(2);
    expect(versions.find((v) => v.VersionStage === 'CURRENT')?.VersionID).not.toBe(first.VersionID);
    expect((await secretOf(t.sdk, 'rotating')).LastRotationTime).not.toBe('');
  });

  it('a sweep can also be asked for on its own', async () => {
    expect(await control.ok('POST', '/sweep')).toEqual({ purged: 0, rotated: 0 });
  });

  it.each([
    [{}, 'MissingParameter', 'The request is missing by parameter.'],
    [{ by: '8 days' }, 'InvalidParameter', /^The request parameter by is invalid\. by must be milliseconds or a duration such as 8d/],
    [{ by: '-1d' }, 'InvalidParameter', /^The request parameter by is invalid\./],
    [{ ms: -5 }, 'InvalidParameter', /^The request parameter ms is invalid\. ms must be a whole number/],
    [{ ms: 1.5 }, 'InvalidParameter', /^The request parameter ms is invalid\./],
    [{ by: '1d', ms: 5 }, 'InvalidParameter', 'The request parameter ms is invalid. Give either by or ms, not both.'],
  ])('refuses to advance with %j', async (params, code, message) => {
    const before = t.handle.clock.now();
    const e = await control.fail('POST', '/clock/advance', params);
    expect(e.Code).toBe(code);
    expect(e.Message).toMatch(message);
    expect(t.handle.clock.now() - before).toBeLessThan(DAY_MS);
  });
});

describe('control API snapshots and reset', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-snapshots-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe.each([
    ['in memory', () => undefined],
    ['on a file', () => path.join(dir, 'store.db')],
  ])('%s', (_label, dbFile) => {
    let t: TestServer;
    let control: ControlClient;
    beforeAll(async () => {
      t = await startTestServer({ db: dbFile() });
      control = controlClient(t.sdk.service);
    });
    afterAll(() => t.handle.close());

    it('snapshot → changes → restore gives back the old state', async () => {
      await t.sdk.ok('CreateSecret', { SecretName: 'alpha', SecretType: 'Generic', SecretValue: 'alpha-1' });
      await t.sdk.ok('SetSecretValue', { SecretName: 'alpha', SecretValue: 'alpha-2', VersionName: 'second' });
      await t.sdk.ok('CreateSecret', { SecretName: 'beta', SecretType: 'Generic', SecretValue: 'beta-1', Description: 'before' });
      const taken = await control.ok('POST', '/snapshots', { name: 'base' });
      expect(taken).toMatchObject({ name: 'base', secrets: 2, versions: 3 });
      const versionsBefore = await allVersions(t.sdk, 'alpha');

      await t.sdk.ok('SetSecretValue', { SecretName: 'alpha', SecretValue: 'alpha-3' });
      await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'beta', ForceDelete: true });
      await t.sdk.ok('CreateSecret', { SecretName: 'gamma', SecretType: 'Generic', SecretValue: 'gamma-1' });
      expect((await t.sdk.fail('DescribeSecret', { SecretName: 'beta' })).Code).toBe('Not Found');

      expect(await control.ok('POST', '/snapshots/base/restore')).toMatchObject({ name: 'base', secrets: 2, versions: 3 });
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'alpha' })).SecretValue).toBe('alpha-2');
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'alpha', VersionName: 'second' })).SecretValue).toBe('alpha-2');
      expect(await allVersions(t.sdk, 'alpha')).toEqual(versionsBefore);
      expect((await secretOf(t.sdk, 'beta')).Description).toBe('before');
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'beta' })).SecretValue).toBe('beta-1');
      expect((await t.sdk.fail('DescribeSecret', { SecretName: 'gamma' })).Code).toBe('Not Found');
      // the restored store keeps working
      await t.sdk.ok('SetSecretValue', { SecretName: 'alpha', SecretValue: 'alpha-4' });
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'alpha' })).SecretValue).toBe('alpha-4');
    });

    it('lists, names, replaces and deletes snapshots; in-process too', async () => {
      const unnamed = await control.ok('POST', '/snapshots');
      expect(unnamed.name).toMatch(/^snapshot-\d+$/);
      const inProcess = await t.handle.snapshot('from-code');
      expect(inProcess).toMatchObject({ name: 'from-code', secrets: 2 });
      expect((await control.ok('GET', '/snapshots')).snapshots.map((s: { name: string }) => s.name)).toEqual(['base', unnamed.name, 'from-code']);
      await t.sdk.ok('CreateSecret', { SecretName: 'delta', SecretType: 'Generic', SecretValue: 'd' });
      expect(await control.ok('POST', '/snapshots', { name: 'from-code' })).toMatchObject({ name: 'from-code', secrets: 3 });
      await t.handle.restore('base');
      expect((await t.sdk.fail('DescribeSecret', { SecretName: 'delta' })).Code).toBe('Not Found');
      await t.handle.restore('from-code');
      expect((await secretOf(t.sdk, 'delta')).SecretName).toBe('delta');
      expect(await control.ok('DELETE', `/snapshots/${unnamed.name}`)).toEqual({ name: unnamed.name, deleted: true });
      expect(t.handle.snapshots().map((s) => s.name)).toEqual(['base', 'from-code']);
      expect(await control.fail('POST', `/snapshots/${unnamed.name}/restore`)).toEqual({ CodeN: 0, Code: 'Not Found', Message: `Not found snapshot [${unnamed.name}].` });
      expect((await control.fail('DELETE', '/snapshots/never')).Code).toBe('Not Found');
      expect((await control.fail('POST', '/snapshots', { name: 'bad name!' })).Message).toMatch(/^The request parameter name is invalid\./);
      await expect(t.handle.restore('never')).rejects.toThrow('Not found snapshot [never].');
    });

    it('reset removes secrets, audit entries and fault rules; snapshots stay', async () => {
      t.handle.faults.add({ action: 'DescribeSecret', error: 'UndefinedError', count: 5 });
      await t.handle.audit.flush();
      const report = await control.ok('POST', '/reset');
      expect(report.secretsRemoved).toBeGreaterThanOrEqual(2);
      expect(report.faultsRemoved).toBe(1);
      expect(report.auditEntriesRemoved).toBeGreaterThan(5);
      expect(t.handle.faults.list()).toEqual([]);
      expect((await t.sdk.ok('DescribeSecrets', {})).Secrets).toEqual([]);
      // only the DescribeSecrets just made is in the audit log
      expect((await t.handle.audit.query()).map((e) => e.action)).toEqual(['DescribeSecrets']);
      expect(t.handle.snapshots().map((s) => s.name)).toEqual(['base', 'from-code']);
      await t.handle.restore('base');
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'alpha' })).SecretValue).toBe('alpha-2');
    });
  });

  it('a restored file database survives a restart', async () => {
    const db = path.join(dir, 'restart.db');
    const first = await startTestServer({ db });
    await first.sdk.ok('CreateSecret', { SecretName: 'persisted', SecretType: 'Generic', SecretValue: 'p-1' });
    await first.handle.snapshot('one');
    await first.sdk.ok('SetSecretValue', { SecretName: 'persisted', SecretValue: 'p-2' });
    await first.handle.restore('one');
    await first.handle.close();
    const second = await startServer({ db, credentials: [first.handle.credentials] });
    try {
      const sdk = sdkClient(second, { credentials: first.handle.credentials });
      expect((await sdk.ok('GetSecretValue', { SecretName: 'persisted' })).SecretValue).toBe('p-1');
      expect(await allVersions(sdk, 'persisted')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
