/**
 * Domain errors → the Huawei error catalogue, with domain fields named as the Huawei wire names them.
 * The door checks its own inputs first, so these mostly catch rules only the domain knows
 * (a taken name, a secret's state, a backup that does not open).
 */
import {
  DomainError,
  ForeignBackupError,
  InvalidInputError,
  InvalidSecretStateError,
  InvalidSecretTypeError,
  NameConflictError,
  NotFoundError,
  StoreBusyError,
  VersionNameConflictError,
  type DomainField,
} from '../domain/errors';
import { HuaweiError, huaweiError, invalidHuaweiParameter } from './error-catalogue';

export const HUAWEI_PARAMETER: Readonly<Record<DomainField, string>> = {
  name: 'name',
  names: 'names',
  value: 'secret_string',
  type: 'secret_type',
  extendedConfig: 'rotation_config',
  description: 'description',
  encryptionKey: 'kms_key_id',
  projectName: 'enterprise_project_id',
  versionName: 'version_name',
  versionId: 'version_id',
  rotationInterval: 'rotation_period',
  automaticRotation: 'auto_rotation',
  pendingWindow: 'recovery_window_in_days',
  filters: 'filters',
  backupData: 'secret_blob',
  backupKey: 'secret_blob',
  backupSignature: 'secret_blob',
};

/** What the domain says about a backup that does not open, in the words of this door. */
const BACKUP_FIELDS: ReadonlySet<DomainField> = new Set(['backupData', 'backupKey', 'backupSignature']);

export function toHuaweiError(e: DomainError): HuaweiError {
  if (e instanceof NotFoundError) return huaweiError('ResourceNotFound', e.resource, e.identifier);
  if (e instanceof NameConflictError) return huaweiError('SecretExists', e.secretName);
  if (e instanceof VersionNameConflictError) return invalidHuaweiParameter('version_name', `The version name ${e.versionName} is taken.`);
  if (e instanceof InvalidSecretTypeError) return huaweiError('InvalidRequest', `Secrets of type ${e.type} do not allow this operation.`);
  if (e instanceof InvalidSecretStateError) return huaweiError(e.state === 'PendingDelete' ? 'SecretPendingDeletion' : 'SecretDisabled');
  if (e instanceof ForeignBackupError) return invalidHuaweiParameter('secret_blob', 'The backup was made by another account and cannot be restored here.');
  if (e instanceof InvalidInputError) {
    if (BACKUP_FIELDS.has(e.field)) return invalidHuaweiParameter('secret_blob', 'The backup was altered, truncated or made with another master key.');
    const parameter = HUAWEI_PARAMETER[e.field];
    const sentence = /^[A-Z]/.test(e.reason) ? e.reason : `${parameter} ${e.reason}`;
    return invalidHuaweiParameter(parameter, sentence);
  }
  if (e instanceof StoreBusyError) return huaweiError('ServiceUnavailable');
  return huaweiError('InternalError');
}
