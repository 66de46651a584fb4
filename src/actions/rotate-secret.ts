import { defineAction } from './action';

export const rotateSecret = defineAction<{ SecretName: string; VersionName?: string }>('RotateSecret', async ({ scope, services }, p) => {
  await services.secrets.rotate(scope, p.SecretName, p.VersionName);
  return {};
});
