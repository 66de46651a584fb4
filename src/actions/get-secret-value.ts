import { defineAction } from './action';
import { presentValue, presentVersion } from './presenters';

interface GetSecretValueParams {
  SecretName: string;
  VersionID?: string;
  VersionName?: string;
}

export const getSecretValue = defineAction<GetSecretValueParams>('GetSecretValue', async ({ scope, services }, p) => {
  const { version } = await services.secrets.getValue(scope, p.SecretName, { versionId: p.VersionID, versionName: p.VersionName });
  return { SecretValue: presentValue(version.value), ...presentVersion(version) };
});
