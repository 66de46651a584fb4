/**
 * Security review, as tests: secret values, secret access keys, signatures and the master key never
 * reach a log line (in-process at debug level, and a real process's stdout/stderr) or an error
 * message; the public development key pair is refused off loopback; a master key file readable by
 * group or others is warned about; and every Action is isolated by account and by region.
 *
 * (Signature comparison is constant-time by construction: src/signing/signature.ts signaturesEqual
 * compares equal-length buffers with crypto.timingSafeEqual. Reviewed, not timed.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startServer, StartupError } from '../../src';
import { DEVELOPMENT_CREDENTIAL, generateCredential, type Credential } from '../../src/credentials';
import { ACTIONS } from '../../src/actions';
import { formatXDate } from '../../src/signing/signature';
import { actionQuery, sdkClient, startTestServer, type Envelope, type SdkClient, type TestServer } from '../support/server';
import { CLI, spawnServer, tempDir } from '../support/process-server';

/** A log stream that keeps every line. */
function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

const SIXTY_FOUR_HEX = /[0-9a-f]{64}/i;

function signatureOf(headers: Record<string, string>): string {
  return /Signature=([0-9a-f]{64})/.exec(headers.Authorization ?? '')?.[1] ?? '';
}

/** Asserts that none of `secrets` occurs in `text`, naming the first that does (by its label, never its content). */
function expectNoneIn(text: string, secrets: Record<string, string>): void {
  const leaked = Object.entries(secrets)
    .filter(([, value]) => value.length >= 6 && text.includes(value))
    .map(([label]) => label);
  expect(leaked).toEqual([]);
}

const RDS = {
  SecretType: 'RDS',
  SecretValue: JSON.stringify({ Accounts: [{ AccountName: 'app', AccountPassword: 'rds-password-SENTINEL-7f3a' }] }),
  ExtendedConfig: JSON.stringify({ DBInstanceId: 'mysql-sec', SecretSubType: 'SingleUser' }),
};

