/**
 * BatchGetSecretValue and BackupSecret / RestoreSecret through the official SDK: request order and
 * the limits of the batch; a backup holding no plaintext, restoring every version and stage with
 * its ids, refusing any changed byte, another account, an existing name, and working on a second
 * server that shares the master key file.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCredential } from '../../src/credentials';
import { ROTATABLE, allVersions, createParams, jsonValue, secretOf } from '../support/lifecycle';
import { actionQuery, sdkClient, startTestServer, type TestServer } from '../support/server';

interface Backup {
  SecretDataKey: string;
  BackupData: string;
  Signature: string;
}

/** Flips one bit of the character at `index` of a base64 string, keeping it valid base64. */
function flipBase64Char(text: string, index: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const at = alphabet.indexOf(text[index]);
  if (at < 0) throw new Error(`not a base64 character at ${index}`);
  return text.slice(0, index) + alphabet[at ^ 1] + text.slice(index + 1);
}

describe('BatchGetSecretValue', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ sweepSeconds: 3600 });
    for (let i = 0; i < 21; i++) {
      await t.sdk.ok('CreateSecret', { SecretName: `batch-${i}`, SecretType: 'Generic', SecretValue: `value-${i}` });
    }
  });
  afterAll(() => t.handle.close());

  it('returns the CURRENT values in request order', async () => {
    await t.sdk.ok('SetSecretValue', { SecretName: 'batch-3', SecretValue: 'value-3-new' });
    const names = ['batch-7', 'batch-3', 'batch-12', 'batch-0'];
    const r = await t.sdk.ok('BatchGetSecretValue', { SecretNames: names });
    expect(r.SecretValues.map((v: { SecretName: string }) => v.SecretName)).toEqual(names);
    expect(r.SecretValues.map((v: { SecretValue: string }) => v.SecretValue)).toEqual(['value-7', 'value-3-new', 'value-12', 'value-0']);
    for (const v of r.SecretValues) {
      expect(v).toEqual({ SecretName: v.SecretName, SecretValue: v.SecretValue, VersionID: expect.any(String), VersionStage: 'CURRENT', CreationDate: expect.any(Number) });
      const single = await t.sdk.ok('GetSecretValue', { SecretName: v.SecretName });
      expect(v.VersionID).toBe(single.VersionID);
      expect(v.CreationDate).toBe(single.CreationDate);
    }
  });

  it.each(['get', 'form'] as const)('reads the list in the SDK %s mode too', async (mode) => {
    const r = await t.sdk.ok('BatchGetSecretValue', { SecretNames: ['batch-9', 'batch-1', 'batch-5'] }, mode);
    expect(r.SecretValues.map((v: { SecretValue: string }) => v.SecretValue)).toEqual(['value-9', 'value-1', 'value-5']);
    const one = await t.sdk.ok('BatchGetSecretValue', { SecretNames: ['batch-4'] }, mode);
    expect(one.SecretValues.map((v: { SecretName: string }) => v.SecretName)).toEqual(['batch-4']);
    const dup = await t.sdk.fail('BatchGetSecretValue', { SecretNames: ['batch-4', 'batch-4'] }, mode);
    expect(dup).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringContaining('SecretNames') });
  });

  it('accepts 20 names, the upper bound', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `batch-${19 - i}`);
    const r = await t.sdk.ok('BatchGetSecretValue', { SecretNames: names });
    expect(r.SecretValues).toHaveLength(20);
    expect(r.SecretValues[0]).toMatchObject({ SecretName: 'batch-19', SecretValue: 'value-19' });
  });

  it('refuses 21 names with InvalidParameter naming SecretNames', async () => {
    const e = await t.sdk.fail('BatchGetSecretValue', { SecretNames: Array.from({ length: 21 }, (_, i) => `batch-${i}`) });
    expect(e).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringContaining('SecretNames') });
    expect(e.Message).toContain('20');
  });

  it('refuses duplicate names with InvalidParameter naming SecretNames', async () => {
    const e = await t.sdk.fail('BatchGetSecretValue', { SecretNames: ['batch-1', 'batch-2', 'batch-1'] });
    expect(e).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringContaining('SecretNames') });
    expect(e.Message).toContain('duplicate');
  });

  it('refuses an empty or missing list', async () => {
    expect((await t.sdk.fail('BatchGetSecretValue', { SecretNames: [] })).Message).toContain('SecretNames');
    expect(await t.sdk.fail('BatchGetSecretValue', {})).toMatchObject({ Code: 'MissingParameter', Message: 'The request is missing SecretNames parameter.' });
  });

  it('answers 404 naming the unknown secret when any name is unknown, with no values', async () => {
    const e = await t.sdk.fail('BatchGetSecretValue', { SecretNames: ['batch-1', 'batch-nobody', 'batch-2'] });
    expect(e).toMatchObject({ Code: 'Not Found', Message: 'Not found secret [batch-nobody].' });
    const raw = await t.raw({
      method: 'POST',
      query: actionQuery('BatchGetSecretValue'),
      body: JSON.stringify({ SecretNames: ['batch-nobody'] }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(raw.status).toBe(404);
    expect(raw.body.Result).toBeUndefined();
  });

  it('does not see secrets of another account', async () => {
    const other = await startTestServer({ credentials: [generateCredential('2100000001'), generateCredential('2100000002')], sweepSeconds: 3600 });
    try {
      await other.sdk.ok('CreateSecret', { SecretName: 'batch-mine', SecretType: 'Generic', SecretValue: 'x' });
      const stranger = sdkClient(other.handle, { credentials: other.handle.accounts[1] });
      expect((await stranger.fail('BatchGetSecretValue', { SecretNames: ['batch-mine'] })).Code).toBe('Not Found');
    } finally {
      await other.handle.close();
    }
  });
});

describe('BackupSecret and RestoreSecret', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer({ sweepSeconds: 3600, credentials: [generateCredential('2100000001'), generateCredential('2100000002')] });
  });
  afterEach(() => t.handle.close());

  /** A Generic secret with three versions (two named) and a description. */
  async function threeVersions(name: string): Promise<void> {
    await t.sdk.ok('CreateSecret', {
      SecretName: name,
      SecretType: 'Generic',
      SecretValue: 'plain-value-one',
      Description: 'backed up',
      ProjectName: 'payments',
      VersionName: 'one',
    });
    await t.sdk.ok('SetSecretValue', { SecretName: name, SecretValue: 'plain-value-two' });
    await t.sdk.ok('SetSecretValue', { SecretName: name, SecretValue: 'plain-value-three', VersionName: 'three' });
  }

  it('BackupSecret returns SecretDataKey, BackupData and Signature with no plaintext in any of them', async () => {
    await threeVersions('bk-plain');
    const backup: Backup = await t.sdk.ok('BackupSecret', { SecretName: 'bk-plain' }, 'get');
    expect(Object.keys(backup).sort()).toEqual(['BackupData', 'SecretDataKey', 'Signature']);
    for (const field of Object.values(backup)) {
      expect(typeof field).toBe('string');
      expect(field.length).toBeGreaterThan(0);
      // neither as text nor inside any base64 it may hold
      const decoded = field + Buffer.from(field, 'base64').toString('latin1');
      for (const secretText of ['plain-value-one', 'plain-value-two', 'plain-value-three', 'bk-plain', 'backed up']) {
        expect(decoded).not.toContain(secretText);
      }
    }
    // BackupData is a JSON envelope of ciphertext only
    const envelope = JSON.parse(backup.BackupData);
    for (const v of Object.values(envelope)) expect(typeof v).toBe('string');
    const payload = Buffer.from(envelope.Ciphertext, 'base64').toString('latin1');
    expect(payload).not.toContain('plain-value');
  });

  it('backup → force delete → restore brings back the secret with every version, stage, name and VersionID', async () => {
    await threeVersions('bk-roundtrip');
    const before = await secretOf(t.sdk, 'bk-roundtrip');
    const versions = await allVersions(t.sdk, 'bk-roundtrip');
    expect(versions).toHaveLength(3);
    const backup: Backup = await t.sdk.ok('BackupSecret', { SecretName: 'bk-roundtrip' });

    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'bk-roundtrip', ForceDelete: true });
    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'bk-roundtrip' })).Code).toBe('Not Found');

    expect(await t.sdk.ok('RestoreSecret', { ...backup })).toEqual({});
    const after = await secretOf(t.sdk, 'bk-roundtrip');
    const { UpdateDate: _u1, ...keptBefore } = before;
    const { UpdateDate: _u2, ...keptAfter } = after;
    expect(keptAfter).toEqual(keptBefore);
    expect(await allVersions(t.sdk, 'bk-roundtrip')).toEqual(versions);

    const values = ['plain-value-three', 'plain-value-two', 'plain-value-one'];
    for (const [i, v] of versions.entries()) {
      const got = await t.sdk.ok('GetSecretValue', { SecretName: 'bk-roundtrip', VersionID: v.VersionID });
      expect(got).toMatchObject({ SecretValue: values[i], VersionStage: v.VersionStage, VersionName: v.VersionName });
    }
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'bk-roundtrip' })).SecretValue).toBe('plain-value-three');
    // the restored secret lives on: new versions stack on top
    await t.sdk.ok('SetSecretValue', { SecretName: 'bk-roundtrip', SecretValue: 'plain-value-four' });
    expect((await allVersions(t.sdk, 'bk-roundtrip')).map((v) => v.VersionStage)).toEqual(['CURRENT', 'OLDER', 'OLDER', 'OLDER']);
  });

  it('restores a rotated type with its rotation settings and both versions', async () => {
    const rds = ROTATABLE.find((f) => f.label === 'RDS DoubleUsers')!;
    await t.sdk.ok('CreateSecret', createParams('bk-rds', rds, { AutomaticRotation: true, RotationInterval: '30d' }));
    await t.sdk.ok('RotateSecret', { SecretName: 'bk-rds' });
    const before = await secretOf(t.sdk, 'bk-rds');
    const current = await jsonValue(t.sdk, 'bk-rds');
    const versions = await allVersions(t.sdk, 'bk-rds');
    const backup: Backup = await t.sdk.ok('BackupSecret', { SecretName: 'bk-rds' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'bk-rds', ForceDelete: true });
    await t.sdk.ok('RestoreSecret', { ...backup });
    expect(await secretOf(t.sdk, 'bk-rds')).toMatchObject({
      SecretType: 'RDS',
      ExtendedConfig: before.ExtendedConfig,
      RotationState: 'Enable',
      RotationInterval: 30 * 86_400,
      LastRotationTime: before.LastRotationTime,
      ScheduleRotationTime: before.ScheduleRotationTime,
    });
    expect(await allVersions(t.sdk, 'bk-rds')).toEqual(versions);
    expect(await jsonValue(t.sdk, 'bk-rds')).toEqual(current);
    expect(await jsonValue(t.sdk, 'bk-rds', { VersionID: versions[1].VersionID })).toEqual(rds.value);
  });

  it('refuses a changed byte in BackupData, Signature or SecretDataKey with 400 InvalidParameter, creating nothing', async () => {
    await threeVersions('bk-tamper');
    const backup: Backup = await t.sdk.ok('BackupSecret', { SecretName: 'bk-tamper' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'bk-tamper', ForceDelete: true });

    // An HMAC cannot tell a changed BackupData from a changed Signature: both name the Signature
    // and say it does not match BackupData.
    const envelope = JSON.parse(backup.BackupData);
    const tampered: Array<[string, string, Backup]> = [
      ['ciphertext bit', 'Signature', { ...backup, BackupData: JSON.stringify({ ...envelope, Ciphertext: flipBase64Char(envelope.Ciphertext, 10) }) }],
      ['iv bit', 'Signature', { ...backup, BackupData: JSON.stringify({ ...envelope, Iv: flipBase64Char(envelope.Iv, 3) }) }],
      ['json spacing', 'Signature', { ...backup, BackupData: backup.BackupData.replace('"Iv":"', '"Iv" : "') }],
      ['trailing space', 'Signature', { ...backup, BackupData: backup.BackupData + ' ' }],
      ['signature bit', 'Signature', { ...backup, Signature: flipBase64Char(backup.Signature, 0) }],
      ['signature cut', 'Signature', { ...backup, Signature: backup.Signature.slice(0, -4) }],
      ['data key iv bit', 'SecretDataKey', { ...backup, SecretDataKey: flipBase64Char(backup.SecretDataKey, 5) }],
      ['data key body bit', 'SecretDataKey', { ...backup, SecretDataKey: flipBase64Char(backup.SecretDataKey, 30) }],
      ['data key cut', 'SecretDataKey', { ...backup, SecretDataKey: backup.SecretDataKey.slice(0, 8) }],
      ['data key junk', 'SecretDataKey', { ...backup, SecretDataKey: backup.SecretDataKey + '!' }],
      ['data key text', 'SecretDataKey', { ...backup, SecretDataKey: 'not base64 at all!' }],
    ];
    for (const [label, parameter, body] of tampered) {
      const res = await t.raw({
        method: 'POST',
        query: actionQuery('RestoreSecret'),
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json' },
      });
      const error = res.body.ResponseMetadata.Error;
      expect({ label, status: res.status, code: error?.Code }).toEqual({ label, status: 400, code: 'InvalidParameter' });
      expect({ label, message: error?.Message }).toEqual({ label, message: expect.stringContaining(`The request parameter ${parameter} is invalid.`) });
      if (parameter === 'Signature') expect(error?.Message).toContain('does not match BackupData');
    }
    // another secret's data key does not open this backup either
    await threeVersions('bk-other');
    const other: Backup = await t.sdk.ok('BackupSecret', { SecretName: 'bk-other' });
    const mixed = await t.sdk.fail('RestoreSecret', { ...backup, SecretDataKey: other.SecretDataKey });
    expect(mixed).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringContaining('SecretDataKey') });
    expect((await t.sdk.fail('RestoreSecret', { ...backup, Signature: other.Signature })).Code).toBe('InvalidParameter');

    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'bk-tamper' })).Code).toBe('Not Found');
    // the untouched backup still restores
    await t.sdk.ok('RestoreSecret', { ...backup });
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'bk-tamper' })).SecretValue).toBe('plain-value-three');
  });

  it('refuses to restore over an existing name with 409 Conflict, leaving the existing secret alone', async () => {
    await threeVersions('bk-exists');
    const backup: Backup = await t.sdk.ok('BackupSecret', { SecretName: 'bk-exists' });
    await t.sdk.ok('SetSecretValue', { SecretName: 'bk-exists', SecretValue: 'after-backup' });
    const e = await t.sdk.fail('RestoreSecret', { ...backup });
    expect(e).toMatchObject({ Code: 'Conflict', Message: 'The secret resource bk-exists is conflict.' });
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'bk-exists' })).SecretValue).toBe('after-backup');
    expect(await allVersions(t.sdk, 'bk-exists')).toHaveLength(4);

    // a name pending deletion is still taken
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'bk-exists' });
    expect((await t.sdk.fail('RestoreSecret', { ...backup })).Code).toBe('Conflict');
  });

  it('refuses a backup made by another account (403 AccessDenied) and creates nothing there', async () => {
    await threeVersions('bk-foreign');
    const backup: Backup = await t.sdk.ok('BackupSecret', { SecretName: 'bk-foreign' });
    const stranger = sdkClient(t.handle, { credentials: t.handle.accounts[1] });
    const e = await stranger.fail('RestoreSecret', { ...backup });
    expect(e).toMatchObject({ Code: 'AccessDenied' });
    const res = await t.raw({
      method: 'POST',
      query: actionQuery('RestoreSecret'),
      body: JSON.stringify(backup),
      headers: { 'Content-Type': 'application/json' },
      credentials: t.handle.accounts[1],
    });
    expect(res.status).toBe(403);
    expect((await stranger.fail('DescribeSecret', { SecretName: 'bk-foreign' })).Code).toBe('Not Found');
  });

  it('restores in the caller\'s region', async () => {
    await threeVersions('bk-region');
    const backup: Backup = await t.sdk.ok('BackupSecret', { SecretName: 'bk-region' });
    const shanghai = sdkClient(t.handle, { credentials: t.handle.credentials, region: 'cn-shanghai' });
    await shanghai.ok('RestoreSecret', { ...backup });
    const s = (await shanghai.ok('DescribeSecret', { SecretName: 'bk-region' })).Secret;
    expect(s.Trn).toBe(`trn:kms:cn-shanghai:${t.handle.credentials.accountId}:secrets/bk-region`);
    expect((await shanghai.ok('GetSecretValue', { SecretName: 'bk-region', VersionName: 'one' })).SecretValue).toBe('plain-value-one');
    // the original in cn-beijing is untouched
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'bk-region' })).SecretValue).toBe('plain-value-three');
  });

  it('answers 404 for BackupSecret of an unknown secret', async () => {
    expect(await t.sdk.fail('BackupSecret', { SecretName: 'bk-nobody' })).toMatchObject({ Code: 'Not Found', Message: 'Not found secret [bk-nobody].' });
  });
});

