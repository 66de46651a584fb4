import { defineAction } from './action';
import { presentSecret } from './presenters';

export const describeSecret = defineAction<{ SecretName: string }>('DescribeSecret', async ({ scope, services }, p) => {
  return { Secret: presentSecret(await services.secrets.describe(scope, p.SecretName)) };
});
