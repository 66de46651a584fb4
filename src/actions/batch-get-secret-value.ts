import { defineAction } from './action';
import { presentValue, presentVersion } from './presenters';

export const batchGetSecretValue = defineAction<{ SecretNames: string[] }>('BatchGetSecretValue', async ({ scope, services }, p) => {
  const values = await services.secrets.batchGetValues(scope, p.SecretNames);
  return {
    SecretValues: values.map(({ secret, version }) => {
      const { VersionID, VersionStage, CreationDate } = presentVersion(version);
      return { SecretName: secret.name, SecretValue: presentValue(version.value), VersionID, VersionStage, CreationDate };
    }),
  };
});
