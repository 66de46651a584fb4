/**
 * Seed files: valid JSON and YAML documents read back through the official SDK with the seeded
 * accounts' credentials; every kind of invalid seed refused with file, entry and field named and
 * nothing written; restarts on the same file; the CLI through a real process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { startServer, type ServerHandle } from '../../src';
import type { Credential } from '../../src/credentials';
import { SeedError, type SeedDocument } from '../../src/seed';
import { CLI, runToExit, startUntilReady } from '../support/child-process';
import { huaweiFetch } from '../support/huawei';
import { sdkClient, type SdkClient } from '../support/server';

const TEAM_A: Credential = { accessKeyId: 'AKLTseedteamA00000000000000000001', secretAccessKey: 'c2VlZC10ZWFtLWEtc2VjcmV0LWtleS0wMDE=', accountId: '2100000101' };
const TEAM_B: Credential = { accessKeyId: 'AKLTseedteamB00000000000000000002', secretAccessKey: 'c2VlZC10ZWFtLWItc2VjcmV0LWtleS0wMDI=', accountId: '2100000202' };
const OPERATOR: Credential = { accessKeyId: 'AKLTseedoperator000000000000000003', secretAccessKey: 'b3BlcmF0b3Itc2VjcmV0LWtleS0wMDM=', accountId: '2100000303' };

const RDS_V1 = { Accounts: [{ AccountName: 'orders_a', AccountPassword: 'rds-pw-a1' }, { AccountName: 'orders_b', AccountPassword: 'rds-pw-b1' }] };
const RDS_V2 = { Accounts: [{ AccountName: 'orders_b', AccountPassword: 'rds-pw-b2' }, { AccountName: 'orders_a', AccountPassword: 'rds-pw-a1' }] };
const IAM_VALUE = { AccessKeys: [{ AccessKeyId: 'AKLTci0000000001', AccessKeySecret: 'iam-secret-1' }] };

/** Every type, several versions, descriptions, projects, rotation policies, two accounts, two regions. */
const FULL_SEED_YAML = `# the README's example, more or less
accounts:
  - accessKeyId: ${TEAM_A.accessKeyId}
    secretAccessKey: ${TEAM_A.secretAccessKey}
    accountId: 2100000101          # unquoted: YAML reads a number, which is fine
  - accessKeyId: ${TEAM_B.accessKeyId}
    secretAccessKey: ${TEAM_B.secretAccessKey}
    accountId: "2100000202"

secrets:
  # no accountId: the first seeded account; no region: the server's region
  - name: app-config
    description: settings of the web app
    projectName: web
    versions:
      - { name: v1, value: first-value }
      - { name: v2, value: second-value }
      - value: { featureFlags: { beta: true } }

  - name: ci-keys
    type: IAM
    description: the CI robot's access key
    extendedConfig: { UserName: ci-bot, SecretSubType: IAMUserAccessKey }
    rotation: { automatic: true, interval: 30d }
    value: ${JSON.stringify(IAM_VALUE)}

  - name: orders-db
    type: RDS
    region: cn-shanghai
    projectName: orders
    extendedConfig: { DBInstanceId: mysql-orders, SecretSubType: DoubleUsers }
    rotation: { automatic: false, interval: 7d }
    versions:
      - value: ${JSON.stringify(RDS_V1)}
      - value: ${JSON.stringify(RDS_V2)}

  - name: cache
    type: Redis
    accountId: "2100000202"
    extendedConfig: '{"DBInstanceId":"redis-1","SecretSubType":"SingleUser"}'
    value: '{"Accounts":[{"AccountName":"default","AccountPassword":"redis-pw-1"}]}'

  - name: bastion
    type: ECS
    accountId: "2100000202"
    region: cn-shanghai
    state: Disable
    extendedConfig: { InstanceId: i-bastion, SecretSubType: Password }
    value: { UserName: root, Password: ecs-pw-1 }

faults: []
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-seed-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function client(handle: ServerHandle, credentials: Credential, region = 'cn-beijing'): SdkClient {
  return sdkClient(handle, { credentials, region });
}

async function names(c: SdkClient): Promise<string[]> {
  const r = await c.ok('DescribeSecrets', { PageSize: 100 });
  return (r.Secrets as Array<{ SecretName: string }>).map((s) => s.SecretName).sort();
}

async function expectRejected(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeedError);
  return (error as SeedError).message;
}

describe('a valid seed', () => {
  for (const format of ['yaml', 'json'] as const) {
    describe(`in ${format.toUpperCase()}`, () => {
      let handle: ServerHandle;
      beforeAll(async () => {
        const text = format === 'yaml' ? FULL_SEED_YAML : JSON.stringify(YAML.parse(FULL_SEED_YAML), null, 2);
        handle = await startServer({ credentials: [OPERATOR], seed: writeFile(`full.${format}`, text) });
      });
      afterAll(() => handle.close());

      it('adds the seeded accounts to the accepted credentials, after the configured ones', () => {
        expect(handle.credentials).toEqual(OPERATOR);
        expect(handle.accounts.map((a) => a.accountId)).toEqual([OPERATOR.accountId, TEAM_A.accountId, TEAM_B.accountId]);
      });

      it('puts each secret in its account and region (defaults: the first seeded account, the server region)', async () => {
        expect(await names(client(handle, TEAM_A))).toEqual(['app-config', 'ci-keys']);
        expect(await names(client(handle, TEAM_A, 'cn-shanghai'))).toEqual(['orders-db']);
        expect(await names(client(handle, TEAM_B))).toEqual(['cache']);
        expect(await names(client(handle, TEAM_B, 'cn-shanghai'))).toEqual(['bastion']);
        expect(await names(client(handle, OPERATOR))).toEqual([]);
        const err = await client(handle, TEAM_B).fail('DescribeSecret', { SecretName: 'app-config' });
        expect(err.Code).toBe('Not Found');
      });

      it('keeps every version of a Generic secret, oldest first, the last one CURRENT', async () => {
        const a = client(handle, TEAM_A);
        const secret = (await a.ok('DescribeSecret', { SecretName: 'app-config' })).Secret;
        expect(secret).toMatchObject({ SecretType: 'Generic', Description: 'settings of the web app', ProjectName: 'web', UID: TEAM_A.accountId });
        expect((await a.ok('GetSecretValue', { SecretName: 'app-config' })).SecretValue).toBe('{"featureFlags":{"beta":true}}');
        expect((await a.ok('GetSecretValue', { SecretName: 'app-config', VersionName: 'v1' })).SecretValue).toBe('first-value');
        expect((await a.ok('GetSecretValue', { SecretName: 'app-config', VersionName: 'v2' })).SecretValue).toBe('second-value');
        const versions = await a.ok('DescribeSecretVersions', { SecretName: 'app-config' });
        expect(versions.SecretVersions.map((v: { VersionStage: string }) => v.VersionStage).sort()).toEqual(['CURRENT', 'OLDER', 'OLDER']);
      });

      it('applies rotation policies: automatic with a schedule, or off with an interval kept', async () => {
        const iam = (await client(handle, TEAM_A).ok('DescribeSecret', { SecretName: 'ci-keys' })).Secret;
        expect(iam).toMatchObject({ SecretType: 'IAM', RotationState: 'Enable', RotationInterval: 30 * 86400, Description: "the CI robot's access key" });
        expect(iam.ScheduleRotationTime).not.toBe('');
        expect(JSON.parse(iam.ExtendedConfig)).toEqual({ UserName: 'ci-bot', SecretSubType: 'IAMUserAccessKey' });
        expect(JSON.parse((await client(handle, TEAM_A).ok('GetSecretValue', { SecretName: 'ci-keys' })).SecretValue)).toEqual(IAM_VALUE);

        const shanghai = client(handle, TEAM_A, 'cn-shanghai');
        const rds = (await shanghai.ok('DescribeSecret', { SecretName: 'orders-db' })).Secret;
        expect(rds).toMatchObject({ SecretType: 'RDS', ProjectName: 'orders', RotationState: 'Disable', RotationInterval: 7 * 86400 });
      });

      it('keeps a typed secret history: the older RDS version is OLDER, the newer CURRENT', async () => {
        const shanghai = client(handle, TEAM_A, 'cn-shanghai');
        expect(JSON.parse((await shanghai.ok('GetSecretValue', { SecretName: 'orders-db' })).SecretValue)).toEqual(RDS_V2);
        const { SecretVersions: Versions } = await shanghai.ok('DescribeSecretVersions', { SecretName: 'orders-db' });
        const older = Versions.find((v: { VersionStage: string }) => v.VersionStage === 'OLDER');
        const value = await shanghai.ok('GetSecretValue', { SecretName: 'orders-db', VersionID: older.VersionID });
        expect(JSON.parse(value.SecretValue)).toEqual(RDS_V1);
      });

      it('takes ExtendedConfig and values as text too, and a Disable state', async () => {
        const cache = await client(handle, TEAM_B).ok('GetSecretValue', { SecretName: 'cache' });
        expect(cache.SecretValue).toBe('{"Accounts":[{"AccountName":"default","AccountPassword":"redis-pw-1"}]}');
        const shanghai = client(handle, TEAM_B, 'cn-shanghai');
        expect((await shanghai.ok('DescribeSecret', { SecretName: 'bastion' })).Secret.SecretState).toBe('Disable');
        expect((await shanghai.fail('GetSecretValue', { SecretName: 'bastion' })).Code).toBe('InvalidSecretStatus');
      });
    });
  }

  it('accepts a parsed document in-process, and sniffs JSON or YAML in a file without a known extension', async () => {
    const document: SeedDocument = { secrets: [{ name: 'from-object', value: { a: 1 } }] };
    const jsonish = writeFile('plain.seed', JSON.stringify({ secrets: [{ name: 'from-json', value: 'j' }] }));
    const yamlish = writeFile('other.seed', 'secrets:\n  - name: from-yaml\n    value: y\n');
    for (const [seed, name, value] of [
      [document, 'from-object', '{"a":1}'],
      [jsonish, 'from-json', 'j'],
      [yamlish, 'from-yaml', 'y'],
    ] as const) {
      const handle = await startServer({ credentials: [OPERATOR], seed });
      try {
        expect((await client(handle, OPERATOR).ok('GetSecretValue', { SecretName: name })).SecretValue).toBe(value);
      } finally {
        await handle.close();
      }
    }
  });
});

describe('Huawei door tokens in a seed', () => {
  it('are accepted by the Huawei door, scoped to their account and region', async () => {
    const handle = await startServer({
      credentials: [OPERATOR],
      seed: {
        accounts: [TEAM_A],
        huaweiTokens: [{ token: 'seeded-huawei-token', projectId: 'proj-shanghai', accountId: 2100000101, region: 'cn-shanghai' }],
        secrets: [
          { name: 'shared-by-doors', region: 'cn-shanghai', value: 'both-doors-value' },
          { name: 'other-region', value: 'beijing-only' },
        ],
      },
    });
    try {
      const latest = await huaweiFetch(handle, 'GET', '/v1/proj-shanghai/secrets/shared-by-doors/versions/latest', { token: 'seeded-huawei-token' });
      expect(latest.status).toBe(200);
      expect(latest.body.version.secret_string).toBe('both-doors-value');
      const elsewhere = await huaweiFetch(handle, 'GET', '/v1/proj-shanghai/secrets/other-region/versions/latest', { token: 'seeded-huawei-token' });
      expect(elsewhere.status).toBe(404);
      const unknown = await huaweiFetch(handle, 'GET', '/v1/proj-shanghai/secrets/shared-by-doors/versions/latest', { token: 'not-seeded' });
      expect(unknown.status).toBe(401);
    } finally {
      await handle.close();
    }
  });
});

describe('an invalid seed', () => {
  /** Each starts with a valid entry, so "nothing loaded" is a real claim. */
  const VALID_FIRST = `accounts:
  - { accessKeyId: ${TEAM_A.accessKeyId}, secretAccessKey: ${TEAM_A.secretAccessKey}, accountId: "2100000101" }
