/** Row types of the tables created by db/migrations, as kysely sees them. */
import type { Generated } from 'kysely';

export interface SecretsTable {
  id: string;
  account_id: string;
  region: string;
  name: string;
  trn: string;
  project_name: string;
  type: string;
  state: string;
  state_before_deletion: string | null;
  description: string;
  encryption_key: string;
  extended_config: string;
  managed: number;
  owning_service: string;
  rotation_state: string;
  rotation_interval_s: number;
  last_rotated_at: number | null;
  next_rotation_at: number | null;
  delete_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SecretVersionsTable {
  secret_id: string;
  id: string;
  name: string | null;
  stage: string;
  sequence: number;
  created_at: number;
  kind: string;
  wrapped_key: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
}

/** Secrets per account, region and project, kept by triggers (db/migrations/0003_secret_counts.ts). */
export interface SecretCountsTable {
  account_id: string;
  region: string;
  project_name: string;
  n: number;
}

export interface StoreMetaTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  seq: Generated<number>;
  /** wall-clock epoch ms when the request arrived */
  at: number;
  /** the secrets' (adjustable) clock at the same moment */
  clock_at: number;
  request_id: string;
  method: string | null;
  access_key_id: string | null;
  account_id: string | null;
  region: string | null;
  action: string | null;
  version: string | null;
  secret_name: string | null;
  status: number;
  error_code: string | null;
  duration_ms: number;
}

export interface Database {
  secrets: SecretsTable;
  secret_versions: SecretVersionsTable;
  secret_counts: SecretCountsTable;
  store_meta: StoreMetaTable;
  audit_log: AuditLogTable;
}
