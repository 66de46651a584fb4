/**
 * What the domain needs from the outside world, as small interfaces. The store, the cipher and the
 * shape checker implement them; the domain never sees SQL, keys or JSON Schemas.
 */
import type { DomainField } from './errors';
import type { Page, PageRequest, Scope, SealedValue, Secret, SecretState, SecretType, StoredVersion, RotationState, ValueKind } from './types';

export interface SecretListFilter {
  projectName?: string;
  /** OR within one list, AND across lists; substring, case-insensitive */
  nameContains?: string[];
  trnContains?: string[];
  descriptionContains?: string[];
  /** exact */
  types?: SecretType[];
  states?: SecretState[];
  rotationStates?: RotationState[];
  managed?: boolean[];
  owningServices?: string[];
  /** inclusive epoch-ms ranges */
  createdBetween?: [number, number];
  updatedBetween?: [number, number];
}

/** Selects one version of a secret. */
export type VersionSelector = { byId: string } | { byName: string } | { byStage: 'CURRENT' };

/** A secret and one of its versions, read together; `version` is absent when the selector matches none. */
export interface SecretWithStoredVersion {
  secret: Secret;
  version: StoredVersion | undefined;
}

/** Reads and writes of secrets and versions. Inside `UnitOfWork.run` they form one transaction. */
export interface SecretRepository {
  findSecret(scope: Scope, name: string): Promise<Secret | undefined>;
  /** the secret with this name and the version the selector picks, in one read (the hot path of GetSecretValue) */
  findSecretWithVersion(scope: Scope, name: string, selector: VersionSelector): Promise<SecretWithStoredVersion | undefined>;
  /** the secrets with these names, in any order; missing names are simply absent */
  findSecrets(scope: Scope, names: readonly string[]): Promise<Secret[]>;
  /** which project holds the name in this scope, if any secret does */
  listSecrets(scope: Scope, filter: SecretListFilter, page: PageRequest): Promise<Page<Secret>>;
  insertSecret(secret: Secret): Promise<void>;
  updateSecret(secret: Secret): Promise<void>;
  deleteSecret(secretId: string): Promise<void>;
  secretIdInUse(secretId: string): Promise<boolean>;

  findVersion(secretId: string, selector: VersionSelector): Promise<StoredVersion | undefined>;
  /** the CURRENT version of each secret, keyed by secret id */
  findCurrentVersions(secretIds: readonly string[]): Promise<Map<string, StoredVersion>>;
  /** newest first */
  listVersions(secretId: string, page: PageRequest): Promise<Page<StoredVersion>>;
  /** all versions, newest first */
  allVersions(secretId: string): Promise<StoredVersion[]>;
  insertVersion(version: StoredVersion): Promise<void>;
  /** moves the CURRENT stage off every version of the secret (they become OLDER) */
  demoteCurrent(secretId: string): Promise<void>;
  deleteVersions(secretId: string, versionIds: readonly string[]): Promise<void>;
  nextVersionSequence(secretId: string): Promise<number>;

  /** ids of secrets (any account) whose deletion window ended at or before `now` */
  secretsDueForDeletion(now: number, limit: number): Promise<Secret[]>;
  /** secrets (any account) with automatic rotation due at or before `now` */
  secretsDueForRotation(now: number, limit: number): Promise<Secret[]>;
}

export interface UnitOfWork {
  /** runs `work` in one serialised transaction; a throw rolls everything back */
  run<T>(work: (repo: SecretRepository) => Promise<T>): Promise<T>;
  /** the non-transactional repository, for reads */
  readonly reader: SecretRepository;
}

/** Identifies a value so that a sealed blob only opens where it was sealed. */
export interface ValueBinding {
  accountId: string;
  region: string;
  secretId: string;
  versionId: string;
}

export interface ValueCipher {
  seal(plaintext: Buffer, binding: ValueBinding): SealedValue;
  /** throws when the blob was altered or belongs elsewhere */
  open(sealed: SealedValue, binding: ValueBinding): Buffer;
}

export interface SealedBackup {
  dataKey: string;
  data: string;
  signature: string;
}

/** Why a backup did not open; the domain turns each into an error naming the field at fault. */
export type BackupOpenFailure =
  /** the Signature does not match BackupData: either was changed, or another master key signed it */
  | 'signature-mismatch'
  /** the SecretDataKey does not unwrap under the master key */
  | 'data-key-invalid'
  /** the SecretDataKey unwraps but does not decrypt this BackupData (it belongs to another backup) */
  | 'data-key-mismatch'
  /** signed by us, yet not an envelope this version understands */
  | 'envelope-unreadable';

export type OpenedBackup = { ok: true; document: Buffer } | { ok: false; failure: BackupOpenFailure };

export interface BackupSealer {
  seal(document: Buffer): SealedBackup;
  /** the document, or why it cannot be trusted (any changed byte is caught) */
  open(backup: SealedBackup): OpenedBackup;
}

export type ShapeCheck = { ok: true; subType: string | null } | { ok: false; field: DomainField; reason: string };

/** Checks a typed secret's value and extended configuration against the type's published shape. */
export interface SecretShapeChecker {
  check(type: SecretType, value: string, extendedConfig: string): ShapeCheck;
}

export interface IdGenerator {
  secretId(): string;
  versionId(): string;
}

export type { ValueKind };
