import { textValue } from '../domain/types';
import { defineAction } from './action';
import { presentVersion } from './presenters';

interface SetSecretValueParams {
  SecretName: string;
  SecretValue: string;
  VersionName?: string;
}

export const setSecretValue = defineAction<SetSecretValueParams>('SetSecretValue', async ({ scope, services }, p) => {
  const version = await services.secrets.setValue(scope, p.SecretName, textValue(p.SecretValue), p.VersionName);
  return presentVersion(version);
});
