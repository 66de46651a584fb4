/**
 * The action table: every Action this server answers, keyed by `Action@Version`.
 * An Action that exists in the cloud but is missing here answers InvalidActionOrVersion, exactly
 * like an unknown one, so nobody is silently given a wrong result.
 */
import type { ActionDefinition } from './action';
import { backupSecret } from './backup-secret';
import { batchGetSecretValue } from './batch-get-secret-value';
import { cancelSecretDeletion } from './cancel-secret-deletion';
import { createSecret } from './create-secret';
import { describeSecret } from './describe-secret';
import { describeSecretVersions } from './describe-secret-versions';
import { describeSecrets } from './describe-secrets';
import { getSecretValue } from './get-secret-value';
import { restoreSecret } from './restore-secret';
import { rotateSecret } from './rotate-secret';
import { scheduleSecretDeletion } from './schedule-secret-deletion';
import { setSecretValue } from './set-secret-value';
import { updateSecret } from './update-secret';
import { updateSecretRotationPolicy } from './update-secret-rotation-policy';

export const ACTIONS: readonly ActionDefinition[] = [
  createSecret,
  describeSecret,
  describeSecrets,
  updateSecret,
  getSecretValue,
  setSecretValue,
  describeSecretVersions,
  batchGetSecretValue,
  scheduleSecretDeletion,
  cancelSecretDeletion,
  rotateSecret,
  updateSecretRotationPolicy,
  backupSecret,
  restoreSecret,
];

const TABLE = new Map(ACTIONS.map((a) => [`${a.name}@${a.version}`, a]));

export function findAction(action: string, version: string): ActionDefinition | undefined {
  return TABLE.get(`${action}@${version}`);
}
