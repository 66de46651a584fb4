/**
 * Shared fixtures for the lifecycle suites: one valid secret of every rotatable shape, the wire's
 * time format, and small readers over the SDK (versions of a secret, a secret's description).
 */
import type { SdkClient } from './server';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** RFC 3339 at +08:00, as LastRotationTime / ScheduleRotationTime / ScheduleDeleteTime are written. */
export const BEIJING_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;

/** Epoch ms of a wire time string (fails the test on a malformed one). */
export function wireTimeMs(text: string): number {
  expect(text).toMatch(BEIJING_TIME);
  return Date.parse(text);
}

export interface RotatableFixture {
  label: string;
  type: 'IAM' | 'RDS' | 'Redis' | 'ECS' | 'PGSQL' | 'SQLServer';
  subType: string;
  value: object;
  extendedConfig: object;
}

export const ROTATABLE: readonly RotatableFixture[] = [
  {
    label: 'IAM',
    type: 'IAM',
    subType: 'IAMUserAccessKey',
    value: { AccessKeys: [{ AccessKeyId: 'AKLTinitialkeyid000000000000000', AccessKeySecret: 'initial-secret' }] },
    extendedConfig: { UserName: 'ci-robot', SecretSubType: 'IAMUserAccessKey' },
  },
  {
    label: 'RDS SingleUser',
    type: 'RDS',
    subType: 'SingleUser',
    value: { Accounts: [{ AccountName: 'app', AccountPassword: 'initial-pw-1' }] },
    extendedConfig: { DBInstanceId: 'mysql-0001', SecretSubType: 'SingleUser' },
  },
  {
    label: 'RDS DoubleUsers',
    type: 'RDS',
    subType: 'DoubleUsers',
    value: {
      Accounts: [
        { AccountName: 'app_a', AccountPassword: 'initial-pw-a' },
        { AccountName: 'app_b', AccountPassword: 'initial-pw-b' },
      ],
    },
    extendedConfig: { DBInstanceId: 'mysql-0002', SecretSubType: 'DoubleUsers' },
  },
  {
    label: 'Redis SingleUser',
    type: 'Redis',
    subType: 'SingleUser',
    value: { Accounts: [{ AccountName: 'cache', AccountPassword: 'initial-pw-1' }] },
    extendedConfig: { DBInstanceId: 'redis-0001', SecretSubType: 'SingleUser' },
  },
  {
    label: 'Redis DoubleUsers',
    type: 'Redis',
    subType: 'DoubleUsers',
    value: {
      Accounts: [
        { AccountName: 'cache_a', AccountPassword: 'initial-pw-a' },
        { AccountName: 'cache_b', AccountPassword: 'initial-pw-b' },
      ],
    },
    extendedConfig: { DBInstanceId: 'redis-0002', SecretSubType: 'DoubleUsers' },
  },
  {
    label: 'PGSQL SingleUser',
    type: 'PGSQL',
    subType: 'SingleUser',
    value: { Accounts: [{ AccountName: 'pg_app', AccountPassword: 'initial-pw-1' }] },
    extendedConfig: { DBInstanceId: 'postgres-0001', SecretSubType: 'SingleUser' },
  },
  {
    label: 'SQLServer DoubleUsers',
    type: 'SQLServer',
    subType: 'DoubleUsers',
    value: {
      Accounts: [
        { AccountName: 'mssql_a', AccountPassword: 'initial-pw-a' },
        { AccountName: 'mssql_b', AccountPassword: 'initial-pw-b' },
      ],
    },
    extendedConfig: { DBInstanceId: 'mssql-0001', SecretSubType: 'DoubleUsers' },
  },
  {
    label: 'ECS Password',
    type: 'ECS',
    subType: 'Password',
    value: { UserName: 'root', Password: 'initial-pw' },
    extendedConfig: { InstanceId: 'i-0001', SecretSubType: 'Password' },
  },
  {
    label: 'ECS SSHKey',
    type: 'ECS',
    subType: 'SSHKey',
    value: { UserName: 'ops', PublicKey: 'ssh-ed25519 AAAAinitial ops', PrivateKey: '-----BEGIN PRIVATE KEY-----\ninitial\n-----END PRIVATE KEY-----\n' },
    extendedConfig: { InstanceId: 'i-0002', SecretSubType: 'SSHKey' },
  },
];

export function createParams(name: string, f: RotatableFixture, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { SecretName: name, SecretType: f.type, SecretValue: JSON.stringify(f.value), ExtendedConfig: JSON.stringify(f.extendedConfig), ...extra };
}

export interface WireVersion {
  VersionID: string;
  VersionName: string;
  VersionStage: 'CURRENT' | 'OLDER';
  CreationDate: number;
}

/** Every version of a secret (newest first), through DescribeSecretVersions. */
export async function allVersions(sdk: SdkClient, name: string): Promise<WireVersion[]> {
  const out: WireVersion[] = [];
  for (let page = 1; ; page++) {
    const r = await sdk.ok('DescribeSecretVersions', { SecretName: name, CurrentPage: page, PageSize: 100 });
    out.push(...(r.SecretVersions as WireVersion[]));
    if (out.length >= r.PageInfo.TotalCount || r.SecretVersions.length === 0) return out;
  }
}

/** The value of one version (CURRENT when no selector is given), parsed as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function jsonValue(sdk: SdkClient, name: string, selector: Record<string, string> = {}): Promise<any> {
  const r = await sdk.ok('GetSecretValue', { SecretName: name, ...selector });
  return JSON.parse(r.SecretValue);
}

/** DescribeSecret's Secret object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function secretOf(sdk: SdkClient, name: string): Promise<any> {
  return (await sdk.ok('DescribeSecret', { SecretName: name })).Secret;
}