describe('no secret in logs or error messages (in-process, debug level)', () => {
  const tmp = tempDir('volc-security-');
  const log = capture();
  const a = generateCredential('2100000101');
  const b = generateCredential('2100000102');
  const keyFile = path.join(tmp.dir, 'master.key');
  const masterKey = Buffer.alloc(32, 7).toString('base64');
  let t: TestServer;
  const values: Record<string, string> = {};
  const signatures: Record<string, string> = {};
  const errorMessages: string[] = [];

  beforeAll(async () => {
    fs.writeFileSync(keyFile, masterKey + '\n', { mode: 0o600 });
    t = await startTestServer({ credentials: [a, b], logLevel: 'debug', logStream: log.stream, masterKeyFile: keyFile, sweepSeconds: 3600 });
  });
  afterAll(async () => {
    await t.handle.close();
    tmp.remove();
  });

  /** an SDK call whose error message (if any) is kept for the checks */
  const call = async (sdk: SdkClient, action: string, params: Record<string, unknown>, mode?: 'json' | 'get' | 'form'): Promise<Envelope> => {
    const res = await sdk.call(action, params, mode);
    if (res.ResponseMetadata.Error) errorMessages.push(res.ResponseMetadata.Error.Message);
    return res;
  };

  it('runs every Action, successes and failures, and bad signatures', async () => {
    const sdk = t.sdk;
    values.v1 = 'first-value-SENTINEL-1c9e';
    values.v2 = 'second-value-SENTINEL-55d0';
    values.refusedCreate = 'refused-create-SENTINEL-0b7d';
    values.refusedSet = 'refused-set-SENTINEL-9a41';
    values.refusedBadName = 'refused-badname-SENTINEL-c3f2';
    values.rds = 'rds-password-SENTINEL-7f3a';
    values.get = 'get-mode-SENTINEL-e611';

    const ok = async (action: string, params: Record<string, unknown>, mode?: 'json' | 'get' | 'form') => {
      const res = await call(sdk, action, params, mode);
      expect(res.ResponseMetadata.Error).toBeUndefined();
      return res.Result;
    };
    const refused = async (action: string, params: Record<string, unknown>, mode?: 'json' | 'get' | 'form') => {
      const res = await call(sdk, action, params, mode);
      expect(res.ResponseMetadata.Error).toBeDefined();
    };

    await ok('CreateSecret', { SecretName: 'sec-generic', SecretType: 'Generic', SecretValue: values.v1, Description: 'd' });
    await ok('CreateSecret', { SecretName: 'sec-get', SecretType: 'Generic', SecretValue: values.get }, 'get');
    await ok('CreateSecret', { SecretName: 'sec-rds', ...RDS });
    await ok('DescribeSecret', { SecretName: 'sec-generic' });
    await ok('DescribeSecrets', {});
    await ok('UpdateSecret', { SecretName: 'sec-generic', Description: 'updated' });
    await ok('SetSecretValue', { SecretName: 'sec-generic', SecretValue: values.v2 }, 'form');
    await ok('GetSecretValue', { SecretName: 'sec-generic' }, 'get');
    await ok('DescribeSecretVersions', { SecretName: 'sec-generic' });
    await ok('BatchGetSecretValue', { SecretNames: ['sec-generic', 'sec-rds'] });
    await ok('RotateSecret', { SecretName: 'sec-rds' });
    const rotated = await ok('GetSecretValue', { SecretName: 'sec-rds' });
    values.rotated = JSON.parse(rotated.SecretValue).Accounts[0].AccountPassword;
    await ok('UpdateSecretRotationPolicy', { SecretName: 'sec-rds', AutomaticRotation: true, RotationInterval: '30d' });
    const backup = await ok('BackupSecret', { SecretName: 'sec-generic' });
    Object.assign(values, { backupData: backup.BackupData, backupKey: backup.SecretDataKey, backupSignature: backup.Signature });
    await ok('ScheduleSecretDeletion', { SecretName: 'sec-generic', ForceDelete: true });
    await ok('RestoreSecret', backup);
    await ok('ScheduleSecretDeletion', { SecretName: 'sec-get', PendingWindowInDays: 7 });
    await ok('CancelSecretDeletion', { SecretName: 'sec-get' });

    await refused('CreateSecret', { SecretName: 'sec-generic', SecretType: 'Generic', SecretValue: values.refusedCreate });
    await refused('SetSecretValue', { SecretName: 'no-such-secret', SecretValue: values.refusedSet });
    await refused('SetSecretValue', { SecretName: 'sec-generic', SecretValue: values.refusedBadName, VersionName: '!' });
    await refused('SetSecretValue', { SecretName: 'sec-rds', SecretValue: values.refusedSet });
    await refused('CreateSecret', { SecretName: 'sec-rds-bad', SecretType: 'RDS', SecretValue: `{"Accounts":[{"AccountPassword":"${values.refusedCreate}"}]}`, ExtendedConfig: RDS.ExtendedConfig });
    await refused('GetSecretValue', { SecretName: 'sec-generic', VersionID: 'nope' });
    await refused('RestoreSecret', { ...backup, Signature: backup.Signature.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) });
    await refused('RestoreSecret', backup); // it exists again: Conflict
    // the other account may not restore it
    const other = sdkClient(t.handle, { credentials: b });
    expect((await call(other, 'RestoreSecret', backup)).ResponseMetadata.Error?.Code).toBe('AccessDenied');

    // bad signatures, signed by our signer so the signatures are known
    const wrongKey: Credential = { ...a, secretAccessKey: 'wrong-secret-key-SENTINEL-44aa' };
    const signed: Array<[string, Record<string, string>]> = [];
    const keep = (label: string) => (r: { headers: Record<string, string> }) => signed.push([label, { ...r.headers }]);
    const raws = [
      await t.raw({ query: actionQuery('GetSecretValue', { SecretName: 'sec-generic' }), credentials: wrongKey, tamper: keep('wrong-key') }),
      await t.raw({
        method: 'POST',
        query: actionQuery('SetSecretValue'),
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ SecretName: 'sec-generic', SecretValue: 'tampered-SENTINEL-d00d' }),
        tamper: (r) => {
          keep('tampered-body')(r);
          r.body = r.body.replace('tampered', 'changed!');
        },
      }),
      await t.raw({ query: actionQuery('DescribeSecrets'), tamper: keep('good') }),
      await t.raw({ query: actionQuery('GetSecretValue', { SecretName: 'sec-generic' }), credentials: b, tamper: keep('other-account') }),
    ];
    values.tampered = 'changed!-SENTINEL-d00d';
    const xDate = formatXDate(Date.now());
    const presignedSignature = 'ab'.repeat(32);
    raws.push(
      await t.raw({
        sign: false,
        query: [
          ...actionQuery('GetSecretValue', { SecretName: 'sec-generic' }),
          ['X-Algorithm', 'HMAC-SHA256'],
          ['X-Credential', `${a.accessKeyId}/${xDate.slice(0, 8)}/cn-beijing/kms/request`],
          ['X-Date', xDate],
          ['X-SignedHeaders', ''],
          ['X-SignedQueries', 'Action;SecretName;Version;X-Algorithm;X-Credential;X-Date;X-SignedHeaders'],
          ['X-Signature', presignedSignature],
        ],
      }),
    );
    signatures.presigned = presignedSignature;
    for (const [label, headers] of signed) signatures[label] = signatureOf(headers);
    expect(raws.map((r) => r.status)).toEqual([401, 401, 200, 404, 401]);
    for (const r of raws) if (r.body.ResponseMetadata.Error) errorMessages.push(r.body.ResponseMetadata.Error.Message);
    expect(Object.values(signatures).every((s) => /^[0-9a-f]{64}$/.test(s))).toBe(true);

    // every Action was exercised
    const logged = new Set(log.text().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { action?: string }).action));
    for (const action of ACTIONS) expect(logged).toContain(action.name);
  });

  it('the log holds none of the values, secret keys, signatures or the master key', () => {
    const text = log.text();
    expect(text.length).toBeGreaterThan(1000);
    expectNoneIn(text, {
      ...values,
      ...signatures,
      'secret key a': a.secretAccessKey,
      'secret key b': b.secretAccessKey,
      'wrong secret key': 'wrong-secret-key-SENTINEL-44aa',
      'master key': masterKey,
    });
    expect(text).not.toMatch(SIXTY_FOUR_HEX); // no signature of the SDK's own requests either
    expect(text).not.toMatch(/SENTINEL|Authorization|X-Signature|AccountPassword/i);
  });

  it('error messages hold none of them either', () => {
    expect(errorMessages.length).toBeGreaterThanOrEqual(10);
    const text = errorMessages.join('\n');
    expectNoneIn(text, { ...values, ...signatures, 'secret key a': a.secretAccessKey, 'secret key b': b.secretAccessKey, 'master key': masterKey });
    expect(text).not.toMatch(SIXTY_FOUR_HEX);
    expect(text).not.toMatch(/SENTINEL/);
  });
});

