import { defineAction } from './action';

export const backupSecret = defineAction<{ SecretName: string }>('BackupSecret', async ({ scope, services }, p) => {
  const backup = await services.backups.backup(scope, p.SecretName);
  return { SecretDataKey: backup.dataKey, BackupData: backup.data, Signature: backup.signature };
});
