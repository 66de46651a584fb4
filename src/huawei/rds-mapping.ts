/**
 * RDS secrets through the Huawei door. CSMS and Volcengine describe the same thing (database
 * accounts of one instance, rotated single- or double-user) in different JSON; we translate at the
 * door so that an RDS secret is one RDS secret in the domain, rotated by the domain's RDS rules and
 * readable through both doors:
 *
 *   Huawei value     {"users":[{"name":N,"password":P}]}       ↔ {"Accounts":[{"AccountName":N,"AccountPassword":P}]}
 *   rotation_config  {"rds_instance_id":I,"Secret_sub_type":S} ↔ ExtendedConfig {"DBInstanceId":I,"SecretSubType":S'}
 *   sub type         SingleUser ↔ SingleUser, MultiUser ↔ DoubleUsers
 *
 * rotation_config is answered in the seed page's response spelling {"RDSInstanceId","SecretSubType"};
 * both spellings are accepted in requests.
 */
import { own } from '../lookup';
import { checkHuaweiSchema } from './schemas';
import { parseJsonObject } from '../validation/json-object';

export const HUAWEI_RDS_SUB_TYPES = { SingleUser: 'SingleUser', MultiUser: 'DoubleUsers' } as const;
export type HuaweiRdsSubType = keyof typeof HUAWEI_RDS_SUB_TYPES;
const FROM_DOMAIN_SUB_TYPE: Readonly<Record<string, HuaweiRdsSubType>> = { SingleUser: 'SingleUser', DoubleUsers: 'MultiUser' };
/** How many users each sub type holds. */
const USERS_PER_SUB_TYPE: Readonly<Record<HuaweiRdsSubType, number>> = { SingleUser: 1, MultiUser: 2 };

/** Accepted spellings of the two rotation_config fields (request page, response page, snake case). */
const INSTANCE_KEYS = ['rds_instance_id', 'RDSInstanceId'];
const SUB_TYPE_KEYS = ['Secret_sub_type', 'secret_sub_type', 'SecretSubType'];

export interface RdsRotationConfig {
  instanceId: string;
  subType: HuaweiRdsSubType;
}

interface HuaweiRdsUser {
  name: string;
  password?: string;
}

/** rotation_config of an RDS secret, or a sentence saying what is wrong with it. */
export function parseRdsRotationConfig(text: string): RdsRotationConfig | string {
  const example = '{"rds_instance_id":"<instance id>","Secret_sub_type":"SingleUser"}';
  const config = parseJsonObject(text);
  if (!config) return `rotation_config must be a JSON object such as ${example}.`;
  const unknown = Object.keys(config).find((k) => !INSTANCE_KEYS.includes(k) && !SUB_TYPE_KEYS.includes(k));
  if (unknown) return `rotation_config has an unknown field ${unknown}.`;
  const pick = (keys: string[]): unknown[] => keys.filter((k) => k in config).map((k) => config[k]);
  const instances = pick(INSTANCE_KEYS);
  const subTypes = pick(SUB_TYPE_KEYS);
  if (instances.length !== 1 || typeof instances[0] !== 'string' || !instances[0]) {
    return `rotation_config must hold one non-empty rds_instance_id, as in ${example}.`;
  }
  if (subTypes.length !== 1 || typeof subTypes[0] !== 'string' || !(subTypes[0] in HUAWEI_RDS_SUB_TYPES)) {
    return `rotation_config.Secret_sub_type must be one of: ${Object.keys(HUAWEI_RDS_SUB_TYPES).join(', ')}.`;
  }
  return { instanceId: instances[0], subType: subTypes[0] as HuaweiRdsSubType };
}

/** The users of an RDS value, checked against the sub type, or a sentence saying what is wrong. */
export function parseRdsValue(text: string, parameter: string, subType: HuaweiRdsSubType): HuaweiRdsUser[] | string {
  const example = '{"users":[{"name":"<account>","password":"<password>"}]}';
  const value = parseJsonObject(text);
  if (!value) return `${parameter} of an RDS secret must be a JSON object such as ${example}.`;
  const problem = checkHuaweiSchema('huawei/RDS.value', value, parameter);
  if (problem) return problem.detail.startsWith(parameter) ? problem.detail : `${parameter}: ${problem.detail}`;
  const users = (value as { users: HuaweiRdsUser[] }).users;
  const wanted = USERS_PER_SUB_TYPE[subType];
  if (users.length !== wanted) return `${parameter}.users must hold ${wanted} user${wanted === 1 ? '' : 's'} for Secret_sub_type ${subType}.`;
  if (new Set(users.map((u) => u.name)).size !== users.length) return `${parameter}.users must have different names.`;
  return users;
}

/** The domain's RDS value and ExtendedConfig for a Huawei RDS secret. */
export function toDomainRds(users: readonly HuaweiRdsUser[], config: RdsRotationConfig): { value: string; extendedConfig: string } {
  const accounts = users.map((u) => (u.password === undefined ? { AccountName: u.name } : { AccountName: u.name, AccountPassword: u.password }));
  return {
    value: JSON.stringify({ Accounts: accounts }),
    extendedConfig: JSON.stringify({ DBInstanceId: config.instanceId, SecretSubType: HUAWEI_RDS_SUB_TYPES[config.subType] }),
  };
}

/** A domain RDS value as CSMS shows it; text that is not the expected shape is shown as it is. */
export function huaweiRdsValue(domainValue: string): string {
  const value = parseJsonObject(domainValue);
  const accounts = value?.Accounts;
  if (!Array.isArray(accounts)) return domainValue;
  const users = accounts.map((a: { AccountName?: unknown; AccountPassword?: unknown }) =>
    a.AccountPassword === undefined ? { name: a.AccountName } : { name: a.AccountName, password: a.AccountPassword },
  );
  return JSON.stringify({ users });
}

/** A domain RDS ExtendedConfig as CSMS's rotation_config. */
export function huaweiRdsRotationConfig(extendedConfig: string): string {
  const config = parseJsonObject(extendedConfig);
  if (!config || typeof config.DBInstanceId !== 'string' || typeof config.SecretSubType !== 'string') return extendedConfig;
  return JSON.stringify({ RDSInstanceId: config.DBInstanceId, SecretSubType: own(FROM_DOMAIN_SUB_TYPE, config.SecretSubType) ?? config.SecretSubType });
}
