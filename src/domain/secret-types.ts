/**
 * The secret-type table: what each SecretType allows and how it rotates.
 *
 * Shapes (which fields a value holds) are checked by a SecretShapeChecker against the JSON Schemas in
 * schemas/secret-types; this table holds the rules that are behaviour rather than shape.
 */
import { generateAccessKeyId, generateAccessKeySecret, generatePassword, generateSshKeyPair } from './credential-generator';
import type { SecretType } from './types';

/**
 * How many versions a secret keeps. Rotated types keep CURRENT + OLDER, as the cloud does. Generic
 * secrets keep the newest 100 (CURRENT and 99 OLDER); older ones are removed when a new one arrives.
 */
export const GENERIC_VERSION_LIMIT = 100;
export const ROTATED_VERSION_LIMIT = 2;

interface AccountsValue {
  Accounts: Array<{ AccountName: string; AccountPassword?: string }>;
}
interface AccessKeysValue {
  AccessKeys: Array<{ AccessKeyId: string; AccessKeySecret?: string }>;
}
interface EcsValue {
  UserName: string;
  Password?: string;
  PublicKey?: string;
  PrivateKey?: string;
}

/** Produces the next value from the current one; `subType` is ExtendedConfig.SecretSubType. */
type Rotator = (current: string, subType: string | null) => string;

export interface SecretTypeRules {
  /** RotateSecret and automatic rotation are allowed */
  rotatable: boolean;
  /** SetSecretValue is allowed (new versions come only from rotation otherwise) */
  userWritable: boolean;
  versionLimit: number;
  rotate: Rotator | null;
}

/**
 * Databases (RDS, Redis, PGSQL, SQLServer). SingleUser: the one account gets a new password. DoubleUsers: the first
 * account of a version is the active one; rotation resets the *other* account's password and puts
 * it first, so the new CURRENT uses the reset account while the OLDER version's account keeps
 * working until the next rotation (the cloud's no-interruption scheme).
 */
const rotateDatabaseAccounts: Rotator = (current, subType) => {
  const value = JSON.parse(current) as AccountsValue;
  const accounts = value.Accounts.map((a) => ({ ...a }));
  if (subType === 'DoubleUsers' && accounts.length === 2) {
    const [active, standby] = accounts;
    return JSON.stringify({ ...value, Accounts: [{ ...standby, AccountPassword: generatePassword() }, active] });
  }
  return JSON.stringify({ ...value, Accounts: accounts.map((a) => ({ ...a, AccountPassword: generatePassword() })) });
};

/** IAM: a new access key pair replaces the keys; the OLDER version keeps the previous pair. */
const rotateAccessKeys: Rotator = (current) => {
  const value = JSON.parse(current) as AccessKeysValue;
  return JSON.stringify({ ...value, AccessKeys: [{ AccessKeyId: generateAccessKeyId(), AccessKeySecret: generateAccessKeySecret() }] });
};

/** ECS: a new login password, or a new SSH key pair for the same user. */
const rotateEcsLogin: Rotator = (current, subType) => {
  const value = JSON.parse(current) as EcsValue;
  if (subType === 'SSHKey') {
    const pair = generateSshKeyPair(value.UserName);
    return JSON.stringify({ UserName: value.UserName, PublicKey: pair.publicKey, PrivateKey: pair.privateKey });
  }
  return JSON.stringify({ UserName: value.UserName, Password: generatePassword() });
};

export const SECRET_TYPE_RULES: Readonly<Record<SecretType, SecretTypeRules>> = {
  Generic: { rotatable: false, userWritable: true, versionLimit: GENERIC_VERSION_LIMIT, rotate: null },
  IAM: { rotatable: true, userWritable: false, versionLimit: ROTATED_VERSION_LIMIT, rotate: rotateAccessKeys },
  RDS: { rotatable: true, userWritable: false, versionLimit: ROTATED_VERSION_LIMIT, rotate: rotateDatabaseAccounts },
  Redis: { rotatable: true, userWritable: false, versionLimit: ROTATED_VERSION_LIMIT, rotate: rotateDatabaseAccounts },
  ECS: { rotatable: true, userWritable: false, versionLimit: ROTATED_VERSION_LIMIT, rotate: rotateEcsLogin },
  // The SDKs name these two but Volcengine documents no shape for them: they take the RDS shape and rotate like RDS.
  PGSQL: { rotatable: true, userWritable: false, versionLimit: ROTATED_VERSION_LIMIT, rotate: rotateDatabaseAccounts },
  SQLServer: { rotatable: true, userWritable: false, versionLimit: ROTATED_VERSION_LIMIT, rotate: rotateDatabaseAccounts },
};

export function subTypeOf(extendedConfig: string): string | null {
  try {
    const parsed: unknown = JSON.parse(extendedConfig);
    if (parsed && typeof parsed === 'object' && 'SecretSubType' in parsed) {
      const sub = (parsed as { SecretSubType: unknown }).SecretSubType;
      return typeof sub === 'string' ? sub : null;
    }
  } catch {
    /* Generic secrets may hold any text */
  }
  return null;
}