describe('no secret in a real process output (debug level)', () => {
  const tmp = tempDir('volc-security-cli-');
  afterAll(() => tmp.remove());

  it('stdout and stderr hold no value, secret key or signature', async () => {
    const credentials = generateCredential('2100000103');
    const server = await spawnServer({ db: path.join(tmp.dir, 's.db'), credentials, logLevel: 'debug' });
    try {
      const sdk = sdkClient({ port: server.port }, { credentials });
      await sdk.ok('CreateSecret', { SecretName: 'cli-secret', SecretType: 'Generic', SecretValue: 'cli-value-SENTINEL-a1b2' });
      await sdk.ok('GetSecretValue', { SecretName: 'cli-secret' }, 'get');
      await sdk.fail('SetSecretValue', { SecretName: 'missing', SecretValue: 'cli-refused-SENTINEL-e3e3' });
      const wrong = sdkClient({ port: server.port }, { credentials: { ...credentials, secretAccessKey: 'cli-wrong-key-SENTINEL' } });
      expect((await wrong.fail('GetSecretValue', { SecretName: 'cli-secret' })).Code).toBe('SignatureDoesNotMatch');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const output = server.stdout() + server.stderr();
    expect(output).toContain('"action":"GetSecretValue"'); // debug logging really was on
    expect(output.includes(credentials.secretAccessKey)).toBe(false);
    expect(output).not.toMatch(/SENTINEL/);
    expect(output).not.toMatch(SIXTY_FOUR_HEX);
    const keyText = fs.readFileSync(path.join(tmp.dir, 's.db.master-key'), 'utf8').trim();
    expect(output.includes(keyText)).toBe(false);
  });
});

describe('the development key pair off loopback', () => {
  it.each(['0.0.0.0', '::'])('startServer refuses to listen on %s with it', async (host) => {
    await expect(startServer({ host, credentials: [DEVELOPMENT_CREDENTIAL] })).rejects.toThrow(StartupError);
    await expect(startServer({ host, credentials: [generateCredential(), DEVELOPMENT_CREDENTIAL] })).rejects.toThrow(
      new RegExp(`refusing to listen on ${host.replace(/\./g, '\\.')} with the public development key pair`),
    );
  });

  it('the CLI without credentials exits 1 with the reason when asked for 0.0.0.0', () => {
    const res = spawnSync(process.execPath, [CLI, 'serve', '--host', '0.0.0.0', '--port', '0', '--db', ':memory:'], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 15000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 with the public development key pair/);
    expect(res.stdout).not.toMatch(/ready/);
  });

  it('configured credentials may listen off loopback; the development pair is fine on loopback (both answer a signed call)', async () => {
    const configured = generateCredential();
    const wide = await startServer({ host: '0.0.0.0', credentials: [configured] });
    try {
      expect(wide.host).toBe('0.0.0.0');
      // reached through loopback, which 0.0.0.0 includes
      const sdk = sdkClient({ port: wide.port }, { credentials: configured });
      expect((await sdk.ok('DescribeSecrets', {})).Secrets).toEqual([]);
    } finally {
      await wide.close();
    }
    const local = await startServer({ host: '127.0.0.1', credentials: [DEVELOPMENT_CREDENTIAL] });
    try {
      expect(local.credentials.accessKeyId).toBe(DEVELOPMENT_CREDENTIAL.accessKeyId);
      expect((await sdkClient(local, { credentials: DEVELOPMENT_CREDENTIAL }).ok('DescribeSecrets', {})).Secrets).toEqual([]);
    } finally {
      await local.close();
    }
  });
});

describe('master key file permissions', () => {
  const tmp = tempDir('volc-masterkey-');
  afterAll(() => tmp.remove());
  const keyFile = (name: string, mode: number): string => {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, Buffer.alloc(32, 9).toString('base64') + '\n');
    fs.chmodSync(file, mode);
    return file;
  };

  it.each(['640', '604', '644'])('warns when the key file has mode %s (handle.warnings), without showing the key', async (octal) => {
    const mode = parseInt(octal, 8);
    const file = keyFile(`open-${octal}.key`, mode);
    const handle = await startServer({ masterKeyFile: file });
    try {
      expect(handle.warnings).toEqual([expect.stringContaining(`master key file ${file} is readable by group or others (mode ${mode.toString(8)})`)]);
      expect(handle.warnings[0]).toContain(`chmod 600 ${file}`);
      expect(handle.warnings[0]).not.toContain(Buffer.alloc(32, 9).toString('base64'));
    } finally {
      await handle.close();
    }
  });

  it('does not warn for mode 0600, nor for the key file it creates itself (0600)', async () => {
    const quiet = await startServer({ masterKeyFile: keyFile('private.key', 0o600) });
    expect(quiet.warnings).toEqual([]);
    await quiet.close();
    const db = path.join(tmp.dir, 'own.db');
    const created = await startServer({ db });
    expect(created.warnings).toEqual([]);
    await created.close();
    expect(fs.statSync(`${db}.master-key`).mode & 0o777).toBe(0o600);
  });

  it('the CLI prints the warning on stderr', async () => {
    const credentials = generateCredential();
    const file = keyFile('cli.key', 0o644);
    const server = await spawnServer({ db: path.join(tmp.dir, 'cli.db'), credentials, extraArgs: ['--master-key-file', file] });
    server.child.kill('SIGTERM');
    await server.exited;
    expect(server.stderr()).toContain(`warning: master key file ${file} is readable by group or others (mode 644)`);
  });
});

