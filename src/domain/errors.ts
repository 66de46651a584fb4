/**
 * What can go wrong in the domain, in domain words. Each door (Volcengine, Huawei) maps these to
 * its own error catalogue; nothing here knows a status code or a wire parameter name.
 */
import type { SecretState, SecretType } from './types';

/** The domain's names for the inputs a rule can refuse. Doors map them to parameter names. */
export type DomainField =
  | 'name'
  | 'names'
  | 'value'
  | 'type'
  | 'extendedConfig'
  | 'description'
  | 'encryptionKey'
  | 'projectName'
  | 'versionName'
  | 'versionId'
  | 'rotationInterval'
  | 'automaticRotation'
  | 'pendingWindow'
  | 'filters'
  | 'backupData'
  | 'backupKey'
  | 'backupSignature';

export abstract class DomainError extends Error {}

export class NotFoundError extends DomainError {
  constructor(
    readonly resource: 'secret' | 'version',
    readonly identifier: string,
  ) {
    super(`${resource} ${identifier} not found`);
  }
}

export class NameConflictError extends DomainError {
  constructor(
    readonly secretName: string,
    /** the name is held by a secret of another project */
    readonly inOtherProject: boolean,
  ) {
    super(`secret name ${secretName} is taken`);
  }
}

export class VersionNameConflictError extends DomainError {
  constructor(readonly versionName: string) {
    super(`version name ${versionName} is taken`);
  }
}

export class InvalidSecretTypeError extends DomainError {
  constructor(readonly type: SecretType) {
    super(`not allowed for secret type ${type}`);
  }
}

export class InvalidSecretStateError extends DomainError {
  constructor(readonly state: SecretState) {
    super(`not allowed in secret state ${state}`);
  }
}

export class InvalidInputError extends DomainError {
  constructor(
    readonly field: DomainField,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/**
 * The store stayed locked by another writer (another process on the same file) for longer than it
 * waits. Nothing was changed; trying again later can succeed.
 */
export class StoreBusyError extends DomainError {
  constructor() {
    super('the store is busy');
  }
}

/**
 * The store cannot be reached (a lost connection, a database restarting). Nothing was acknowledged;
 * trying again later can succeed, and the server reconnects by itself.
 */
export class StoreUnavailableError extends StoreBusyError {
  constructor() {
    super();
    this.message = 'the store is unavailable';
  }
}

/** A backup that belongs to another account: refused without saying more. */
export class ForeignBackupError extends DomainError {
  constructor() {
    super('the backup belongs to another account');
  }
}

/**
 * The stored CURRENT value of a secret does not have the shape its type's rotation needs. An
 * internal fault (values are checked when written), answered as one; names the secret, never the value.
 */
export class UnrotatableValueError extends Error {
  constructor(readonly secretTrn: string) {
    super(`the CURRENT value of ${secretTrn} cannot be rotated: it does not have its type's shape`);
  }
}

/** Automatic rotation failed for some secrets during a sweep; the others were rotated. */
export class SweepFailedError extends Error {
  constructor(readonly secretTrns: readonly string[]) {
    super(`automatic rotation failed for ${secretTrns.length} secret(s): ${secretTrns.join(', ')}`);
  }
}
