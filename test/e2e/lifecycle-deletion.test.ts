/**
 * The deletion window through the official SDK: ScheduleSecretDeletion, what PendingDelete refuses,
 * CancelSecretDeletion, the sweeper purging when the window ends (clock moved by the test), and
 * ForceDelete. SDK calls keep working after the clock jumps: X-Date is checked against real time.
 */
import { DAY_MS, HOUR_MS, ROTATABLE, allVersions, createParams, secretOf, wireTimeMs } from '../support/lifecycle';
import { startTestServer, type TestServer } from '../support/server';

const PENDING = 'The secret status [PendingDelete] does not allow to perform this action.';

describe('deletion window', () => {
  let t: TestServer;
  beforeEach(async () => {
    // a server per test: each test moves the clock by days
    t = await startTestServer({ sweepSeconds: 3600 });
  });
  afterEach(() => t.handle.close());

  const generic = (name: string, value = 'value-1') => t.sdk.ok('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: value });

  it('puts the secret in PendingDelete with ScheduleDeleteTime = now + 7 days by default', async () => {
    await generic('del-default');
    const before = t.handle.clock.now();
    expect(await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-default' }, 'get')).toEqual({});
    const s = await secretOf(t.sdk, 'del-default');
    expect(s.SecretState).toBe('PendingDelete');
    const at = wireTimeMs(s.ScheduleDeleteTime);
    expect(at - before).toBeGreaterThanOrEqual(7 * DAY_MS - 1000);
    expect(at - before).toBeLessThan(7 * DAY_MS + 60_000);
  });

  it('honours PendingWindowInDays 7–30 and refuses values outside it, changing nothing', async () => {
    await generic('del-window');
    for (const days of [6, 31, 0]) {
      const e = await t.sdk.fail('ScheduleSecretDeletion', { SecretName: 'del-window', PendingWindowInDays: days });
      expect(e.Code).toBe('InvalidParameter');
      expect(e.Message).toContain('PendingWindowInDays');
    }
    expect((await secretOf(t.sdk, 'del-window')).SecretState).toBe('Enable');

    const before = t.handle.clock.now();
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-window', PendingWindowInDays: 30 });
    const at = wireTimeMs((await secretOf(t.sdk, 'del-window')).ScheduleDeleteTime);
    expect(at - before).toBeGreaterThanOrEqual(30 * DAY_MS - 1000);
    expect(at - before).toBeLessThan(30 * DAY_MS + 60_000);
    // the secret stays for 29 days, is gone after 30
    await t.handle.clock.advance(29 * DAY_MS);
    expect((await secretOf(t.sdk, 'del-window')).SecretState).toBe('PendingDelete');
    await t.handle.clock.advance(DAY_MS + HOUR_MS);
    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'del-window' })).Code).toBe('Not Found');
  });

  it('refuses value reads and writes, rotation and policy changes while PendingDelete; Describe still works', async () => {
    await generic('del-refuse');
    const rds = ROTATABLE.find((f) => f.label === 'RDS SingleUser')!;
    await t.sdk.ok('CreateSecret', createParams('del-refuse-rds', rds));
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-refuse' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-refuse-rds' });

    const refused: Array<[string, Record<string, unknown>]> = [
      ['GetSecretValue', { SecretName: 'del-refuse' }],
      ['SetSecretValue', { SecretName: 'del-refuse', SecretValue: 'new' }],
      ['BatchGetSecretValue', { SecretNames: ['del-refuse'] }],
      ['RotateSecret', { SecretName: 'del-refuse-rds' }],
      ['UpdateSecretRotationPolicy', { SecretName: 'del-refuse-rds', AutomaticRotation: true, RotationInterval: '7d' }],
      ['UpdateSecretRotationPolicy', { SecretName: 'del-refuse-rds', AutomaticRotation: false }],
      ['BackupSecret', { SecretName: 'del-refuse' }],
      ['UpdateSecret', { SecretName: 'del-refuse', Description: 'changed' }],
      ['ScheduleSecretDeletion', { SecretName: 'del-refuse' }],
      ['ScheduleSecretDeletion', { SecretName: 'del-refuse', PendingWindowInDays: 10 }],
    ];
    for (const [action, params] of refused) {
      const e = await t.sdk.fail(action, params);
      expect({ action, ...e }).toEqual({ action, CodeN: 0, Code: 'InvalidSecretStatus', Message: PENDING });
    }
    // nothing changed: one version, same schedule, rotation untouched
    expect(await allVersions(t.sdk, 'del-refuse')).toHaveLength(1);
    expect(await allVersions(t.sdk, 'del-refuse-rds')).toHaveLength(1);
    const s = await secretOf(t.sdk, 'del-refuse-rds');
    expect(s).toMatchObject({ SecretState: 'PendingDelete', RotationState: 'Disable', LastRotationTime: '' });

    expect((await secretOf(t.sdk, 'del-refuse')).Description).toBe('');
    // Describe, DescribeSecrets, DescribeSecretVersions keep working
    const listed = await t.sdk.ok('DescribeSecrets', { Filters: JSON.stringify([{ Key: 'SecretState', Values: ['PendingDelete'] }]) });
    expect(listed.Secrets.map((x: { SecretName: string }) => x.SecretName).sort()).toEqual(['del-refuse', 'del-refuse-rds']);
  });

  it('answers HTTP 400 for PendingDelete (the status the Go and Python SDKs raise on)', async () => {
    await generic('del-status');
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-status' });
    const res = await t.raw({ query: [['Action', 'GetSecretValue'], ['Version', '2021-02-18'], ['SecretName', 'del-status']] });
    expect(res.status).toBe(400);
    expect(res.body.ResponseMetadata.Error?.Code).toBe('InvalidSecretStatus');
  });

  it('CancelSecretDeletion returns the secret to its state, clears ScheduleDeleteTime, and the value reads again', async () => {
    await generic('del-cancel', 'keep-me');
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-cancel', PendingWindowInDays: 7 });
    await t.handle.clock.advance(3 * DAY_MS);
    expect(await t.sdk.ok('CancelSecretDeletion', { SecretName: 'del-cancel' }, 'get')).toEqual({});
    const s = await secretOf(t.sdk, 'del-cancel');
    expect(s).toMatchObject({ SecretState: 'Enable', ScheduleDeleteTime: '' });
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'del-cancel' })).SecretValue).toBe('keep-me');
    await t.sdk.ok('SetSecretValue', { SecretName: 'del-cancel', SecretValue: 'writable-again' });

    // the old window no longer applies
    const report = await t.handle.clock.advance(10 * DAY_MS);
    expect(report.purged).toBe(0);
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'del-cancel' })).SecretValue).toBe('writable-again');

    // cancelling a secret that is not pending deletion is refused
    const e = await t.sdk.fail('CancelSecretDeletion', { SecretName: 'del-cancel' });
    expect(e).toMatchObject({ Code: 'InvalidSecretStatus', Message: 'The secret status [Enable] does not allow to perform this action.' });
  });

  it('the window: 6 days later still there; 8 days later swept away, 404, and the name is free again', async () => {
    await generic('del-window-end', 'original');
    await t.sdk.ok('SetSecretValue', { SecretName: 'del-window-end', SecretValue: 'second' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-window-end' });

    const six = await t.handle.clock.advance(6 * DAY_MS);
    expect(six.purged).toBe(0);
    expect((await secretOf(t.sdk, 'del-window-end')).SecretState).toBe('PendingDelete');

    // Creating over a name that is pending deletion is a conflict.
    const conflict = await t.sdk.fail('CreateSecret', { SecretName: 'del-window-end', SecretType: 'Generic', SecretValue: 'x' });
    expect(conflict).toMatchObject({ Code: 'Conflict', Message: 'The secret resource del-window-end is conflict.' });

    // the sweeper itself removes it (not only a lazy read)
    const eight = await t.handle.clock.advance(2 * DAY_MS);
    expect(eight.purged).toBe(1);
    // ...and an SDK call signed with real time is accepted although the secrets' clock is 8 days ahead
    const gone = await t.sdk.fail('DescribeSecret', { SecretName: 'del-window-end' });
    expect(gone).toMatchObject({ Code: 'Not Found', Message: 'Not found secret [del-window-end].' });
    expect((await t.sdk.fail('DescribeSecretVersions', { SecretName: 'del-window-end' })).Code).toBe('Not Found');
    const listed = await t.sdk.ok('DescribeSecrets', {});
    expect(listed.Secrets.map((s: { SecretName: string }) => s.SecretName)).not.toContain('del-window-end');

    // the name is reusable, and nothing of the old secret (versions) comes back with it
    await generic('del-window-end', 'fresh');
    const versions = await allVersions(t.sdk, 'del-window-end');
    expect(versions).toHaveLength(1);
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'del-window-end' })).SecretValue).toBe('fresh');
  });

  it('ForceDelete removes the secret and its versions at once; the name is free', async () => {
    await generic('del-force', 'a');
    await t.sdk.ok('SetSecretValue', { SecretName: 'del-force', SecretValue: 'b' });
    expect(await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-force', ForceDelete: true }, 'get')).toEqual({});
    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'del-force' })).Code).toBe('Not Found');
    expect((await t.sdk.fail('GetSecretValue', { SecretName: 'del-force' })).Code).toBe('Not Found');
    await generic('del-force', 'new');
    expect(await allVersions(t.sdk, 'del-force')).toHaveLength(1);
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'del-force' })).SecretValue).toBe('new');
  });

  it('ForceDelete=false behaves like a scheduled deletion', async () => {
    await generic('del-force-false');
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'del-force-false', ForceDelete: false });
    expect((await secretOf(t.sdk, 'del-force-false')).SecretState).toBe('PendingDelete');
  });

  it('deleting an unknown secret answers 404 naming it', async () => {
    const e = await t.sdk.fail('ScheduleSecretDeletion', { SecretName: 'del-nobody' });
    expect(e).toMatchObject({ Code: 'Not Found', Message: 'Not found secret [del-nobody].' });
    expect((await t.sdk.fail('CancelSecretDeletion', { SecretName: 'del-nobody' })).Code).toBe('Not Found');
  });

  it('accepts SDK calls after clock.advance(8 days): X-Date is checked against real time', async () => {
    await t.handle.clock.advance(8 * DAY_MS);
    const created = await generic('del-after-jump');
    // the secret is stamped with the secrets' clock, eight days ahead of the wall clock
    expect(created.Secret.CreationDate * 1000 - Date.now()).toBeGreaterThan(8 * DAY_MS - 60_000);
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'del-after-jump' }, 'get')).SecretValue).toBe('value-1');
    // conversely, a request signed at the secrets' time (8 days from now) is refused as expired
    const skewed = await t.raw({
      query: [['Action', 'DescribeSecret'], ['Version', '2021-02-18'], ['SecretName', 'del-after-jump']],
      signedAt: t.handle.clock.now(),
    });
    expect(skewed.status).toBe(400);
    expect(skewed.body.ResponseMetadata.Error?.Code).toBe('InvalidTimestamp');
  });
});
