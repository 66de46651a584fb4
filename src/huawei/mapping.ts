/**
 * The Huawei CSMS vocabulary ↔ the domain's, as tables. One secret, two doors: what the Huawei
 * door calls COMMON / SYSCURRENT / ENABLED the domain calls Generic / CURRENT / Enable.
 */
import type { Scope, Secret, SecretState, SecretType, VersionStage } from '../domain/types';
import { keyTrn, parseKeyTrn } from '../trn';

/** The secret types a Huawei caller may create, and what they are in the domain. */
export const HUAWEI_CREATABLE_TYPES = { COMMON: 'Generic', RDS: 'RDS' } as const satisfies Record<string, SecretType>;
export type HuaweiSecretType = keyof typeof HUAWEI_CREATABLE_TYPES;

/** How every domain type is named through this door (types only the Volcengine door creates keep their name). */
export const HUAWEI_TYPE_NAME: Readonly<Record<SecretType, string>> = {
  Generic: 'COMMON',
  RDS: 'RDS',
  IAM: 'IAM',
  Redis: 'Redis',
  ECS: 'ECS',
  PGSQL: 'PGSQL',
  SQLServer: 'SQLServer',
};

export const HUAWEI_STATE_NAME: Readonly<Record<SecretState, string>> = {
  Enable: 'ENABLED',
  Disable: 'DISABLED',
  PendingDelete: 'PENDING_DELETE',
};

/** CSMS keeps SYSPREVIOUS on one version only: the newest OLDER one (see presenters). */
export const HUAWEI_STAGE_NAME: Readonly<Record<VersionStage, string>> = {
  CURRENT: 'SYSCURRENT',
  OLDER: 'SYSPREVIOUS',
};

/** The version_id that means "the SYSCURRENT version". */
export const LATEST_VERSION = 'latest';

// ---- keys ------------------------------------------------------------------------------------

/** What CSMS reports when a secret has no key of its own. */
export const DEFAULT_KMS_KEY = 'csms/default';
/** Huawei key ids live in this keyring of the domain's key TRNs. */
export const HUAWEI_KEYRING = 'csms';
const KEY_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * kms_key_id → the domain's encryptionKey: empty for the default key, a key TRN as given, and a
 * Huawei key id (a UUID) as `trn:kms:<region>:<account>:keyrings/csms/keys/<id>`. Null: not a key id.
 */
export function encryptionKeyOf(kmsKeyId: string | undefined, scope: Scope): string | null {
  if (kmsKeyId === undefined || kmsKeyId === DEFAULT_KMS_KEY) return '';
  if (parseKeyTrn(kmsKeyId)) return kmsKeyId;
  if (!KEY_ID.test(kmsKeyId)) return null;
  return keyTrn(scope.region, scope.accountId, HUAWEI_KEYRING, kmsKeyId);
}

/** The domain's encryptionKey → kms_key_id: the inverse of encryptionKeyOf. */
export function kmsKeyIdOf(secret: Secret): string {
  if (!secret.encryptionKey) return DEFAULT_KMS_KEY;
  const key = parseKeyTrn(secret.encryptionKey);
  const ours = key && key.keyringName === HUAWEI_KEYRING && key.accountId === secret.accountId && key.region === secret.region;
  return ours ? key.keyName : secret.encryptionKey;
}

// ---- rotation periods --------------------------------------------------------------------------

/** Seconds per unit, largest first (formatting picks the largest unit that divides evenly). */
const PERIOD_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];
export const MIN_ROTATION_SECONDS = 6 * 3_600;
export const MAX_ROTATION_SECONDS = 8_760 * 3_600;

/** `30d`, `6h`, `360m`, `21600s` → seconds; null when not `<integer><d|h|m|s>`. */
export function parseRotationPeriod(text: string): number | null {
  const m = /^([0-9]{1,12})([dhms])$/.exec(text);
  if (!m) return null;
  const unit = PERIOD_UNITS.find(([u]) => u === m[2]) as readonly [string, number];
  return Number(m[1]) * unit[1];
}

/** Seconds → the shortest `<integer><unit>` (86400 → `1d`, 21600 → `6h`). */
export function formatRotationPeriod(seconds: number): string {
  const [unit, size] = PERIOD_UNITS.find(([, s]) => seconds % s === 0) as readonly [string, number];
  return `${seconds / size}${unit}`;
}
