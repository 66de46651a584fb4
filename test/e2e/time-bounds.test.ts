/**
 * No control call can break the server: every time a caller sets (the clock's `ms` and `by`, audit
 * `from`/`to`, a restored backup's times) stays within 1970..9999 or is refused with InvalidParameter,
 * and a stored row whose times are out of range (written before the bound, or by hand) is still
 * answered, never a 500, also after a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { MasterKeyBackupSealer } from '../../src/crypto/backup-sealer';
import { controlClient } from '../support/control';
import { startTestServer, type TestServer } from '../support/server';

const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const DAY = 86_400_000;

describe('the clock stays within 9999', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.handle.close());

  it('refuses ms = Number.MAX_SAFE_INTEGER naming ms, and the clock and its reads still work', async () => {
    const control = controlClient(t.sdk.service);
    const before = t.handle.clock.now();
    const error = await control.fail('POST', '/clock/advance', { ms: Number.MAX_SAFE_INTEGER });
    expect(error.Code).toBe('InvalidParameter');
    expect(error.Message).toMatch(/^The request parameter ms is invalid\./);
    expect(t.handle.clock.now() - before).toBeLessThan(DAY);
    expect((await control.ok('GET', '/clock')).time).toMatch(/^\d{4}-/);
  });

  it('refuses a jump past 9999-12-31 (by and ms), accepts one that ends before it; secrets stay readable there', async () => {
    const control = controlClient(t.sdk.service);
    await t.handle.clock.advance(LATEST - t.handle.clock.now() - 40 * DAY);
    for (const params of [{ by: '41d' }, { ms: 41 * DAY }]) {
      const error = await control.fail('POST', '/clock/advance', params);
      expect(error.Code).toBe('InvalidParameter');
      expect(error.Message).toContain('past 9999-12-31T23:59:59.999Z');
    }
    await control.ok('POST', '/clock/advance', { by: '9d' });
    await expect(t.handle.clock.advance(40 * DAY)).rejects.toThrow(RangeError);
    // a secret written at the end of time, then scheduled for deletion 30 days later (past 9999)
    await t.sdk.ok('CreateSecret', { SecretName: 'late', SecretType: 'Generic', SecretValue: 'v' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'late', PendingWindowInDays: 30 });
    const described = (await t.sdk.ok('DescribeSecret', { SecretName: 'late' })).Secret;
    expect(described.CreationDate).toBeGreaterThan(LATEST / 1000 - 31 * 86_400);
    expect((await t.sdk.ok('DescribeSecrets', {})).Secrets.map((s: { SecretName: string }) => s.SecretName)).toContain('late');
  });

  // the first millisecond of year 10000, and the last a JavaScript Date holds: safe integers, past 9999
  it.each([['from', '253402300800000'], ['to', '8640000000000000'], ['from', '99999999999999999']])(
    'refuses audit %s=%s naming it',
    async (name, value) => {
      const error = await controlClient(t.sdk.service).fail('GET', '/audit', { [name]: value });
      expect(error.Code).toBe('InvalidParameter');
      expect(error.Message).toMatch(new RegExp(`^The request parameter ${name} is invalid\\.`));
    },
  );
});

describe('stored rows with out-of-range times', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-times-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are answered, never a 500, after a restart', async () => {
    const db = path.join(dir, 'times.db');
    let t = await startTestServer({ db });
    const credentials = t.handle.credentials;
    await t.sdk.ok('CreateSecret', { SecretName: 'odd-times', SecretType: 'Generic', SecretValue: 'v' });
    await t.handle.close();
    const sqlite = new BetterSqlite3(db);
    sqlite.prepare('update secrets set created_at = ?, updated_at = ?, delete_at = ?, next_rotation_at = ?').run(9e15, Number.MAX_SAFE_INTEGER, -5, 1e300);
    sqlite.prepare('update secret_versions set created_at = ?').run(9e15);
    sqlite.close();
    t = await startTestServer({ db, credentials: [credentials] });
    try {
      const secret = (await t.sdk.ok('DescribeSecret', { SecretName: 'odd-times' })).Secret;
      expect(secret.CreationDate).toBe(Math.floor(LATEST / 1000));
      expect(secret.UpdateDate).toBe(LATEST);
      expect((await t.sdk.ok('DescribeSecrets', {})).Secrets).toHaveLength(1);
      expect((await t.sdk.ok('DescribeSecretVersions', { SecretName: 'odd-times' })).SecretVersions[0].CreationDate).toBe(Math.floor(LATEST / 1000));
    } finally {
      await t.handle.close();
    }
  });
});

describe('restored backups', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-restore-times-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a backup (sealed with the master key) whose times are out of range is refused with InvalidParameter', async () => {
    const key = randomBytes(32);
    const keyFile = path.join(dir, 'master.key');
    fs.writeFileSync(keyFile, key.toString('base64'), { mode: 0o600 });
    const t = await startTestServer({ masterKeyFile: keyFile });
    try {
      await t.sdk.ok('CreateSecret', { SecretName: 'timed', SecretType: 'Generic', SecretValue: 'v' });
      const sealer = new MasterKeyBackupSealer(key);
      const backup = await t.sdk.ok('BackupSecret', { SecretName: 'timed' });
      const opened = sealer.open({ data: backup.BackupData, dataKey: backup.SecretDataKey, signature: backup.Signature });
      if (!opened.ok) throw new Error('the server sealed a backup its own key cannot open');
      const document = JSON.parse(opened.document.toString('utf8'));
      for (const forge of [
        (d: { secret: Record<string, unknown> }) => (d.secret.createdAt = Number.MAX_SAFE_INTEGER),
        (d: { secret: Record<string, unknown> }) => (d.secret.nextRotationAt = 9e15),
        (d: { versions: Array<Record<string, unknown>> }) => (d.versions[0].createdAt = -1),
      ]) {
        const forged = structuredClone(document);
        forge(forged);
        const sealed = sealer.seal(Buffer.from(JSON.stringify(forged)));
        const error = await t.sdk.fail('RestoreSecret', { BackupData: sealed.data, SecretDataKey: sealed.dataKey, Signature: sealed.signature });
        expect(error.Code).toBe('InvalidParameter');
      }
    } finally {
      await t.handle.close();
    }
  });
});
