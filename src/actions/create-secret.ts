import { textValue, type SecretType } from '../domain/types';
import { defineAction } from './action';
import { presentSecret } from './presenters';
import { rotationIntervalSeconds } from './rotation-interval';

interface CreateSecretParams {
  SecretName: string;
  SecretType: SecretType;
  SecretValue: string;
  Description?: string;
  ProjectName?: string;
  EncryptionKey?: string;
  ExtendedConfig?: string;
  AutomaticRotation?: boolean;
  RotationInterval?: string;
  VersionName?: string;
}

export const createSecret = defineAction<CreateSecretParams>('CreateSecret', async ({ scope, services }, p) => {
  const secret = await services.secrets.create(scope, {
    name: p.SecretName,
    type: p.SecretType,
    value: textValue(p.SecretValue),
    description: p.Description,
    projectName: p.ProjectName,
    encryptionKey: p.EncryptionKey || undefined,
    extendedConfig: p.ExtendedConfig,
    automaticRotation: p.AutomaticRotation,
    rotationIntervalSeconds: rotationIntervalSeconds(p.RotationInterval),
    versionName: p.VersionName,
  });
  return { Secret: presentSecret(secret) };
});
