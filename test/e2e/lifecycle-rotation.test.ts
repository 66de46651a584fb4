/**
 * Rotation through the official SDK: RotateSecret and automatic rotation for every rotatable type
 * and sub-type, the shape and strength of the new credentials, DoubleUsers alternation, CURRENT +
 * OLDER retention, UpdateSecretRotationPolicy, and the sweeper rotating once per interval.
 */
import { createPublicKey } from 'node:crypto';
import { validatorFor } from '../../src/validation/schemas';
import { DAY_MS, HOUR_MS, ROTATABLE, allVersions, createParams, jsonValue, secretOf, wireTimeMs, type RotatableFixture } from '../support/lifecycle';
import { startTestServer, type TestServer } from '../support/server';

/* eslint-disable @typescript-eslint/no-explicit-any */

function expectStrongPassword(pw: unknown): void {
  expect(typeof pw).toBe('string');
  const s = pw as string;
  expect(s.length).toBeGreaterThanOrEqual(16);
  expect(s).toMatch(/[A-Z]/);
  expect(s).toMatch(/[a-z]/);
  expect(s).toMatch(/[0-9]/);
  expect(s).toMatch(/[^A-Za-z0-9]/);
}

/** The value has the published shape of its type and sub-type (the JSON Schema CreateSecret uses). */
function expectShape(f: RotatableFixture, value: unknown): void {
  const ref = f.type === 'IAM' ? 'secret-types/IAM.value' : `secret-types/${f.type}.value#/$defs/${f.subType}`;
  const validate = validatorFor(ref);
  expect({ valid: validate(value), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
}

/** The OpenSSH one-line public key that belongs to a PKCS#8 Ed25519 private key. */
function openSshPublicKeyOf(privatePem: string): string {
  const raw = createPublicKey(privatePem).export({ format: 'der', type: 'spki' }).subarray(-32);
  const len = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const name = Buffer.from('ssh-ed25519');
  return Buffer.concat([len(name.length), name, len(raw.length), raw]).toString('base64');
}

/** Asserts that `after` is a correct rotation of `before` for the fixture's type. */
function expectRotated(f: RotatableFixture, before: any, after: any): void {
  expectShape(f, after);
  switch (f.label) {
    case 'IAM': {
      // a new access key pair replaces the old keys
      expect(after.AccessKeys).toHaveLength(1);
      const [key] = after.AccessKeys;
      expect(key.AccessKeyId).toMatch(/^AKLT[A-Za-z0-9]{20,}$/);
      expect(before.AccessKeys.map((k: any) => k.AccessKeyId)).not.toContain(key.AccessKeyId);
      expect(before.AccessKeys.map((k: any) => k.AccessKeySecret)).not.toContain(key.AccessKeySecret);
      expect(key.AccessKeySecret.length).toBeGreaterThanOrEqual(32);
      break;
    }
    case 'RDS SingleUser':
    case 'Redis SingleUser':
    case 'PGSQL SingleUser': {
      expect(after.Accounts).toHaveLength(1);
      expect(after.Accounts[0].AccountName).toBe(before.Accounts[0].AccountName);
      expect(after.Accounts[0].AccountPassword).not.toBe(before.Accounts[0].AccountPassword);
      expectStrongPassword(after.Accounts[0].AccountPassword);
      break;
    }
    case 'RDS DoubleUsers':
    case 'Redis DoubleUsers':
    case 'SQLServer DoubleUsers': {
      // the standby account (second) is reset and becomes the active one (first);
      // the previously active account is left as it was
      const [active, standby] = before.Accounts;
      expect(after.Accounts).toHaveLength(2);
      expect(after.Accounts[0].AccountName).toBe(standby.AccountName);
      expect(after.Accounts[0].AccountPassword).not.toBe(standby.AccountPassword);
      expect(after.Accounts[0].AccountPassword).not.toBe(active.AccountPassword);
      expectStrongPassword(after.Accounts[0].AccountPassword);
      expect(after.Accounts[1]).toEqual(active);
      break;
    }
    case 'ECS Password': {
      expect(after.UserName).toBe(before.UserName);
      expect(after.Password).not.toBe(before.Password);
      expectStrongPassword(after.Password);
      break;
    }
    case 'ECS SSHKey': {
      expect(after.UserName).toBe(before.UserName);
      expect(after.PrivateKey).not.toBe(before.PrivateKey);
      expect(after.PublicKey).not.toBe(before.PublicKey);
      expect(after.PrivateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
      const [algorithm, blob, comment] = after.PublicKey.split(' ');
      expect(algorithm).toBe('ssh-ed25519');
      expect(comment).toBe(before.UserName);
      // the two halves belong together
      expect(blob).toBe(openSshPublicKeyOf(after.PrivateKey));
      break;
    }
    default:
      throw new Error(`no rotation check for ${f.label}`);
  }
}

describe('rotation of every rotatable type', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ sweepSeconds: 3600 });
  });
  afterAll(() => t.handle.close());

  describe.each(ROTATABLE.map((f) => [f.label, f] as const))('%s', (_label, f) => {
    const name = `rot-${f.type}-${f.subType}`;

    it('RotateSecret: new credentials of the same shape become CURRENT; OLDER keeps the previous ones', async () => {
      await t.sdk.ok('CreateSecret', createParams(name, f, { VersionName: 'initial' }));
      const created = await secretOf(t.sdk, name);
      expect(created).toMatchObject({ RotationState: 'Disable', LastRotationTime: '', ScheduleRotationTime: '' });

      expect(await t.sdk.ok('RotateSecret', { SecretName: name }, 'get')).toEqual({});
      const first = await jsonValue(t.sdk, name);
      expectRotated(f, f.value, first);
      const versions = await allVersions(t.sdk, name);
      expect(versions.map((v) => v.VersionStage)).toEqual(['CURRENT', 'OLDER']);
      expect(versions[1].VersionName).toBe('initial');
      expect(await jsonValue(t.sdk, name, { VersionName: 'initial' })).toEqual(f.value);

      const s = await secretOf(t.sdk, name);
      expect(Math.abs(wireTimeMs(s.LastRotationTime) - t.handle.clock.now())).toBeLessThan(60_000);
      // manual rotation does not schedule anything while automatic rotation is off
      expect(s).toMatchObject({ RotationState: 'Disable', ScheduleRotationTime: '' });

      // a second rotation: still two versions, OLDER is the first rotation's value (the previous pair)
      await t.sdk.ok('RotateSecret', { SecretName: name });
      const second = await jsonValue(t.sdk, name);
      expectRotated(f, first, second);
      const after = await allVersions(t.sdk, name);
      expect(after.map((v) => v.VersionStage)).toEqual(['CURRENT', 'OLDER']);
      expect(after[1].VersionID).toBe(versions[0].VersionID);
      expect(await jsonValue(t.sdk, name, { VersionID: after[1].VersionID })).toEqual(first);
      // the original version is gone: rotated types keep CURRENT + OLDER only
      expect((await t.sdk.fail('GetSecretValue', { SecretName: name, VersionName: 'initial' })).Code).toBe('Not Found');

      if (f.subType === 'DoubleUsers') {
        // the reset account alternates: A active → B reset and active → A reset and active
        const names = (f.value as any).Accounts.map((a: any) => a.AccountName);
        expect(first.Accounts[0].AccountName).toBe(names[1]);
        expect(second.Accounts[0].AccountName).toBe(names[0]);
        expect(second.Accounts[1]).toEqual(first.Accounts[0]);
      }
    });

    it('automatic rotation: the sweeper rotates when the interval has passed, with the same rules', async () => {
      const before = await jsonValue(t.sdk, name);
      await t.sdk.ok('UpdateSecretRotationPolicy', { SecretName: name, AutomaticRotation: true, RotationInterval: '1d' }, 'get');
      const enabled = await secretOf(t.sdk, name);
      expect(enabled).toMatchObject({ RotationState: 'Enable', RotationInterval: 86_400 });
      const due = wireTimeMs(enabled.ScheduleRotationTime);
      expect(Math.abs(due - (t.handle.clock.now() + DAY_MS))).toBeLessThan(60_000);

      // rotations of the other secrets may be due too; this one must be rotated exactly once
      const oldCurrent = (await allVersions(t.sdk, name))[0];
      await t.handle.clock.advance(DAY_MS + HOUR_MS);
      const versions = await allVersions(t.sdk, name);
      expect(versions.map((v) => v.VersionStage)).toEqual(['CURRENT', 'OLDER']);
      expect(versions[1].VersionID).toBe(oldCurrent.VersionID);
      const after = await jsonValue(t.sdk, name);
      expectRotated(f, before, after);

      const s = await secretOf(t.sdk, name);
      const last = wireTimeMs(s.LastRotationTime);
      expect(Math.abs(last - t.handle.clock.now())).toBeLessThan(60_000);
      expect(wireTimeMs(s.ScheduleRotationTime) - last).toBe(DAY_MS);

      // stop it again so the next fixture's clock moves do not rotate this one
      await t.sdk.ok('UpdateSecretRotationPolicy', { SecretName: name, AutomaticRotation: false });
    });
  });
});

