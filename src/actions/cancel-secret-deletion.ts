import { defineAction } from './action';

export const cancelSecretDeletion = defineAction<{ SecretName: string }>('CancelSecretDeletion', async ({ scope, services }, p) => {
  await services.secrets.cancelDeletion(scope, p.SecretName);
  return {};
});
