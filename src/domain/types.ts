/**
 * The domain's own vocabulary. Wire names (SecretName, CURRENT in JSON, seconds vs milliseconds)
 * are translated at the edges; here times are epoch milliseconds and names say what things are.
 */
export const SECRET_TYPES = ['Generic', 'IAM', 'RDS', 'Redis', 'ECS', 'PGSQL', 'SQLServer'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export const SECRET_STATES = ['Enable', 'Disable', 'PendingDelete'] as const;
export type SecretState = (typeof SECRET_STATES)[number];

export const ROTATION_STATES = ['None', 'Enable', 'Disable'] as const;
export type RotationState = (typeof ROTATION_STATES)[number];

export const VERSION_STAGES = ['CURRENT', 'OLDER'] as const;
export type VersionStage = (typeof VERSION_STAGES)[number];

/** Secrets live in one account and one region; nothing crosses this boundary. */
export interface Scope {
  accountId: string;
  region: string;
}

export interface Secret extends Scope {
  id: string;
  name: string;
  trn: string;
  projectName: string;
  type: SecretType;
  state: SecretState;
  /** the state to return to when a scheduled deletion is cancelled */
  stateBeforeDeletion: SecretState | null;
  description: string;
  /** key TRN; empty means the service's default key */
  encryptionKey: string;
  extendedConfig: string;
  managed: boolean;
  owningService: string;
  rotationState: RotationState;
  rotationIntervalSeconds: number;
  lastRotatedAt: number | null;
  nextRotationAt: number | null;
  deleteAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** How a value was given: text (every Volcengine value) or raw bytes (binary values). */
export type ValueKind = 'text' | 'binary';

export interface SecretValue {
  kind: ValueKind;
  bytes: Buffer;
}

/** A version as the store keeps it: the value only as an opaque sealed blob. */
export interface StoredVersion {
  secretId: string;
  id: string;
  name: string | null;
  stage: VersionStage;
  /** increasing within a secret; orders versions when creation times tie */
  sequence: number;
  createdAt: number;
  kind: ValueKind;
  sealed: SealedValue;
}

export interface SealedValue {
  wrappedKey: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
}

export interface SecretVersion {
  id: string;
  name: string | null;
  stage: VersionStage;
  createdAt: number;
}

export interface VersionWithValue extends SecretVersion {
  value: SecretValue;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageRequest {
  /** 1-based */
  page: number;
  size: number;
}

export function textValue(text: string): SecretValue {
  return { kind: 'text', bytes: Buffer.from(text, 'utf8') };
}