secrets:
  - name: fine-one
    value: fine-secret-value
`;
  const cases: Array<{ title: string; ext: string; text: string; says: string[]; hides?: string[] }> = [
    {
      title: 'bad YAML syntax',
      ext: 'yaml',
      text: VALID_FIRST + '  - name: broken\n    value: "yaml-secret-value\n',
      says: ['not valid YAML: missing char (line 8, column 1)'],
      hides: ['yaml-secret-value'],
    },
    {
      title: 'bad JSON syntax',
      ext: 'json',
      text: '{"secrets": [{"name": "fine-one", "value": "json-secret-value"},\n {"name": "x" "value": "json-secret-2"}]}',
      says: ['not valid JSON', 'line 2'],
      hides: ['json-secret-value', 'json-secret-2'],
    },
    {
      title: 'JSON that V8 would quote around an unexpected token (only line and column are given)',
      ext: 'json',
      text: '{"secrets": [{"name": "fine-one", "value": "quoted-secret-value", "x": tru}]}',
      says: ['not valid JSON: an unexpected character'],
      hides: ['quoted-secret-value', 'tru', '"x"'],
    },
    {
      title: 'a name with ESC, CR and a newline forging a ready line (escaped, one line)',
      ext: 'json',
      text: '{"secrets": [{"name": "\\u001b[2K\\rvolc-secrets ready: http://127.0.0.1:1\\n", "value": "t"}]}',
      says: ['secrets[0] (\\u001b[2K\\u000dvolc-secrets ready: http://127.0.0.1:1\\u000a): name must be'],
      hides: ['\u001b', '\r', '\n'],
    },
    { title: 'an unknown top-level key', ext: 'yaml', text: VALID_FIRST + 'secret: []\n', says: ['the document has an unknown field secret', 'known fields: accounts, secrets, faults'] },
    {
      title: 'an unknown field of a secret (a typo)',
      ext: 'yaml',
      text: VALID_FIRST + '  - name: api-token\n    decription: the API token\n    value: t\n',
      says: ['secrets[1] (api-token) has an unknown field decription'],
    },
    { title: 'a bad type', ext: 'yaml', text: VALID_FIRST + '  - { name: api-token, type: Password, value: t }\n', says: ['secrets[1] (api-token): type must be one of: Generic, IAM, RDS, Redis, ECS, PGSQL, SQLServer'] },
    {
      title: 'a bad value shape in a later version',
      ext: 'yaml',
      text:
        VALID_FIRST +
        `  - name: db-password
    type: RDS
    extendedConfig: { DBInstanceId: rds-1, SecretSubType: DoubleUsers }
    versions:
      - value: ${JSON.stringify(RDS_V1)}
      - value: { Accounts: [ { AccountName: only, AccountPassword: shape-secret-pw } ] }
