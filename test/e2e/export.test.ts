/**
 * `volc-secrets export` as a real process, beside a running server on the same database file:
 * metadata only by default, every version's value with --include-values, and the round trip
 * seed → changes through the API → export → seed a fresh server → the same secrets, versions, values.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { startServer, type ServerHandle } from '../../src';
import type { Credential } from '../../src/credentials';
import type { SeedDocument, SeedSecretEntry } from '../../src/seed';
import { CLI, runToExit, type Finished } from '../support/child-process';
import { sdkClient, type SdkClient } from '../support/server';

const TEAM_A: Credential = { accessKeyId: 'AKLTexportteamA000000000000000001', secretAccessKey: 'ZXhwb3J0LXRlYW0tYS1zZWNyZXQta2V5', accountId: '2100000101' };
const TEAM_B: Credential = { accessKeyId: 'AKLTexportteamB000000000000000002', secretAccessKey: 'ZXhwb3J0LXRlYW0tYi1zZWNyZXQta2V5', accountId: '2100000202' };
const KEY_TRN = 'trn:kms:cn-beijing:2100000101:keyrings/app/keys/main';
const BINARY = Buffer.from([0, 1, 2, 254, 255]).toString('base64');

const SEED: SeedDocument = {
  secrets: [
    {
      name: 'app-config',
      description: 'settings',
      projectName: 'web',
      encryptionKey: KEY_TRN,
      versions: [{ name: 'v1', value: 'first-export-value' }, { value: { compact: true } }],
    },
    {
      name: 'orders-db',
      type: 'RDS',
      // not compact JSON: must come back as the same text, not as an object
      extendedConfig: '{ "DBInstanceId": "mysql-1", "SecretSubType": "DoubleUsers" }',
      rotation: { automatic: true, interval: '12h' },
      value: { Accounts: [{ AccountName: 'a', AccountPassword: 'rds-export-pw-a' }, { AccountName: 'b', AccountPassword: 'rds-export-pw-b' }] },
    },
    { name: 'raw-bytes', accountId: TEAM_B.accountId, region: 'cn-shanghai', binaryValue: BINARY },
    {
      name: 'managed-login',
      type: 'ECS',
      accountId: TEAM_B.accountId,
      region: 'cn-shanghai',
      state: 'Disable',
      managed: true,
      owningService: 'ecs',
      extendedConfig: { InstanceId: 'i-1', SecretSubType: 'Password' },
      value: { UserName: 'root', Password: 'ecs-export-pw' },
    },
    { name: 'doomed', value: 'doomed-export-value' },
  ],
};

/** Every value string the source holds, for "never in a metadata export". */
const VALUES = ['first-export-value', 'rds-export-pw-a', 'ecs-export-pw', 'doomed-export-value', 'api-export-value', 'multi\nline ü 密', '{ "spaced": 1 }'];

let dir: string;
let db: string;
let source: ServerHandle;
const env = () => ({ PATH: process.env.PATH ?? '', HOME: dir });
const exportCli = (...args: string[]): Promise<Finished> => runToExit('node', [CLI, 'export', ...args], { cwd: dir, env: env() });

