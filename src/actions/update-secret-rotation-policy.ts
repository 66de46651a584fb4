import { defineAction } from './action';
import { rotationIntervalSeconds } from './rotation-interval';

interface UpdateSecretRotationPolicyParams {
  SecretName: string;
  AutomaticRotation: boolean;
  RotationInterval?: string;
}

export const updateSecretRotationPolicy = defineAction<UpdateSecretRotationPolicyParams>('UpdateSecretRotationPolicy', async ({ scope, services }, p) => {
  await services.secrets.updateRotationPolicy(scope, p.SecretName, {
    automatic: p.AutomaticRotation,
    intervalSeconds: rotationIntervalSeconds(p.RotationInterval),
  });
  return {};
});