`,
      says: ['secrets[1] (db-password): versions[1].value: Accounts must hold at least 2 items'],
      hides: ['shape-secret-pw', 'rds-pw-a1'],
    },
    { title: 'a bad name', ext: 'yaml', text: VALID_FIRST + '  - { name: "bad name!", value: t }\n', says: ['secrets[1] (bad name!): name must be 2 to 31 characters of [a-zA-Z0-9-_]'] },
    {
      title: 'duplicate names in one account and region',
      ext: 'yaml',
      text: VALID_FIRST + '  - { name: other, value: t }\n  - { name: fine-one, value: dup-secret }\n',
      says: ['secrets[2] (fine-one): the same name, account and region as secrets[0] (fine-one)'],
      hides: ['dup-secret'],
    },
    { title: 'an unknown account', ext: 'yaml', text: VALID_FIRST + '  - { name: api-token, accountId: "2100000999", value: t }\n', says: ['secrets[1] (api-token): accountId 2100000999 is not a configured account'] },
    {
      title: 'more versions than the type keeps',
      ext: 'yaml',
      text:
        VALID_FIRST +
        `  - name: db-password
    type: RDS
    extendedConfig: { DBInstanceId: rds-1, SecretSubType: SingleUser }
    versions: [ { value: '{"Accounts":[{"AccountName":"a"}]}' }, { value: '{"Accounts":[{"AccountName":"b"}]}' }, { value: '{"Accounts":[{"AccountName":"c"}]}' } ]
