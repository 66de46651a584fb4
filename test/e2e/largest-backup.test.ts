/**
 * What the server issues, it accepts: the largest backup BackupSecret can produce (a Generic secret at
 * its 100-version limit, every value at the 32 KiB the seed and the Huawei door allow, every version
 * name and metadata field at its limit) is restored by RestoreSecret, value for value, after the
 * secret was deleted.
 */
import { randomBytes } from 'node:crypto';
import { startTestServer } from '../support/server';

describe('the largest backup', () => {
  it('is accepted by RestoreSecret after the secret is deleted, and gives back every version', async () => {
    const values = Array.from({ length: 100 }, () => randomBytes(32_768).toString('base64'));
    const t = await startTestServer({
      seed: {
        secrets: [
          {
            name: 'n'.repeat(31),
            type: 'Generic',
            description: 'd'.repeat(8192),
            projectName: 'p'.repeat(64),
            versions: values.map((binaryValue, i) => ({ binaryValue, name: `${String(i).padStart(3, '0')}${'v'.repeat(125)}` })),
          },
        ],
      },
    });
    try {
      const name = 'n'.repeat(31);
      const backup = await t.sdk.ok('BackupSecret', { SecretName: name });
      // the figure RestoreSecret's schema is sized from (docs/security.md): about 5.9 MB
      expect(backup.BackupData.length).toBeGreaterThan(5_800_000);
      expect(backup.BackupData.length).toBeLessThanOrEqual(7 * 1024 * 1024);
      await t.sdk.ok('ScheduleSecretDeletion', { SecretName: name, ForceDelete: true });
      await t.handle.sweep();
      expect((await t.sdk.fail('DescribeSecret', { SecretName: name })).Code).toBe('Not Found');
      expect(await t.sdk.ok('RestoreSecret', { ...backup })).toEqual({});
      expect((await t.sdk.ok('DescribeSecretVersions', { SecretName: name })).PageInfo.TotalCount).toBe(100);
      // every version's bytes came back (BatchGet would answer only CURRENT: read each by name)
      for (const i of [0, 42, 99]) {
        const version = await t.sdk.ok('GetSecretValue', { SecretName: name, VersionName: `${String(i).padStart(3, '0')}${'v'.repeat(125)}` });
        expect(version.SecretValue).toBe(values[i]);
      }
    } finally {
      await t.handle.close();
    }
  });
});