describe('rotation rules', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer({ sweepSeconds: 3600 });
  });
  afterEach(() => t.handle.close());

  const iam = ROTATABLE.find((f) => f.label === 'IAM')!;
  const rds = ROTATABLE.find((f) => f.label === 'RDS SingleUser')!;

  it('RotateSecret with VersionName names the new CURRENT; a taken name is a 409 and changes nothing', async () => {
    await t.sdk.ok('CreateSecret', createParams('rot-named', rds, { VersionName: 'v1' }));
    await t.sdk.ok('RotateSecret', { SecretName: 'rot-named', VersionName: 'rotated-2024' });
    const got = await t.sdk.ok('GetSecretValue', { SecretName: 'rot-named', VersionName: 'rotated-2024' });
    expect(got).toMatchObject({ VersionName: 'rotated-2024', VersionStage: 'CURRENT' });
    expectRotated(rds, rds.value, JSON.parse(got.SecretValue));

    const e = await t.sdk.fail('RotateSecret', { SecretName: 'rot-named', VersionName: 'rotated-2024' });
    expect(e).toMatchObject({ Code: 'Conflict', Message: 'The version resource rotated-2024 is conflict.' });
    const versions = await allVersions(t.sdk, 'rot-named');
    expect(versions.map((v) => [v.VersionName, v.VersionStage])).toEqual([
      ['rotated-2024', 'CURRENT'],
      ['v1', 'OLDER'],
    ]);
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'rot-named' })).SecretValue).toBe(got.SecretValue);
  });

  it('refuses rotation for Generic secrets (InvalidSecretType); their RotationState stays None', async () => {
    const created = await t.sdk.ok('CreateSecret', {
      SecretName: 'rot-generic',
      SecretType: 'Generic',
      SecretValue: 'x',
      AutomaticRotation: true,
      RotationInterval: '7d',
    });
    expect(created.Secret).toMatchObject({ RotationState: 'None', RotationInterval: 0, ScheduleRotationTime: '' });
    const message = 'The secret type [Generic] does not allow to perform this action.';
    expect(await t.sdk.fail('RotateSecret', { SecretName: 'rot-generic' })).toMatchObject({ Code: 'InvalidSecretType', Message: message });
    for (const automatic of [true, false]) {
      const e = await t.sdk.fail('UpdateSecretRotationPolicy', { SecretName: 'rot-generic', AutomaticRotation: automatic, RotationInterval: '7d' });
      expect(e).toMatchObject({ Code: 'InvalidSecretType', Message: message });
    }
    expect(await secretOf(t.sdk, 'rot-generic')).toMatchObject({ RotationState: 'None', LastRotationTime: '' });
    expect(await allVersions(t.sdk, 'rot-generic')).toHaveLength(1);
  });

  it('refuses rotation while PendingDelete (InvalidSecretStatus) and rotates nothing in the window', async () => {
    await t.sdk.ok('CreateSecret', createParams('rot-pending', iam, { AutomaticRotation: true, RotationInterval: '1d' }));
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'rot-pending', PendingWindowInDays: 10 });
    const e = await t.sdk.fail('RotateSecret', { SecretName: 'rot-pending' });
    expect(e).toMatchObject({ Code: 'InvalidSecretStatus', Message: 'The secret status [PendingDelete] does not allow to perform this action.' });
    const report = await t.handle.clock.advance(2 * DAY_MS);
    expect(report.rotated).toBe(0);
    expect(await allVersions(t.sdk, 'rot-pending')).toHaveLength(1);
    // after cancelling, the schedule applies again
    await t.sdk.ok('CancelSecretDeletion', { SecretName: 'rot-pending' });
    expect((await t.handle.clock.advance(HOUR_MS)).rotated).toBe(1);
  });

  it('automatic rotation: exactly one rotation per interval, none before it, two versions kept', async () => {
    const created = await t.sdk.ok('CreateSecret', createParams('rot-auto', iam, { AutomaticRotation: true, RotationInterval: '2d' }));
    expect(created.Secret).toMatchObject({ RotationState: 'Enable', RotationInterval: 172_800, LastRotationTime: '' });
    const start = t.handle.clock.now();
    expect(Math.abs(wireTimeMs(created.Secret.ScheduleRotationTime) - (start + 2 * DAY_MS))).toBeLessThan(60_000);

    // less than the interval: nothing
    expect((await t.handle.clock.advance(DAY_MS)).rotated).toBe(0);
    expect(await allVersions(t.sdk, 'rot-auto')).toHaveLength(1);

    // past the interval: exactly one rotation
    expect((await t.handle.clock.advance(DAY_MS + HOUR_MS)).rotated).toBe(1);
    expect((await t.handle.sweep()).rotated).toBe(0);
    const v1 = await allVersions(t.sdk, 'rot-auto');
    expect(v1.map((v) => v.VersionStage)).toEqual(['CURRENT', 'OLDER']);
    const s1 = await secretOf(t.sdk, 'rot-auto');
    const last1 = wireTimeMs(s1.LastRotationTime);
    expect(wireTimeMs(s1.ScheduleRotationTime) - last1).toBe(2 * DAY_MS);
    const firstRotated = await jsonValue(t.sdk, 'rot-auto');
    expectRotated(iam, iam.value, firstRotated);

    // less than the next interval: nothing
    expect((await t.handle.clock.advance(DAY_MS)).rotated).toBe(0);
    expect((await allVersions(t.sdk, 'rot-auto'))[0].VersionID).toBe(v1[0].VersionID);

    // past the next interval: one more, still two versions, LastRotationTime moved
    expect((await t.handle.clock.advance(DAY_MS + HOUR_MS)).rotated).toBe(1);
    const v2 = await allVersions(t.sdk, 'rot-auto');
    expect(v2.map((v) => v.VersionStage)).toEqual(['CURRENT', 'OLDER']);
    expect(v2[1].VersionID).toBe(v1[0].VersionID);
    const s2 = await secretOf(t.sdk, 'rot-auto');
    expect(wireTimeMs(s2.LastRotationTime) - last1).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect(await jsonValue(t.sdk, 'rot-auto', { VersionID: v2[1].VersionID })).toEqual(firstRotated);
  });

  it('a clock jump over several intervals rotates once and schedules the next from now', async () => {
    await t.sdk.ok('CreateSecret', createParams('rot-jump', rds, { AutomaticRotation: true, RotationInterval: '1d' }));
    expect((await t.handle.clock.advance(5 * DAY_MS + HOUR_MS)).rotated).toBe(1);
    expect(await allVersions(t.sdk, 'rot-jump')).toHaveLength(2);
    const s = await secretOf(t.sdk, 'rot-jump');
    expect(Math.abs(wireTimeMs(s.ScheduleRotationTime) - (t.handle.clock.now() + DAY_MS))).toBeLessThan(60_000);
  });

  it('a manual rotation moves the automatic schedule to now + interval', async () => {
    await t.sdk.ok('CreateSecret', createParams('rot-manual-auto', rds, { AutomaticRotation: true, RotationInterval: '3d' }));
    await t.handle.clock.advance(2 * DAY_MS);
    await t.sdk.ok('RotateSecret', { SecretName: 'rot-manual-auto' });
    const s = await secretOf(t.sdk, 'rot-manual-auto');
    expect(wireTimeMs(s.ScheduleRotationTime) - wireTimeMs(s.LastRotationTime)).toBe(3 * DAY_MS);
    // the old due time (day 3) passes without a rotation
    expect((await t.handle.clock.advance(DAY_MS + HOUR_MS)).rotated).toBe(0);
    expect((await t.handle.clock.advance(2 * DAY_MS)).rotated).toBe(1);
  });

  it('UpdateSecretRotationPolicy: enable sets RotationState/RotationInterval/ScheduleRotationTime; disable clears the schedule', async () => {
    await t.sdk.ok('CreateSecret', createParams('rot-policy', iam));
    expect(await secretOf(t.sdk, 'rot-policy')).toMatchObject({ RotationState: 'Disable', ScheduleRotationTime: '' });

    expect(await t.sdk.ok('UpdateSecretRotationPolicy', { SecretName: 'rot-policy', AutomaticRotation: true, RotationInterval: '30d' })).toEqual({});
    const on = await secretOf(t.sdk, 'rot-policy');
    expect(on).toMatchObject({ RotationState: 'Enable', RotationInterval: 30 * 86_400 });
    expect(Math.abs(wireTimeMs(on.ScheduleRotationTime) - (t.handle.clock.now() + 30 * DAY_MS))).toBeLessThan(60_000);

    await t.sdk.ok('UpdateSecretRotationPolicy', { SecretName: 'rot-policy', AutomaticRotation: false }, 'get');
    const off = await secretOf(t.sdk, 'rot-policy');
    expect(off).toMatchObject({ RotationState: 'Disable', ScheduleRotationTime: '', LastRotationTime: '' });
    // disabled: nothing rotates however far the clock moves
    expect((await t.handle.clock.advance(40 * DAY_MS)).rotated).toBe(0);
    expect(await allVersions(t.sdk, 'rot-policy')).toHaveLength(1);

    // enabling again schedules from now
    await t.sdk.ok('UpdateSecretRotationPolicy', { SecretName: 'rot-policy', AutomaticRotation: true, RotationInterval: '1d' });
    expect((await t.handle.clock.advance(DAY_MS + 1000)).rotated).toBe(1);
  });

  it('UpdateSecretRotationPolicy refuses a missing or out-of-range RotationInterval and changes nothing', async () => {
    await t.sdk.ok('CreateSecret', createParams('rot-policy-bad', iam));
    const missing = await t.sdk.fail('UpdateSecretRotationPolicy', { SecretName: 'rot-policy-bad', AutomaticRotation: true });
    expect(missing.Code).toBe('InvalidParameter');
    expect(missing.Message).toContain('RotationInterval');
    for (const interval of ['0d', '366d', '7', '7h', '-1d']) {
      const e = await t.sdk.fail('UpdateSecretRotationPolicy', { SecretName: 'rot-policy-bad', AutomaticRotation: true, RotationInterval: interval });
      expect({ interval, code: e.Code, names: e.Message.includes('RotationInterval') }).toEqual({ interval, code: 'InvalidParameter', names: true });
    }
    expect(await secretOf(t.sdk, 'rot-policy-bad')).toMatchObject({ RotationState: 'Disable', RotationInterval: 0, ScheduleRotationTime: '' });
    const noFlag = await t.sdk.fail('UpdateSecretRotationPolicy', { SecretName: 'rot-policy-bad', RotationInterval: '7d' });
    expect(noFlag).toMatchObject({ Code: 'MissingParameter', Message: 'The request is missing AutomaticRotation parameter.' });
  });

  it('CreateSecret with AutomaticRotation=true needs a RotationInterval', async () => {
    const e = await t.sdk.fail('CreateSecret', createParams('rot-create-bad', iam, { AutomaticRotation: true }));
    expect(e.Code).toBe('InvalidParameter');
    expect(e.Message).toContain('RotationInterval');
    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'rot-create-bad' })).Code).toBe('Not Found');
  });

  it('unknown secrets: RotateSecret and UpdateSecretRotationPolicy answer 404 naming them', async () => {
    expect(await t.sdk.fail('RotateSecret', { SecretName: 'rot-nobody' })).toMatchObject({ Code: 'Not Found', Message: 'Not found secret [rot-nobody].' });
    const e = await t.sdk.fail('UpdateSecretRotationPolicy', { SecretName: 'rot-nobody', AutomaticRotation: false });
    expect(e).toMatchObject({ Code: 'Not Found', Message: 'Not found secret [rot-nobody].' });
  });
});