`,
      says: ['secrets[1] (db-password): versions: RDS secrets keep at most 2 versions'],
    },
    { title: 'a typed secret without ExtendedConfig', ext: 'yaml', text: VALID_FIRST + '  - { name: ci-keys, type: IAM, value: { AccessKeys: [ { AccessKeyId: AK1 } ] } }\n', says: ['secrets[1] (ci-keys): extendedConfig is required for IAM secrets'] },
    { title: 'rotation on a Generic secret', ext: 'yaml', text: VALID_FIRST + '  - { name: api-token, value: t, rotation: { automatic: true, interval: 7d } }\n', says: ['secrets[1] (api-token): rotation: Generic secrets do not rotate (only IAM, RDS, Redis, ECS, PGSQL, SQLServer do)'] },
    {
      title: 'automatic rotation without an interval',
      ext: 'yaml',
      text: VALID_FIRST + `  - { name: ci-keys, type: IAM, extendedConfig: { UserName: u, SecretSubType: IAMUserAccessKey }, rotation: { automatic: true }, value: ${JSON.stringify(IAM_VALUE)} }\n`,
      says: ['secrets[1] (ci-keys): rotation.interval is required'],
    },
    { title: 'an interval above 365 days', ext: 'yaml', text: VALID_FIRST + `  - { name: ci-keys, type: IAM, extendedConfig: { UserName: u, SecretSubType: IAMUserAccessKey }, rotation: { automatic: true, interval: 366d }, value: ${JSON.stringify(IAM_VALUE)} }\n`, says: ['secrets[1] (ci-keys): rotation.interval must be at most 365 days'] },
    { title: 'a value over 30720 bytes', ext: 'yaml', text: VALID_FIRST + `  - { name: big, value: "${'x'.repeat(30721)}" }\n`, says: ['secrets[1] (big): value must be at most 30720 bytes'] },
    { title: 'both value and versions', ext: 'yaml', text: VALID_FIRST + '  - { name: both, value: a, versions: [ { value: b } ] }\n', says: ['secrets[1] (both): give only one of value and versions'] },
    { title: 'no value at all', ext: 'yaml', text: VALID_FIRST + '  - { name: empty }\n', says: ['secrets[1] (empty) needs value, binaryValue or versions'] },
    { title: 'a repeated version name', ext: 'yaml', text: VALID_FIRST + '  - { name: named, versions: [ { name: v1, value: a }, { name: v1, value: b } ] }\n', says: ['secrets[1] (named): versions[1].name: "v1" is the name of an earlier version too'] },
    { title: 'an encryption key that is not a key TRN', ext: 'yaml', text: VALID_FIRST + '  - { name: keyed, value: a, encryptionKey: my-key }\n', says: ['secrets[1] (keyed): encryptionKey must be a key TRN'] },
    {
      title: 'a malformed account',
      ext: 'yaml',
      text: 'accounts:\n  - { accessKeyId: AKLTok, secretAccessKey: account-secret-key, accountId: "12ab" }\nsecrets: []\n',
      says: ['accounts[0] (AKLTok): accountId must be 1 to 20 digits'],
      hides: ['account-secret-key'],
    },
    {
      title: 'an account contradicting a configured access key',
      ext: 'yaml',
      text: `accounts:\n  - { accessKeyId: ${OPERATOR.accessKeyId}, secretAccessKey: another-secret-key, accountId: "2100000303" }\n`,
      says: [`accounts[0] (${OPERATOR.accessKeyId}): this access key is already configured with another secret key or account`],
      hides: ['another-secret-key', OPERATOR.secretAccessKey],
    },
  ];

  it.each(cases.map((c, i) => [c.title, i] as const))('%s: refused, naming file, entry and field, and nothing is written', async (_title, i) => {
    const c = cases[i];
    const file = writeFile(`bad-${i}.${c.ext}`, c.text);
    const db = path.join(dir, `bad-${i}.db`);
    const message = await expectRejected(startServer({ credentials: [OPERATOR], db, seed: file }));
    expect(message).toContain(`seed file ${file}: `);
    for (const part of c.says) expect(message).toContain(part);
    for (const hidden of c.hides ?? []) expect(message).not.toContain(hidden);

    if (fs.existsSync(db)) {
      // The same database, opened without the seed, holds nothing (the valid first entry included).
      const handle = await startServer({ credentials: [OPERATOR, TEAM_A], db });
      try {
        expect(await names(client(handle, TEAM_A))).toEqual([]);
        expect(await names(client(handle, OPERATOR))).toEqual([]);
      } finally {
        await handle.close();
      }
    }
  });

  it.each([
    ['a malformed Huawei token entry', { huaweiTokens: [{ token: 'huawei-secret-token', projectId: 'bad project', accountId: '1', region: 'cn-beijing' }] }, 'seed: huaweiTokens[0] (bad project): project_id must be 1-64 characters'],
    [
      'a Huawei project given two regions',
      {
        huaweiTokens: [
          { token: 'huawei-secret-token', projectId: 'p1', accountId: '1', region: 'cn-beijing' },
          { token: 'huawei-secret-token-2', projectId: 'p1', accountId: '1', region: 'cn-shanghai' },
        ],
      },
      'seed: huaweiTokens[1] (p1): project p1 is configured for two different accounts or regions',
    ],
    ['a Huawei token entry with an unknown field', { huaweiTokens: [{ token: 'huawei-secret-token', projectId: 'p1', accountId: '1', region: 'r', project: 'x' }] }, 'seed: huaweiTokens[0] (p1) has an unknown field project'],
  ] as const)('%s: refused, naming the entry, never the token', async (_title, seed, says) => {
    const message = await expectRejected(startServer({ seed: seed as unknown as SeedDocument }));
    expect(message).toContain(says);
    expect(message).not.toContain('huawei-secret-token');
  });

  it('names the document when it is given in-process', async () => {
    const message = await expectRejected(startServer({ seed: { secrets: [{ name: 'x1', value: 'v', type: 'Nope' as 'IAM' }] } }));
    expect(message).toMatch(/^seed: secrets\[0\] \(x1\): type must be one of/);
  });

  it('says when the file cannot be read', async () => {
    const missing = path.join(dir, 'missing.yaml');
    expect(await expectRejected(startServer({ seed: missing }))).toBe(`seed file ${missing}: cannot read it: ENOENT`);
  });
});

describe('restarting with the same seed file', () => {
  it('keeps the stored secrets (and their later changes), warns, and adds entries that are new', async () => {
    const db = path.join(dir, 'restart.db');
    const seedFile = writeFile('restart.yaml', 'secrets:\n  - { name: app-config, value: seeded-value }\n');
    const first = await startServer({ credentials: [OPERATOR], db, seed: seedFile });
    try {
      expect(first.warnings).toEqual([]);
      await client(first, OPERATOR).ok('SetSecretValue', { SecretName: 'app-config', SecretValue: 'changed-by-api' });
    } finally {
      await first.close();
    }

    fs.appendFileSync(seedFile, '  - { name: added-later, value: new-entry }\n');
    const second = await startServer({ credentials: [OPERATOR], db, seed: seedFile });
    try {
      expect(second.warnings).toEqual([`seed file ${seedFile}: 1 secret already existed and kept the stored data: secrets[0] (app-config)`]);
      const c = client(second, OPERATOR);
      expect((await c.ok('GetSecretValue', { SecretName: 'app-config' })).SecretValue).toBe('changed-by-api');
      expect((await c.ok('GetSecretValue', { SecretName: 'added-later' })).SecretValue).toBe('new-entry');
    } finally {
      await second.close();
    }
  });
});

describe('volc-secrets serve --seed (a real process)', () => {
  const env = () => ({ PATH: process.env.PATH ?? '', HOME: dir });

  it('exits non-zero with the file, entry and field on stderr when the seed is invalid', async () => {
    const bad = writeFile(
      'cli-bad.yaml',
      'secrets:\n  - { name: good-one, value: a }\n  - name: db-password\n    type: RDS\n    extendedConfig: { DBInstanceId: r, SecretSubType: SingleUser }\n    value: { Accounts: [] }\n',
    );
    const done = await runToExit('node', [CLI, 'serve', '--seed', bad, '--port', '0', '--db', ':memory:'], { cwd: dir, env: env() });
    expect(done.code).toBe(1);
    expect(done.stdout).not.toContain('volc-secrets ready');
    expect(done.stderr.trim()).toBe(`volc-secrets: seed file ${bad}: secrets[1] (db-password): value: Accounts must hold at least 1 item. (SecretSubType SingleUser)`);
  });

  it('loads the file named by VOLC_SECRETS_SEED and serves its secrets to the seeded account', async () => {
    const good = writeFile('cli-good.yaml', FULL_SEED_YAML);
    const running = await startUntilReady('node', [CLI, 'serve', '--port', '0', '--db', ':memory:', '--log-level', 'silent'], {
      cwd: dir,
      env: { ...env(), VOLC_SECRETS_SEED: good },
    });
    try {
      const c = sdkClient({ port: running.port }, { credentials: TEAM_B, region: 'cn-beijing' });
      expect((await c.ok('GetSecretValue', { SecretName: 'cache' })).SecretValue).toContain('redis-pw-1');
    } finally {
      const done = await running.stop();
      expect(done.code).toBe(0);
    }
  });
});