function client(handle: ServerHandle, credentials: Credential, region = 'cn-beijing'): SdkClient {
  return sdkClient(handle, { credentials, region });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-export-'));
  db = path.join(dir, 'source.db');
  source = await startServer({ credentials: [TEAM_A, TEAM_B], db, seed: SEED });
  // Changes made through the API after seeding are exported too.
  const a = client(source, TEAM_A);
  await a.ok('SetSecretValue', { SecretName: 'app-config', SecretValue: 'api-export-value', VersionName: 'from-api' });
  await a.ok('RotateSecret', { SecretName: 'orders-db' });
  await a.ok('CreateSecret', { SecretName: 'made-by-api', SecretType: 'Generic', SecretValue: 'multi\nline ü 密', Description: 'via the SDK' });
  await a.ok('SetSecretValue', { SecretName: 'made-by-api', SecretValue: '{ "spaced": 1 }' });
  await a.ok('ScheduleSecretDeletion', { SecretName: 'doomed', PendingWindowInDays: 7 });
});
afterAll(async () => {
  await source?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('volc-secrets export (metadata only)', () => {
  let done: Finished;
  let document: SeedDocument;
  beforeAll(async () => {
    // the source server keeps running on the same file
    done = await exportCli('--db', db);
    document = JSON.parse(done.stdout) as SeedDocument;
  });

  it('writes every secret except those pending deletion, as JSON on stdout, without accounts', () => {
    expect(done.code).toBe(0);
    expect(Object.keys(document)).toEqual(['secrets']);
    expect(document.secrets!.map((s) => `${s.accountId}/${s.region}/${s.name}`)).toEqual([
      '2100000101/cn-beijing/app-config',
      '2100000101/cn-beijing/made-by-api',
      '2100000101/cn-beijing/orders-db',
      '2100000202/cn-shanghai/managed-login',
      '2100000202/cn-shanghai/raw-bytes',
    ]);
    expect(done.stderr).toBe('volc-secrets export: left out 1 secret(s) pending deletion: doomed (account 2100000101, region cn-beijing)\n');
  });

  it('carries the metadata a seed needs, and no value', () => {
    const byName = new Map(document.secrets!.map((s) => [s.name, s]));
    expect(byName.get('app-config')).toEqual({ name: 'app-config', type: 'Generic', accountId: TEAM_A.accountId, region: 'cn-beijing', projectName: 'web', description: 'settings', encryptionKey: KEY_TRN });
    expect(byName.get('orders-db')).toEqual({
      name: 'orders-db',
      type: 'RDS',
      accountId: TEAM_A.accountId,
      region: 'cn-beijing',
      extendedConfig: '{ "DBInstanceId": "mysql-1", "SecretSubType": "DoubleUsers" }',
      rotation: { automatic: true, interval: '12h' },
    });
    expect(byName.get('managed-login')).toMatchObject({ state: 'Disable', managed: true, owningService: 'ecs', extendedConfig: { InstanceId: 'i-1', SecretSubType: 'Password' } });
    for (const entry of document.secrets!) {
      expect(entry).not.toHaveProperty('value');
      expect(entry).not.toHaveProperty('versions');
      expect(entry).not.toHaveProperty('binaryValue');
    }
    for (const value of VALUES) expect(done.stdout).not.toContain(value);
  });

  it('does not need the master key', async () => {
    const again = await exportCli('--db', db, '--master-key-file', path.join(dir, 'no-such.key'));
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(document);
  });
});

/** Each version's name, stage and value, oldest first, read with the SDK. */
async function history(c: SdkClient, name: string): Promise<Array<{ name: string; stage: string; value: string }>> {
  const { SecretVersions } = await c.ok('DescribeSecretVersions', { SecretName: name, PageSize: 100 });
  const out = [];
  for (const v of [...SecretVersions].reverse()) {
    const got = await c.ok('GetSecretValue', { SecretName: name, VersionID: v.VersionID });
    out.push({ name: v.VersionName, stage: v.VersionStage, value: got.SecretValue });
  }
  return out;
}

describe('volc-secrets export --include-values, and seeding a fresh server from it', () => {
  let output: string;
  let copy: ServerHandle;
  let exported: SeedDocument;
  beforeAll(async () => {
    output = path.join(dir, 'export.yaml');
    const done = await exportCli('--db', db, '--include-values', '--format', 'yaml', '--output', output);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe('');
    exported = YAML.parse(fs.readFileSync(output, 'utf8')) as SeedDocument;
    copy = await startServer({ credentials: [TEAM_A, TEAM_B], db: path.join(dir, 'copy.db'), seed: output });
  });
  afterAll(() => copy?.close());

  it('writes the file private to its owner, with every version oldest first', () => {
    expect(fs.statSync(output).mode & 0o777).toBe(0o600);
    const app = exported.secrets!.find((s) => s.name === 'app-config') as SeedSecretEntry;
    expect(app.versions).toEqual([{ name: 'v1', value: 'first-export-value' }, { value: { compact: true } }, { name: 'from-api', value: 'api-export-value' }]);
    expect(exported.secrets!.find((s) => s.name === 'raw-bytes')).toMatchObject({ binaryValue: BINARY });
  });

  it('gives the same secrets, versions and values through the SDK', async () => {
    const scopes: Array<[Credential, string, string[]]> = [
      [TEAM_A, 'cn-beijing', ['app-config', 'orders-db', 'made-by-api']],
      [TEAM_B, 'cn-shanghai', ['raw-bytes']],
    ];
    for (const [credentials, region, names] of scopes) {
      for (const name of names) {
        const [before, after] = [client(source, credentials, region), client(copy, credentials, region)];
        const [was, is] = [await before.ok('DescribeSecret', { SecretName: name }), await after.ok('DescribeSecret', { SecretName: name })];
        for (const field of ['SecretType', 'SecretState', 'ProjectName', 'Description', 'EncryptionKey', 'ExtendedConfig', 'Managed', 'OwningService', 'RotationState', 'RotationInterval']) {
          expect([name, field, is.Secret[field]]).toEqual([name, field, was.Secret[field]]);
        }
        const versions = await history(before, name);
        expect(versions.length).toBeGreaterThan(0);
        expect(await history(after, name)).toEqual(versions);
      }
    }
    // the rotated RDS secret kept both its generated CURRENT and the seeded OLDER value
    const rds = await history(client(copy, TEAM_A), 'orders-db');
    expect(rds.map((v) => v.stage)).toEqual(['OLDER', 'CURRENT']);
    expect(rds[0].value).toContain('rds-export-pw-a');
  });

  it('exports the copy exactly as the source: nothing lost on the way (disabled and binary values included)', async () => {
    const [fromSource, fromCopy] = await Promise.all([
      exportCli('--db', db, '--include-values', '--output', path.join(dir, 'source.json')),
      exportCli('--db', path.join(dir, 'copy.db'), '--include-values', '--output', path.join(dir, 'copy.json')),
    ]);
    expect([fromSource.code, fromCopy.code]).toEqual([0, 0]);
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SeedDocument;
    expect(read('copy.json')).toEqual(read('source.json'));
    expect(read('source.json')).toEqual(exported);
    expect(read('source.json').secrets!.find((s) => s.name === 'managed-login')).toMatchObject({ value: { UserName: 'root', Password: 'ecs-export-pw' } });
  });
});

describe('volc-secrets export refusals', () => {
  it('refuses a master key other than the database was created with, and writes no file', async () => {
    const wrongKey = path.join(dir, 'wrong.key');
    fs.writeFileSync(wrongKey, randomBytes(32).toString('base64'), { mode: 0o600 });
    const output = path.join(dir, 'never.json');
    const done = await exportCli('--db', db, '--include-values', '--master-key-file', wrongKey, '--output', output);
    expect(done.code).toBe(1);
    expect(done.stderr).toBe(`volc-secrets export: database ${db} was created with a different master key; give the matching --master-key-file\n`);
    expect(fs.existsSync(output)).toBe(false);
  });

  it('refuses a database that does not exist, without creating it', async () => {
    const missing = path.join(dir, 'missing.db');
    const done = await exportCli('--db', missing);
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(new RegExp(`^volc-secrets export: cannot open database ${missing}: `));
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('explains itself with --help, and refuses unknown options and formats with exit code 2', async () => {
    const help = await exportCli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--include-values');
    const unknown = await exportCli('--values');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('volc-secrets export: unknown option --values (see volc-secrets export --help)\n');
    const format = await exportCli('--db', db, '--format', 'xml');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be json or yaml');
  });
});
