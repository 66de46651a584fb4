/**
 * Where secrets live: per account and per region (nothing crosses), in a SQLite file that survives a
 * restart, and never in plaintext (not in the database, its WAL, or the log).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { generateCredential, startServer, type Credential } from '../../src';
import { actionQuery, sdkClient, startTestServer, type SdkClient, type TestServer } from '../support/server';

describe('isolation between accounts and regions', () => {
  let t: TestServer;
  let a: SdkClient; // account A, cn-beijing
  let b: SdkClient; // account B, cn-beijing
  let aShanghai: SdkClient; // account A, cn-shanghai
  let aSecondKey: SdkClient; // account A through a second access key
  const accountA = generateCredential('2100000011');
  const accountB = generateCredential('2100000022');
  const accountAKey2 = generateCredential('2100000011');

  beforeAll(async () => {
    t = await startTestServer({ credentials: [accountA, accountB, accountAKey2] });
    a = sdkClient(t.handle, { credentials: accountA });
    b = sdkClient(t.handle, { credentials: accountB });
    aShanghai = sdkClient(t.handle, { credentials: accountA, region: 'cn-shanghai' });
    aSecondKey = sdkClient(t.handle, { credentials: accountAKey2 });
    await a.ok('CreateSecret', { SecretName: 'only-in-a', SecretType: 'Generic', SecretValue: 'value of A' });
  });
  afterAll(() => t.handle.close());

  it.each([
    ['another account', () => b],
    ['another region of the same account', () => aShanghai],
  ])('a secret is invisible from %s', async (_label, client) => {
    const other = client();
    for (const action of ['DescribeSecret', 'GetSecretValue', 'UpdateSecret']) {
      expect(await other.fail(action, { SecretName: 'only-in-a', Description: 'x' })).toEqual({
        CodeN: 0,
        Code: 'Not Found',
        Message: 'Not found secret [only-in-a].',
      });
    }
    expect((await other.ok('DescribeSecrets', {})).PageInfo.TotalCount).toBe(0);
    expect((await a.ok('DescribeSecret', { SecretName: 'only-in-a' })).Secret.Description).toBe('');
  });

  it('answers 404 over HTTP to the other account', async () => {
    const res = await t.raw({ query: actionQuery('GetSecretValue', { SecretName: 'only-in-a' }), credentials: accountB });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('value of A');
  });

  it('the same name can exist in each account and region, with its own value', async () => {
    const name = 'shared-name';
    const created = [
      await a.ok('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: 'A beijing' }),
      await b.ok('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: 'B beijing' }),
      await aShanghai.ok('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: 'A shanghai' }),
    ];
    expect(created.map((r) => r.Secret.Trn)).toEqual([
      `trn:kms:cn-beijing:2100000011:secrets/${name}`,
      `trn:kms:cn-beijing:2100000022:secrets/${name}`,
      `trn:kms:cn-shanghai:2100000011:secrets/${name}`,
    ]);
    expect(new Set(created.map((r) => r.Secret.ID)).size).toBe(3);
    expect((await a.ok('GetSecretValue', { SecretName: name })).SecretValue).toBe('A beijing');
    expect((await b.ok('GetSecretValue', { SecretName: name })).SecretValue).toBe('B beijing');
    expect((await aShanghai.ok('GetSecretValue', { SecretName: name })).SecretValue).toBe('A shanghai');
    // a change in one place leaves the others alone
    await b.ok('UpdateSecret', { SecretName: name, Description: 'B only' });
    expect((await a.ok('DescribeSecret', { SecretName: name })).Secret.Description).toBe('');
    expect((await aShanghai.ok('DescribeSecret', { SecretName: name })).Secret.Description).toBe('');
    expect((await b.ok('DescribeSecret', { SecretName: name })).Secret.Description).toBe('B only');
  });

  it('two access keys of one account see the same secrets', async () => {
    expect((await aSecondKey.ok('GetSecretValue', { SecretName: 'only-in-a' })).SecretValue).toBe('value of A');
    expect((await aSecondKey.fail('CreateSecret', { SecretName: 'only-in-a', SecretType: 'Generic', SecretValue: 'x' })).Code).toBe('Conflict');
  });

  it('answers in the region the request was signed for', async () => {
    const res = await t.raw({ query: actionQuery('DescribeSecrets'), credentials: accountA, region: 'cn-shanghai' });
    expect(res.body.ResponseMetadata.Region).toBe('cn-shanghai');
    expect(res.body.Result.Secrets.map((s: { Trn: string }) => s.Trn)).toEqual(['trn:kms:cn-shanghai:2100000011:secrets/shared-name']);
  });
});

describe('persistence and encryption at rest', () => {
  let dir: string;
  let dbFile: string;
  const credential: Credential = generateCredential('2100000033');
  const marker = `PLAINTEXT-MARKER-${randomUUID()}`;
  const logChunks: Buffer[] = [];
  const logStream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      logChunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  const iamValue = JSON.stringify({ AccessKeys: [{ AccessKeyId: 'AKLTpersist', AccessKeySecret: `${marker}-iam` }] });

  const bytesOf = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0));
  const logText = () => Buffer.concat(logChunks).toString('utf8');

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-secrets-persist-'));
    dbFile = path.join(dir, 'secrets.db');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps secrets across a restart, and never stores or logs a value in plaintext', async () => {
    const first = await startTestServer({ db: dbFile, credentials: [credential], logLevel: 'debug', logStream });
    let badSignature = '';
    try {
      await first.sdk.ok('CreateSecret', { SecretName: 'persist-generic', SecretType: 'Generic', SecretValue: `${marker}-generic`, Description: 'kept' });
      await first.sdk.ok('CreateSecret', {
        SecretName: 'persist-iam',
        SecretType: 'IAM',
        SecretValue: iamValue,
        ExtendedConfig: JSON.stringify({ UserName: 'u', SecretSubType: 'IAMUserAccessKey' }),
        AutomaticRotation: true,
        RotationInterval: '30d',
      });
      await first.sdk.ok('CreateSecret', { SecretName: 'persist-cjk', SecretType: 'Generic', SecretValue: `密码-${marker}-€` }, 'form');
      expect((await first.sdk.ok('GetSecretValue', { SecretName: 'persist-generic' }, 'get')).SecretValue).toBe(`${marker}-generic`);
      // a refused request: its signature must not be logged either
      const refused = await first.raw({
        query: actionQuery('GetSecretValue', { SecretName: 'persist-generic' }),
        credentials: { ...credential, secretAccessKey: 'd3Jvbmc=' },
        tamper: (r) => (badSignature = /Signature=([0-9a-f]+)/.exec(r.headers.Authorization)![1]),
      });
      expect(refused.status).toBe(401);

      // while running: the database and its write-ahead log hold no plaintext
      const live = Buffer.concat([bytesOf(dbFile), bytesOf(`${dbFile}-wal`)]);
      expect(live.length).toBeGreaterThan(0);
      expect(live.includes(marker)).toBe(false);
      expect(live.includes(Buffer.from(marker, 'utf16le'))).toBe(false);
      // but the names are there (so the search above looked at the right bytes)
      expect(live.includes('persist-generic')).toBe(true);
    } finally {
      await first.handle.close();
    }

    expect(fs.statSync(`${dbFile}.master-key`).mode & 0o077).toBe(0);
    const after = Buffer.concat([bytesOf(dbFile), bytesOf(`${dbFile}-wal`)]);
    expect(after.includes(marker)).toBe(false);

    const log = logText();
    expect(log).toContain('"action":"CreateSecret"'); // the log did capture the requests
    expect(log).not.toContain(marker);
    expect(log).not.toContain(credential.secretAccessKey);
    expect(log).not.toContain(badSignature);

    const second = await startTestServer({ db: dbFile, credentials: [credential] });
    try {
      const all = await second.sdk.ok('DescribeSecrets', {});
      expect(all.PageInfo.TotalCount).toBe(3);
      expect((await second.sdk.ok('GetSecretValue', { SecretName: 'persist-generic' })).SecretValue).toBe(`${marker}-generic`);
      expect((await second.sdk.ok('GetSecretValue', { SecretName: 'persist-iam' })).SecretValue).toBe(iamValue);
      expect((await second.sdk.ok('GetSecretValue', { SecretName: 'persist-cjk' })).SecretValue).toBe(`密码-${marker}-€`);
      const iam = (await second.sdk.ok('DescribeSecret', { SecretName: 'persist-iam' })).Secret;
      expect(iam).toMatchObject({ RotationState: 'Enable', RotationInterval: 2_592_000 });
      expect((await second.sdk.ok('DescribeSecret', { SecretName: 'persist-generic' })).Secret.Description).toBe('kept');
      // and it keeps working on the reopened file
      await second.sdk.ok('CreateSecret', { SecretName: 'persist-later', SecretType: 'Generic', SecretValue: 'later' });
    } finally {
      await second.handle.close();
    }
  });

  it('refuses to start on the same file with a different master key', async () => {
    const otherKey = path.join(dir, 'other.master-key');
    fs.writeFileSync(otherKey, randomBytes(32).toString('base64'), { mode: 0o600 });
    await expect(startServer({ db: dbFile, masterKeyFile: otherKey, credentials: [credential] })).rejects.toThrow(/different master key/);
    // the refusal left the data usable with the right key
    const again = await startTestServer({ db: dbFile, credentials: [credential] });
    try {
      expect((await again.sdk.ok('GetSecretValue', { SecretName: 'persist-later' })).SecretValue).toBe('later');
    } finally {
      await again.handle.close();
    }
  });
});
