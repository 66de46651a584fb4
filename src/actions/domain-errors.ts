/**
 * Domain errors → the Volcengine error catalogue. Domain fields are named as the wire names them.
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
import { ApiError, apiError, invalidParameter } from '../error-catalogue';

export const VOLCENGINE_PARAMETER: Readonly<Record<DomainField, string>> = {
  name: 'SecretName',
  names: 'SecretNames',
  value: 'SecretValue',
  type: 'SecretType',
  extendedConfig: 'ExtendedConfig',
  description: 'Description',
  encryptionKey: 'EncryptionKey',
  projectName: 'ProjectName',
  versionName: 'VersionName',
  versionId: 'VersionID',
  rotationInterval: 'RotationInterval',
  automaticRotation: 'AutomaticRotation',
  pendingWindow: 'PendingWindowInDays',
  filters: 'Filters',
  backupData: 'BackupData',
  backupKey: 'SecretDataKey',
  backupSignature: 'Signature',
};

export function toApiError(e: DomainError): ApiError {
  if (e instanceof NotFoundError) return apiError('Not Found', e.resource, e.identifier);
  if (e instanceof NameConflictError) return e.inOtherProject ? apiError('ProjectConflict', e.secretName) : apiError('Conflict', 'secret', e.secretName);
  if (e instanceof VersionNameConflictError) return apiError('Conflict', 'version', e.versionName);
  if (e instanceof InvalidSecretTypeError) return apiError('InvalidSecretType', e.type);
  if (e instanceof InvalidSecretStateError) return apiError('InvalidSecretStatus', e.state);
  if (e instanceof InvalidInputError) return invalidParameter(VOLCENGINE_PARAMETER[e.field], e.reason.charAt(0).toUpperCase() === e.reason.charAt(0) ? e.reason : `It ${e.reason}`);
  if (e instanceof ForeignBackupError) return apiError('AccessDenied');
  if (e instanceof StoreBusyError) return apiError('ServiceUnavailableTemp');
  return apiError('UndefinedError');
}
