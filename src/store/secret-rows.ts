/**
 * Rows to domain objects and back: the one place that knows how a Secret or a StoredVersion is laid
 * out in the tables (snake_case columns, `managed` as 0/1, the sealed value in three blobs).
 */
import type { Selectable } from 'kysely';
import type { RotationState, Secret, SecretState, SecretType, StoredVersion, ValueKind, VersionStage } from '../domain/types';
import type { SecretVersionsTable, SecretsTable } from './tables';

export function toSecret(row: Selectable<SecretsTable>): Secret {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    trn: row.trn,
    projectName: row.project_name,
    type: row.type as SecretType,
    state: row.state as SecretState,
    stateBeforeDeletion: row.state_before_deletion as SecretState | null,
    description: row.description,
    encryptionKey: row.encryption_key,
    extendedConfig: row.extended_config,
    managed: row.managed === 1,
    owningService: row.owning_service,
    rotationState: row.rotation_state as RotationState,
    rotationIntervalSeconds: row.rotation_interval_s,
    lastRotatedAt: row.last_rotated_at,
    nextRotationAt: row.next_rotation_at,
    deleteAt: row.delete_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function fromSecret(s: Secret): SecretsTable {
  return {
    id: s.id,
    account_id: s.accountId,
    region: s.region,
    name: s.name,
    trn: s.trn,
    project_name: s.projectName,
    type: s.type,
    state: s.state,
    state_before_deletion: s.stateBeforeDeletion,
    description: s.description,
    encryption_key: s.encryptionKey,
    extended_config: s.extendedConfig,
    managed: s.managed ? 1 : 0,
    owning_service: s.owningService,
    rotation_state: s.rotationState,
    rotation_interval_s: s.rotationIntervalSeconds,
    last_rotated_at: s.lastRotatedAt,
    next_rotation_at: s.nextRotationAt,
    delete_at: s.deleteAt,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

export function toVersion(row: Selectable<SecretVersionsTable>): StoredVersion {
  return {
    secretId: row.secret_id,
    id: row.id,
    name: row.name,
    stage: row.stage as VersionStage,
    sequence: row.sequence,
    createdAt: row.created_at,
    kind: row.kind as ValueKind,
    sealed: { wrappedKey: row.wrapped_key, iv: row.iv, ciphertext: row.ciphertext },
  };
}

/** The version's columns as the left join gives them (all null when no version matched). */
export interface JoinedVersionColumns {
  v_id: string | null;
  v_name: string | null;
  v_stage: string | null;
  v_sequence: number | null;
  v_created_at: number | null;
  v_kind: string | null;
  v_wrapped_key: Buffer | null;
  v_iv: Buffer | null;
  v_ciphertext: Buffer | null;
}

export function joinedVersion(row: JoinedVersionColumns, secretId: string): StoredVersion | undefined {
  if (row.v_id === null) return undefined;
  return toVersion({
    secret_id: secretId,
    id: row.v_id,
    name: row.v_name,
    stage: row.v_stage as string,
    sequence: row.v_sequence as number,
    created_at: row.v_created_at as number,
    kind: row.v_kind as string,
    wrapped_key: row.v_wrapped_key as Buffer,
    iv: row.v_iv as Buffer,
    ciphertext: row.v_ciphertext as Buffer,
  });
}