/**
 * Each Action called by another account (same region) and by the same account in another region,
 * naming the first account's secrets: Not Found or an empty answer, never the other's data; and the
 * owner's secrets are exactly as before afterwards.
 */
describe('account and region isolation, for every Action', () => {
  let t: TestServer;
  const owner = generateCredential('2100000201');
  const stranger = generateCredential('2100000202');
  let backup: Record<string, string>;
  let ownerView = '';

  const snapshotOwner = async (): Promise<string> => {
    const parts: unknown[] = [await t.sdk.ok('DescribeSecrets', { PageSize: 100 })];
    for (const name of ['iso-generic', 'iso-rds', 'iso-pending']) {
      const versions = await t.sdk.ok('DescribeSecretVersions', { SecretName: name, PageSize: 100 });
      parts.push(versions);
      for (const v of versions.SecretVersions) parts.push((await t.sdk.call('GetSecretValue', { SecretName: name, VersionID: v.VersionID })).Result ?? null);
    }
    return JSON.stringify(parts);
  };

  beforeAll(async () => {
    t = await startTestServer({ credentials: [owner, stranger], sweepSeconds: 3600 });
    await t.sdk.ok('CreateSecret', { SecretName: 'iso-generic', SecretType: 'Generic', SecretValue: 'owner-value', Description: 'owner' });
    await t.sdk.ok('SetSecretValue', { SecretName: 'iso-generic', SecretValue: 'owner-value-2', VersionName: 'two' });
    await t.sdk.ok('CreateSecret', { SecretName: 'iso-rds', ...RDS });
    await t.sdk.ok('CreateSecret', { SecretName: 'iso-pending', SecretType: 'Generic', SecretValue: 'pending-value' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'iso-pending' });
    await t.sdk.ok('CreateSecret', { SecretName: 'iso-backed-up', SecretType: 'Generic', SecretValue: 'backed-up-value' });
    backup = await t.sdk.ok('BackupSecret', { SecretName: 'iso-backed-up' });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'iso-backed-up', ForceDelete: true });
    ownerView = await snapshotOwner();
  });
  afterAll(() => t.handle.close());

  type Outcome = 'not-found' | 'empty-list' | 'own-namespace' | 'refused-restore' | 'restores-in-caller-region';
  const TABLE: Record<string, { params: () => Record<string, unknown>; account: Outcome; region: Outcome }> = {
    CreateSecret: { params: () => ({ SecretName: 'iso-generic', SecretType: 'Generic', SecretValue: 'intruder' }), account: 'own-namespace', region: 'own-namespace' },
    DescribeSecret: { params: () => ({ SecretName: 'iso-generic' }), account: 'not-found', region: 'not-found' },
    DescribeSecrets: { params: () => ({ PageSize: 100 }), account: 'empty-list', region: 'empty-list' },
    UpdateSecret: { params: () => ({ SecretName: 'iso-generic', Description: 'intruder' }), account: 'not-found', region: 'not-found' },
    GetSecretValue: { params: () => ({ SecretName: 'iso-generic' }), account: 'not-found', region: 'not-found' },
    SetSecretValue: { params: () => ({ SecretName: 'iso-generic', SecretValue: 'intruder' }), account: 'not-found', region: 'not-found' },
    DescribeSecretVersions: { params: () => ({ SecretName: 'iso-generic' }), account: 'not-found', region: 'not-found' },
    BatchGetSecretValue: { params: () => ({ SecretNames: ['iso-generic', 'iso-rds'] }), account: 'not-found', region: 'not-found' },
    ScheduleSecretDeletion: { params: () => ({ SecretName: 'iso-generic', ForceDelete: true }), account: 'not-found', region: 'not-found' },
    CancelSecretDeletion: { params: () => ({ SecretName: 'iso-pending' }), account: 'not-found', region: 'not-found' },
    RotateSecret: { params: () => ({ SecretName: 'iso-rds' }), account: 'not-found', region: 'not-found' },
    UpdateSecretRotationPolicy: { params: () => ({ SecretName: 'iso-rds', AutomaticRotation: true, RotationInterval: '30d' }), account: 'not-found', region: 'not-found' },
    BackupSecret: { params: () => ({ SecretName: 'iso-generic' }), account: 'not-found', region: 'not-found' },
    // a backup is the owner's data in hand: the same account may restore it in another region; another account may not
    RestoreSecret: { params: () => backup, account: 'refused-restore', region: 'restores-in-caller-region' },
  };

  it('the table covers every Action of the action table', () => {
    expect(Object.keys(TABLE).sort()).toEqual(ACTIONS.map((a) => a.name).sort());
  });

  const callers = {
    account: () => sdkClient(t.handle, { credentials: stranger }),
    region: () => sdkClient(t.handle, { credentials: owner, region: 'cn-shanghai' }),
  };

  describe.each(['account', 'region'] as const)('from another %s', (which) => {
    it.each(Object.keys(TABLE))('%s', async (action) => {
      const entry = TABLE[action];
      const sdk = callers[which]();
      const res = await sdk.call(action, entry.params());
      const text = JSON.stringify(res);
      expect(text).not.toMatch(/owner-value|rds-password|pending-value/);
      const expected = entry[which];
      const error = res.ResponseMetadata.Error;
      switch (expected) {
        case 'not-found':
          expect(error?.Code).toBe('Not Found');
          break;
        case 'empty-list':
          expect(error).toBeUndefined();
          expect(res.Result.Secrets).toEqual([]);
          expect(res.Result.PageInfo.TotalCount).toBe(0);
          break;
        case 'own-namespace':
          // the same name is free in the caller's account/region: no Conflict, and a secret of its own
          expect(error).toBeUndefined();
          expect((await sdk.ok('GetSecretValue', { SecretName: 'iso-generic' })).SecretValue).toBe('intruder');
          await sdk.ok('ScheduleSecretDeletion', { SecretName: 'iso-generic', ForceDelete: true });
          break;
        case 'refused-restore':
          expect(error?.Code).toBe('AccessDenied');
          expect((await sdk.call('DescribeSecret', { SecretName: 'iso-backed-up' })).ResponseMetadata.Error?.Code).toBe('Not Found');
          break;
        case 'restores-in-caller-region':
          expect(error).toBeUndefined();
          expect((await sdk.ok('DescribeSecret', { SecretName: 'iso-backed-up' })).Secret.Trn).toContain(':cn-shanghai:');
          expect((await t.sdk.call('DescribeSecret', { SecretName: 'iso-backed-up' })).ResponseMetadata.Error?.Code).toBe('Not Found');
          await sdk.ok('ScheduleSecretDeletion', { SecretName: 'iso-backed-up', ForceDelete: true });
          break;
      }
      expect(await snapshotOwner()).toBe(ownerView);
    });
  });
});