describe('RestoreSecret on another server', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-restore-'));
    fs.writeFileSync(path.join(dir, 'shared.master-key'), randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'other.master-key'), randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a fresh server sharing the master key file restores the backup; one with another key refuses it', async () => {
    const credentials = [generateCredential('2100000001')];
    const a = await startTestServer({ db: path.join(dir, 'a.db'), masterKeyFile: path.join(dir, 'shared.master-key'), credentials, sweepSeconds: 3600 });
    let backup: Backup;
    let versions;
    try {
      await a.sdk.ok('CreateSecret', { SecretName: 'moved', SecretType: 'Generic', SecretValue: 'first', VersionName: 'v1' });
      await a.sdk.ok('SetSecretValue', { SecretName: 'moved', SecretValue: 'second', VersionName: 'v2' });
      versions = await allVersions(a.sdk, 'moved');
      backup = await a.sdk.ok('BackupSecret', { SecretName: 'moved' });
    } finally {
      await a.handle.close();
    }

    const b = await startTestServer({ db: path.join(dir, 'b.db'), masterKeyFile: path.join(dir, 'shared.master-key'), credentials, sweepSeconds: 3600 });
    try {
      await b.sdk.ok('RestoreSecret', { ...backup });
      expect(await allVersions(b.sdk, 'moved')).toEqual(versions);
      expect((await b.sdk.ok('GetSecretValue', { SecretName: 'moved' })).SecretValue).toBe('second');
      expect((await b.sdk.ok('GetSecretValue', { SecretName: 'moved', VersionName: 'v1' })).SecretValue).toBe('first');
    } finally {
      await b.handle.close();
    }

    const c = await startTestServer({ db: path.join(dir, 'c.db'), masterKeyFile: path.join(dir, 'other.master-key'), credentials, sweepSeconds: 3600 });
    try {
      const e = await c.sdk.fail('RestoreSecret', { ...backup });
      expect(e).toMatchObject({ Code: 'InvalidParameter', Message: expect.stringContaining('another master key') });
      expect((await c.sdk.fail('DescribeSecret', { SecretName: 'moved' })).Code).toBe('Not Found');
    } finally {
      await c.handle.close();
    }
  });
});
