import { defineAction } from './action';

interface ScheduleSecretDeletionParams {
  SecretName: string;
  ForceDelete?: boolean;
  PendingWindowInDays?: number;
}

export const scheduleSecretDeletion = defineAction<ScheduleSecretDeletionParams>('ScheduleSecretDeletion', async ({ scope, services }, p) => {
  await services.secrets.scheduleDeletion(scope, p.SecretName, { force: p.ForceDelete === true, windowDays: p.PendingWindowInDays });
  return {};
});
