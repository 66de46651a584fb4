/**
 * Domain objects → the Huawei CSMS wire. Times are epoch milliseconds, as in the seed pages'
 * examples (1581507580000); the pages' prose says seconds, the examples and the cloud use ms.
 */
import type { Secret, SecretValue, VersionWithValue } from '../domain/types';
import { HUAWEI_STATE_NAME, HUAWEI_TYPE_NAME, formatRotationPeriod, kmsKeyIdOf } from './mapping';
import { huaweiRdsRotationConfig, huaweiRdsValue } from './rds-mapping';

export interface HuaweiSecret {
  id: string;
  name: string;
  state: string;
  kms_key_id: string;
  description: string;
  create_time: number;
  update_time: number;
  /** null when the secret is not scheduled for deletion */
  scheduled_delete_time: number | null;
  secret_type: string;
  auto_rotation: boolean;
  rotation_period?: string;
  rotation_config?: string;
  rotation_time?: number;
  next_rotation_time?: number;
  /** event notifications are not implemented: always empty (see docs/huawei.md) */
  event_subscriptions: string[];
  enterprise_project_id: string;
}

/** ExtendedConfig as rotation_config: RDS translated to CSMS's shape, anything else as stored. */
function rotationConfigOf(s: Secret): string | undefined {
  if (!s.extendedConfig) return undefined;
  return s.type === 'RDS' ? huaweiRdsRotationConfig(s.extendedConfig) : s.extendedConfig;
}

export function presentHuaweiSecret(s: Secret): HuaweiSecret {
  const optional: Partial<HuaweiSecret> = {};
  if (s.rotationIntervalSeconds > 0) optional.rotation_period = formatRotationPeriod(s.rotationIntervalSeconds);
  const rotationConfig = rotationConfigOf(s);
  if (rotationConfig !== undefined) optional.rotation_config = rotationConfig;
  if (s.lastRotatedAt !== null) optional.rotation_time = s.lastRotatedAt;
  if (s.nextRotationAt !== null) optional.next_rotation_time = s.nextRotationAt;
  return {
    id: s.id,
    name: s.name,
    state: HUAWEI_STATE_NAME[s.state],
    kms_key_id: kmsKeyIdOf(s),
    description: s.description,
    create_time: s.createdAt,
    update_time: s.updatedAt,
    scheduled_delete_time: s.deleteAt,
    secret_type: HUAWEI_TYPE_NAME[s.type],
    auto_rotation: s.rotationState === 'Enable',
    ...optional,
    event_subscriptions: [],
    enterprise_project_id: s.projectName,
  };
}

/** Bytes given as secret_binary come back as secret_binary; text as secret_string (RDS in CSMS's shape). */
export function presentHuaweiValue(secret: Secret, value: SecretValue): { secret_string: string } | { secret_binary: string } {
  if (value.kind === 'binary') return { secret_binary: value.bytes.toString('base64') };
  const text = value.bytes.toString('utf8');
  return { secret_string: secret.type === 'RDS' ? huaweiRdsValue(text) : text };
}

export interface HuaweiVersion {
  version_metadata: {
    id: string;
    create_time: number;
    expire_time: null;
    kms_key_id: string;
    secret_name: string;
    version_stages: string[];
  };
  secret_string?: string;
  secret_binary?: string;
}

export function presentHuaweiVersion(secret: Secret, version: VersionWithValue, stages: string[]): HuaweiVersion {
  return {
    version_metadata: {
      id: version.id,
      create_time: version.createdAt,
      expire_time: null,
      kms_key_id: kmsKeyIdOf(secret),
      secret_name: secret.name,
      version_stages: stages,
    },
    ...presentHuaweiValue(secret, version.value),
  };
}
