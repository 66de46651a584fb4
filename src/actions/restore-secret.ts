import { defineAction } from './action';

interface RestoreSecretParams {
  BackupData: string;
  SecretDataKey: string;
  Signature: string;
}

/** Re-creates a secret from BackupSecret's output (Volcengine's meaning; it does not cancel a deletion). */
export const restoreSecret = defineAction<RestoreSecretParams>('RestoreSecret', async ({ scope, services }, p) => {
  await services.backups.restore(scope, { data: p.BackupData, dataKey: p.SecretDataKey, signature: p.Signature });
  return {};
});
