import { defineAction } from './action';

/** Only the description can change (the cloud's UpdateSecret does nothing else). */
export const updateSecret = defineAction<{ SecretName: string; Description?: string }>('UpdateSecret', async ({ scope, services }, p) => {
  if (p.Description === undefined) await services.secrets.describe(scope, p.SecretName);
  else await services.secrets.updateDescription(scope, p.SecretName, p.Description);
  return {};
});
