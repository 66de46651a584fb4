/**
 * The CreateSecret body (seed page: POST /v1/{project_id}/secrets) → the domain's CreateSecretInput.
 * Field shapes are in schemas/huawei/CreateSecret.json; the rules that tie fields together are here,
 * each refusing with CSMS.0002 and the parameter's name.
 */
import type { CreateSecretInput } from '../domain/secrets-service';
import type { Scope, SecretValue } from '../domain/types';
import { huaweiError, invalidHuaweiParameter, type HuaweiError } from './error-catalogue';
import {
  HUAWEI_CREATABLE_TYPES,
  MAX_ROTATION_SECONDS,
  MIN_ROTATION_SECONDS,
  encryptionKeyOf,
  parseRotationPeriod,
  type HuaweiSecretType,
} from './mapping';
import { parseRdsRotationConfig, parseRdsValue, toDomainRds } from './rds-mapping';
import { checkHuaweiSchema, type SchemaFailure } from './schemas';

/** secret_string and the decoded secret_binary: "最大32K". */
export const MAX_SECRET_BYTES = 32 * 1024;

interface CreateSecretBody {
  name: string;
  kms_key_id?: string;
  description?: string;
  secret_string?: string;
  secret_binary?: string;
  secret_type?: HuaweiSecretType;
  auto_rotation?: boolean;
  rotation_period?: string;
  rotation_config?: string;
  event_subscriptions?: string[];
  enterprise_project_id?: string;
}

/** A schema failure as a Huawei error: a problem with the body as a whole is CSMS.0004. */
export function schemaError(failure: SchemaFailure): HuaweiError {
  return failure.parameter ? invalidHuaweiParameter(failure.parameter, failure.detail) : huaweiError('InvalidBody', failure.detail);
}

interface GivenValue {
  value: SecretValue;
  parameter: 'secret_string' | 'secret_binary';
}

function givenValue(b: CreateSecretBody): GivenValue {
  const given = (['secret_string', 'secret_binary'] as const).filter((p) => b[p] !== undefined);
  if (given.length !== 1) {
    throw invalidHuaweiParameter(given.length ? 'secret_binary' : 'secret_string', 'Exactly one of secret_string and secret_binary must be set.');
  }
  if (b.secret_string !== undefined) return { parameter: 'secret_string', value: { kind: 'text', bytes: Buffer.from(b.secret_string, 'utf8') } };
  const bytes = Buffer.from(b.secret_binary as string, 'base64');
  if (bytes.length > MAX_SECRET_BYTES) throw invalidHuaweiParameter('secret_binary', `secret_binary must decode to at most ${MAX_SECRET_BYTES} bytes.`);
  return { parameter: 'secret_binary', value: { kind: 'binary', bytes } };
}

function rotationIntervalOf(b: CreateSecretBody): number | undefined {
  if (b.rotation_period === undefined) {
    if (b.auto_rotation) throw invalidHuaweiParameter('rotation_period', 'rotation_period is required when auto_rotation is true.');
    return undefined;
  }
  const seconds = parseRotationPeriod(b.rotation_period) as number; // the schema has checked the form
  if (seconds < MIN_ROTATION_SECONDS || seconds > MAX_ROTATION_SECONDS) {
    throw invalidHuaweiParameter('rotation_period', 'rotation_period must be from 6 hours to 8760 hours (365 days), e.g. 6h, 30d or 8760h.');
  }
  return seconds;
}

/** RDS: value and rotation_config in CSMS's shapes, translated to the domain's (see rds-mapping). */
function rdsOf(b: CreateSecretBody, given: GivenValue): { value: SecretValue; extendedConfig: string } {
  if (b.rotation_config === undefined) throw invalidHuaweiParameter('rotation_config', 'rotation_config is required when secret_type is RDS.');
  const config = parseRdsRotationConfig(b.rotation_config);
  if (typeof config === 'string') throw invalidHuaweiParameter('rotation_config', config);
  const users = parseRdsValue(given.value.bytes.toString('utf8'), given.parameter, config.subType);
  if (typeof users === 'string') throw invalidHuaweiParameter(given.parameter, users);
  const rds = toDomainRds(users, config);
  return { value: { kind: 'text', bytes: Buffer.from(rds.value, 'utf8') }, extendedConfig: rds.extendedConfig };
}

export function createSecretInput(body: unknown, scope: Scope): CreateSecretInput {
  const failure = checkHuaweiSchema('huawei/CreateSecret', body, 'body');
  if (failure) throw schemaError(failure);
  const b = body as CreateSecretBody;
  const given = givenValue(b);
  const rotationIntervalSeconds = rotationIntervalOf(b);
  const encryptionKey = encryptionKeyOf(b.kms_key_id, scope);
  if (encryptionKey === null) {
    throw invalidHuaweiParameter('kms_key_id', 'kms_key_id must be a key id of 1 to 128 characters of [A-Za-z0-9_-], csms/default, or a key TRN.');
  }
  const type = HUAWEI_CREATABLE_TYPES[b.secret_type ?? 'COMMON'];
  const typed = type === 'RDS' ? rdsOf(b, given) : { value: given.value, extendedConfig: b.rotation_config };
  return {
    name: b.name,
    type,
    value: typed.value,
    description: b.description,
    encryptionKey: encryptionKey || undefined,
    extendedConfig: typed.extendedConfig,
    automaticRotation: b.auto_rotation,
    rotationIntervalSeconds,
    projectName: b.enterprise_project_id,
  };
}
