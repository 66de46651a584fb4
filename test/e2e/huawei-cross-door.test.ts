/**
 * One secret, two doors: what the Huawei door creates the Volcengine SDK reads and changes, and back
 * (COMMON ↔ Generic, SYSCURRENT/SYSPREVIOUS ↔ CURRENT/OLDER, ENABLED/PENDING_DELETE ↔ Enable/PendingDelete,
 * RDS values and rotation_config translated, binary values kept as bytes).
 */
import { randomBytes } from 'node:crypto';
import { startHuaweiTestServer, type HuaweiTestServer } from '../support/huawei';

const DAY_MS = 86_400_000;

describe('Huawei and Volcengine doors over one store', () => {
  let s: HuaweiTestServer;
  beforeAll(async () => {
    s = await startHuaweiTestServer();
  });
  afterAll(() => s.close());

  const latest = (name: string) => s.a.sdk.call('GET', '/v1/{project_id}/secrets/{secret_name}/versions/latest', undefined, { secret_name: name });
  const version = (name: string, id: string) =>
    s.a.sdk.call('GET', '/v1/{project_id}/secrets/{secret_name}/versions/{version_id}', undefined, { secret_name: name, version_id: id });
  const show = (name: string) => s.a.sdk.call('GET', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: name });

  it('a secret created through the Huawei door is a Generic secret to the Volcengine SDK', async () => {
    const created = await s.a.sdk.call('POST', '/v1/{project_id}/secrets', {
      name: 'from-huawei',
      kms_key_id: '0d0466b0-e727-4d9c-b35d-f84bb474a37f',
      description: 'made in CSMS',
      enterprise_project_id: 'proj-x',
      secret_string: 'huawei value',
    });
    expect(created.status).toBe(200);
    const described = (await s.a.volc.ok('DescribeSecret', { SecretName: 'from-huawei' })).Secret;
    expect(described).toMatchObject({
      ID: created.body.secret.id,
      SecretName: 'from-huawei',
      SecretType: 'Generic',
      SecretState: 'Enable',
      ProjectName: 'proj-x',
      Description: 'made in CSMS',
      EncryptionKey: `trn:kms:cn-beijing:${s.a.accountId}:keyrings/csms/keys/0d0466b0-e727-4d9c-b35d-f84bb474a37f`,
      UID: s.a.accountId,
    });
    expect(described.CreationDate).toBe(Math.floor(created.body.secret.create_time / 1000));
    const value = await s.a.volc.ok('GetSecretValue', { SecretName: 'from-huawei' }, 'get');
    expect(value).toMatchObject({ SecretValue: 'huawei value', VersionStage: 'CURRENT' });
    expect((await latest('from-huawei')).body.version.version_metadata.id).toBe(value.VersionID);
  });

  it('a Volcengine secret and its new versions show through the Huawei door with SYSCURRENT and SYSPREVIOUS', async () => {
    const created = (await s.a.volc.ok('CreateSecret', { SecretName: 'from-volc', SecretType: 'Generic', SecretValue: 'v1', Description: 'd' })).Secret;
    const shown = (await show('from-volc')).body.secret;
    expect(shown).toMatchObject({ id: created.ID, name: 'from-volc', state: 'ENABLED', secret_type: 'COMMON', kms_key_id: 'csms/default', description: 'd', enterprise_project_id: 'default' });
    expect(shown.update_time).toBe(created.UpdateDate);

    const first = (await latest('from-volc')).body.version;
    expect(first).toMatchObject({ secret_string: 'v1', version_metadata: { secret_name: 'from-volc', version_stages: ['SYSCURRENT'], kms_key_id: 'csms/default' } });
    const v2 = await s.a.volc.ok('SetSecretValue', { SecretName: 'from-volc', SecretValue: 'v2' });
    const v3 = await s.a.volc.ok('SetSecretValue', { SecretName: 'from-volc', SecretValue: 'v3' });

    expect((await latest('from-volc')).body.version).toMatchObject({ secret_string: 'v3', version_metadata: { id: v3.VersionID, version_stages: ['SYSCURRENT'] } });
    expect((await version('from-volc', v2.VersionID)).body.version).toMatchObject({ secret_string: 'v2', version_metadata: { version_stages: ['SYSPREVIOUS'] } });
    // CSMS keeps SYSPREVIOUS on one version: older versions carry no stage
    expect((await version('from-volc', first.version_metadata.id)).body.version).toMatchObject({ secret_string: 'v1', version_metadata: { version_stages: [] } });
    const missing = await version('from-volc', '00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('CSMS.0005');
  });

  it('binary values round-trip byte for byte through both doors', async () => {
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(1024)]);
    const b64 = bytes.toString('base64');
    expect((await s.a.sdk.call('POST', '/v1/{project_id}/secrets', { name: 'binary', secret_binary: b64 })).status).toBe(200);

    const huawei = (await latest('binary')).body.version;
    expect(huawei.secret_binary).toBe(b64);
    expect(huawei).not.toHaveProperty('secret_string');
    expect(Buffer.from(huawei.secret_binary, 'base64').equals(bytes)).toBe(true);

    const volc = await s.a.volc.ok('GetSecretValue', { SecretName: 'binary' }, 'get');
    expect(Buffer.from(volc.SecretValue, 'base64').equals(bytes)).toBe(true);

    // a text version set through the Volcengine door reads back as text; the binary one stays binary
    const text = await s.a.volc.ok('SetSecretValue', { SecretName: 'binary', SecretValue: 'now text' });
    expect((await latest('binary')).body.version).toMatchObject({ secret_string: 'now text', version_metadata: { id: text.VersionID } });
    expect((await version('binary', volc.VersionID)).body.version.secret_binary).toBe(b64);
  });

  it('deletion states are the same state through both doors', async () => {
    await s.a.fetch('POST', '/v1/{project_id}/secrets', { name: 'doomed', secret_string: 'v' });
    await s.a.volc.ok('ScheduleSecretDeletion', { SecretName: 'doomed', PendingWindowInDays: 7 });
    const pending = (await show('doomed')).body.secret;
    expect(pending.state).toBe('PENDING_DELETE');
    expect(pending.scheduled_delete_time).toBe(pending.update_time + 7 * DAY_MS);
    const read = await latest('doomed');
    expect(read.status).toBe(400);
    expect(read.body.error_code).toBe('CSMS.0103');

    await s.a.volc.ok('CancelSecretDeletion', { SecretName: 'doomed' });
    expect((await show('doomed')).body.secret).toMatchObject({ state: 'ENABLED', scheduled_delete_time: null });

    expect((await s.a.sdk.call('DELETE', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'doomed' })).status).toBe(204);
    expect((await s.a.volc.fail('DescribeSecret', { SecretName: 'doomed' })).Code).toBe('Not Found');
  });

  it('RDS secrets are RDS secrets in both shapes, and the domain rotates them for both doors', async () => {
    const users = [
      { name: 'app_a', password: 'pass-a' },
      { name: 'app_b', password: 'pass-b' },
    ];
    const created = await s.a.sdk.call('POST', '/v1/{project_id}/secrets', {
      name: 'rds-huawei',
      secret_type: 'RDS',
      secret_string: JSON.stringify({ users }),
      rotation_config: JSON.stringify({ rds_instance_id: '63616bceef2c45409575d762a498318bin01', Secret_sub_type: 'MultiUser' }),
      auto_rotation: true,
      rotation_period: '24h',
    });
    expect(created.status).toBe(200);
    const secret = created.body.secret;
    expect(secret).toMatchObject({ secret_type: 'RDS', auto_rotation: true, rotation_period: '1d' });
    expect(JSON.parse(secret.rotation_config)).toEqual({ RDSInstanceId: '63616bceef2c45409575d762a498318bin01', SecretSubType: 'MultiUser' });
    expect(secret.next_rotation_time).toBe(secret.create_time + DAY_MS);
    expect(secret).not.toHaveProperty('rotation_time');

    const volcSecret = (await s.a.volc.ok('DescribeSecret', { SecretName: 'rds-huawei' })).Secret;
    expect(volcSecret).toMatchObject({ SecretType: 'RDS', RotationState: 'Enable', RotationInterval: 86400 });
    expect(JSON.parse(volcSecret.ExtendedConfig)).toEqual({ DBInstanceId: '63616bceef2c45409575d762a498318bin01', SecretSubType: 'DoubleUsers' });
    const volcValue = await s.a.volc.ok('GetSecretValue', { SecretName: 'rds-huawei' }, 'get');
    expect(JSON.parse(volcValue.SecretValue)).toEqual({ Accounts: users.map((u) => ({ AccountName: u.name, AccountPassword: u.password })) });
    expect(JSON.parse((await latest('rds-huawei')).body.version.secret_string)).toEqual({ users });

    const report = await s.t.handle.clock.advance(DAY_MS + 1000);
    expect(report.rotated).toBeGreaterThanOrEqual(1);
    const rotated = (await latest('rds-huawei')).body.version;
    const now = JSON.parse(rotated.secret_string).users;
    // MultiUser: the standby account gets a new password and becomes the active one
    expect(now.map((u: { name: string }) => u.name)).toEqual(['app_b', 'app_a']);
    expect(now[0].password).not.toBe('pass-b');
    expect(now[1].password).toBe('pass-a');
    expect(rotated.version_metadata.version_stages).toEqual(['SYSCURRENT']);
    const previous = (await version('rds-huawei', volcValue.VersionID)).body.version;
    expect(previous.version_metadata.version_stages).toEqual(['SYSPREVIOUS']);
    expect(JSON.parse(previous.secret_string)).toEqual({ users });
    const after = (await show('rds-huawei')).body.secret;
    expect(after.rotation_time).toBeGreaterThanOrEqual(secret.create_time + DAY_MS);
    expect(after.rotation_time).toBeLessThanOrEqual(s.t.handle.clock.now());
    expect(after.next_rotation_time).toBe(after.rotation_time + DAY_MS);
  });

  it('a Volcengine RDS secret shows its value and rotation_config in the CSMS shapes', async () => {
    await s.a.volc.ok('CreateSecret', {
      SecretName: 'rds-volc',
      SecretType: 'RDS',
      SecretValue: JSON.stringify({ Accounts: [{ AccountName: 'root', AccountPassword: 'pw' }] }),
      ExtendedConfig: JSON.stringify({ DBInstanceId: 'mysql-1', SecretSubType: 'SingleUser' }),
    });
    const shown = (await show('rds-volc')).body.secret;
    expect(shown).toMatchObject({ secret_type: 'RDS', auto_rotation: false });
    expect(JSON.parse(shown.rotation_config)).toEqual({ RDSInstanceId: 'mysql-1', SecretSubType: 'SingleUser' });
    expect(JSON.parse((await latest('rds-volc')).body.version.secret_string)).toEqual({ users: [{ name: 'root', password: 'pw' }] });
  });

  it('COMMON secrets keep rotation_config as given and do not rotate (reported as auto_rotation false)', async () => {
    const res = await s.a.fetch('POST', '/v1/{project_id}/secrets', {
      name: 'common-rot',
      secret_string: 'v',
      auto_rotation: true,
      rotation_period: '30d',
      rotation_config: '{"note":"kept as given"}',
    });
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatchObject({ auto_rotation: false, rotation_config: '{"note":"kept as given"}' });
    expect(res.body.secret).not.toHaveProperty('rotation_period');
    expect((await s.a.volc.ok('DescribeSecret', { SecretName: 'common-rot' })).Secret).toMatchObject({ ExtendedConfig: '{"note":"kept as given"}', RotationState: 'None' });
  });

  it('a key TRN given as kms_key_id is kept and reported as given', async () => {
    const trn = `trn:kms:cn-beijing:${s.a.accountId}:keyrings/app/keys/main`;
    const res = await s.a.fetch('POST', '/v1/{project_id}/secrets', { name: 'trn-key', secret_string: 'v', kms_key_id: trn });
    expect(res.body.secret.kms_key_id).toBe(trn);
    expect((await s.a.volc.ok('DescribeSecret', { SecretName: 'trn-key' })).Secret.EncryptionKey).toBe(trn);
  });

  it('a disabled secret (seeded) shows DISABLED and its value is refused with 400 CSMS.0104', async () => {
    const seeded = await startHuaweiTestServer({ seed: { secrets: [{ name: 'switched-off', value: 'v', state: 'Disable', accountId: '2100000001' }] } });
    try {
      const shown = await seeded.a.fetch('GET', '/v1/{project_id}/secrets/switched-off');
      expect(shown.body.secret.state).toBe('DISABLED');
      const read = await seeded.a.fetch('GET', '/v1/{project_id}/secrets/switched-off/versions/latest');
      expect(read.status).toBe(400);
      expect(read.body).toEqual({ error_code: 'CSMS.0104', error_msg: 'The secret is disabled.' });
    } finally {
      await seeded.close();
    }
  });

  it("keeps accounts apart: another account's project and SDK see nothing", async () => {
    expect((await s.b.fetch('GET', '/v1/{project_id}/secrets/from-huawei')).status).toBe(404);
    expect((await s.b.volc.fail('DescribeSecret', { SecretName: 'from-huawei' })).Code).toBe('Not Found');
    expect((await s.b.fetch('POST', '/v1/{project_id}/secrets', { name: 'from-huawei', secret_string: 'b' })).status).toBe(200);
    expect((await latest('from-huawei')).body.version.secret_string).toBe('huawei value');
  });
});
