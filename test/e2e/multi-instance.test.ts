/**
 * Several server processes on one PostgreSQL database behave as one server: two real processes
 * (node dist/src/cli.js serve) share a database and a key file; the SDK talks to both.
 *
 * Needs a PostgreSQL cluster: VOLC_SECRETS_TEST_PG is an administrative URL (a database per run is
 * created from it). The restart test also needs VOLC_SECRETS_TEST_PG_CTL, a command that takes
 * `stop` or `start` and stops or starts that cluster (.ci/run provides both). Without them the suite
 * is skipped (and says so). Run this file alone: stopping the cluster disturbs anything else on it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { generateCredential } from '../../src/credentials';
import type { ServerHandle } from '../../src';
import { controlClient, type ControlClient } from '../support/control';
import { BINARY, CLI, runToExit, startUntilReady } from '../support/child-process';
import { credentialText, spawnServer, tempDir, type ServerProcess } from '../support/process-server';
import { actionQuery, rawRequest, sdkClient, type Envelope, type SdkClient } from '../support/server';
import { freshPostgresDatabase, type TestDatabase } from '../support/test-database';
import { DAY_MS, HOUR_MS, ROTATABLE, allVersions, createParams } from '../support/lifecycle';

const ADMIN_URL = process.env.VOLC_SECRETS_TEST_PG || undefined;
const PG_CTL = process.env.VOLC_SECRETS_TEST_PG_CTL || undefined;
const describeWithPg = ADMIN_URL ? describe : describe.skip;
if (!ADMIN_URL) console.log('multi-instance tests skipped: VOLC_SECRETS_TEST_PG is not set (.ci/run sets it)');

const credential = { ...generateCredential(), control: true };

interface Instance {
  process: ServerProcess;
  sdk: SdkClient;
  control: ControlClient;
}

function instanceOf(process: ServerProcess): Instance {
  const sdk = sdkClient({ port: process.port }, { credentials: credential });
  return { process, sdk, control: controlClient(sdk.service) };
}

async function kill(i: Instance | undefined): Promise<void> {
  if (!i || i.process.child.exitCode !== null || i.process.child.signalCode !== null) return;
  i.process.child.kill('SIGKILL');
  await i.process.exited;
}

/** A request signed by our signer, to see the HTTP status too. */
function raw(i: Instance, action: string, body: object) {
  return rawRequest({ url: i.process.url, credentials: credential } as ServerHandle, {
    method: 'POST',
    query: actionQuery(action),
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Calls until the instance answers without error (bounded), for recovery after an outage. */
async function untilAnswered(i: Instance, action: string, params: Record<string, unknown>): Promise<Envelope> {
  let last: unknown;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const res = await i.sdk.call(action, params);
      if (!res.ResponseMetadata.Error) return res;
      last = res.ResponseMetadata.Error;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${action} never succeeded: ${JSON.stringify(last)}`);
}

describeWithPg('two server processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let keys: { dir: string; remove: () => void };
  let a: Instance;
  let b: Instance;

  const start = async (keyFile = database.masterKeyFile!): Promise<Instance> =>
    instanceOf(await spawnServer({ db: database.db, credentials: credential, extraArgs: ['--master-key-file', keyFile] }));

  beforeAll(async () => {
    database = await freshPostgresDatabase(ADMIN_URL);
    keys = tempDir('vst-keys-');
    // both start at once on an empty database: the migrations run once, under their lock
    [a, b] = await Promise.all([start(), start()]);
  });

  afterAll(async () => {
    await Promise.all([kill(a), kill(b)]);
    await database?.drop();
    keys?.remove();
  });

  it('both started together on a fresh database and see the same, empty store', async () => {
    for (const i of [a, b]) expect((await i.sdk.ok('DescribeSecrets', {})).PageInfo.TotalCount).toBe(0);
    await a.sdk.ok('CreateSecret', { SecretName: 'seen-by-both', SecretType: 'Generic', SecretValue: 'one' });
    expect((await b.sdk.ok('GetSecretValue', { SecretName: 'seen-by-both' })).SecretValue).toBe('one');
  });

  it('an instance given another master key refuses to start', async () => {
    const other = path.join(keys.dir, 'other.key');
    fs.writeFileSync(other, randomBytes(32).toString('base64'), { mode: 0o600 });
    await expect(start(other)).rejects.toThrow(/was created with a different master key/);
  });

  it('concurrent SetSecretValue on both: one CURRENT, every VersionName once, retention applied once', async () => {
    await a.sdk.ok('CreateSecret', { SecretName: 'contended', SecretType: 'Generic', SecretValue: 'v-initial', VersionName: 'initial' });
    const writes = Array.from({ length: 120 }, (_, n) => ({ n, via: n % 2 === 0 ? a : b }));
    const answers = await Promise.all(writes.map(({ n, via }) => via.sdk.call('SetSecretValue', { SecretName: 'contended', SecretValue: `v-${n}`, VersionName: `w-${n}` })));
    expect(answers.filter((r) => r.ResponseMetadata.Error)).toEqual([]);

    for (const i of [a, b]) {
      const versions = await allVersions(i.sdk, 'contended');
      // 121 written, Generic keeps 100: the 21 oldest went, once
      expect(versions).toHaveLength(100);
      expect(versions.filter((v) => v.VersionStage === 'CURRENT')).toHaveLength(1);
      expect(new Set(versions.map((v) => v.VersionName)).size).toBe(100);
    }
    const current = (await a.sdk.ok('GetSecretValue', { SecretName: 'contended' })).SecretValue;
    expect((await b.sdk.ok('GetSecretValue', { SecretName: 'contended' })).SecretValue).toBe(current);
    // the CURRENT one is the newest version
    const newest = (await allVersions(b.sdk, 'contended'))[0];
    expect(newest.VersionStage).toBe('CURRENT');
    expect(current).toBe(`v-${newest.VersionName.slice(2)}`);
  });

  it('the same VersionName sent to both at once is written once; the other gets 409 Conflict', async () => {
    await b.sdk.ok('CreateSecret', { SecretName: 'named-once', SecretType: 'Generic', SecretValue: 'first' });
    const answers = await Promise.all([a, b, a, b].map((i, n) => raw(i, 'SetSecretValue', { SecretName: 'named-once', SecretValue: `try-${n}`, VersionName: 'release-1' })));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    for (const refused of answers.filter((r) => r.status !== 200)) {
      expect(refused.status).toBe(409);
      expect(refused.body.ResponseMetadata.Error).toMatchObject({ Code: 'Conflict' });
    }
    expect((await allVersions(a.sdk, 'named-once')).filter((v) => v.VersionName === 'release-1')).toHaveLength(1);
  });

  it('CreateSecret of one name on both at once: created once, the others 409 Conflict', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => raw(n % 2 ? a : b, 'CreateSecret', { SecretName: 'raced', SecretType: 'Generic', SecretValue: `from-${n}` })),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409 && r.body.ResponseMetadata.Error?.Code === 'Conflict')).toHaveLength(7);
  });

  it('many CreateSecret split across both: every secret there once, counted once', async () => {
    const before = (await a.sdk.ok('DescribeSecrets', { ProjectName: 'bulk' })).PageInfo.TotalCount;
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, n) => (n % 2 ? a : b).sdk.call('CreateSecret', { SecretName: `bulk-${n}`, SecretType: 'Generic', SecretValue: `b${n}`, ProjectName: 'bulk' })),
    );
    expect(answers.filter((r) => r.ResponseMetadata.Error)).toEqual([]);
    for (const i of [a, b]) {
      const page = await i.sdk.ok('DescribeSecrets', { ProjectName: 'bulk', PageSize: 100 });
      expect(page.PageInfo.TotalCount).toBe(before + 60);
      expect(new Set(page.Secrets.map((s: { SecretName: string }) => s.SecretName)).size).toBe(before + 60);
    }
  });

  it('the clock is shared: an advance on one instance is "now" on the other', async () => {
    const before = (await b.control.ok('GET', '/clock')).offsetMs;
    await a.control.ok('POST', '/clock/advance', { by: '1h' });
    expect((await b.control.ok('GET', '/clock')).offsetMs).toBe(before + HOUR_MS);
    expect((await a.control.ok('GET', '/clock')).offsetMs).toBe(before + HOUR_MS);
  });

  it('a due rotation happens once, whichever sweeper gets there (both sweep every second)', async () => {
    const iam = ROTATABLE.find((f) => f.type === 'IAM')!;
    await a.sdk.ok('CreateSecret', createParams('rotates-once', iam, { AutomaticRotation: true, RotationInterval: '1d' }));
    const [original] = await allVersions(b.sdk, 'rotates-once');
    await b.control.ok('POST', '/clock/advance', { by: '25h' });
    // every sweeper has had its chance: both timers and two explicit sweeps at once
    await Promise.all([a.control.ok('POST', '/sweep'), b.control.ok('POST', '/sweep')]);
    const versions = await allVersions(a.sdk, 'rotates-once');
    // one rotation: the OLDER version is the original (two rotations would have pushed it out)
    expect(versions.map((v) => v.VersionStage)).toEqual(['CURRENT', 'OLDER']);
    expect(versions[1].VersionID).toBe(original.VersionID);
    // and the schedule moved one interval on, from the rotation
    const secret = (await b.sdk.ok('DescribeSecret', { SecretName: 'rotates-once' })).Secret;
    expect(Date.parse(secret.ScheduleRotationTime) - Date.parse(secret.LastRotationTime)).toBe(DAY_MS);
  });

  it('a secret whose deletion window ended is purged once and gone on both', async () => {
    await a.sdk.ok('CreateSecret', { SecretName: 'purged', SecretType: 'Generic', SecretValue: 'x' });
    await b.sdk.ok('ScheduleSecretDeletion', { SecretName: 'purged', PendingWindowInDays: 7 });
    await a.control.ok('POST', '/clock/advance', { by: '8d' });
    const reports = await Promise.all([a.control.ok('POST', '/sweep'), b.control.ok('POST', '/sweep')]);
    expect(reports.every((r) => r.purged <= 1)).toBe(true);
    for (const i of [a, b]) expect((await i.sdk.fail('DescribeSecret', { SecretName: 'purged' })).Code).toBe('Not Found');
  });

  it('the audit log is one log: requests to both instances are in it', async () => {
    await a.sdk.ok('DescribeSecret', { SecretName: 'seen-by-both' });
    await b.sdk.ok('GetSecretValue', { SecretName: 'seen-by-both' });
    // each instance writes its own requests within ~100 ms; both are read back from either
    let actions: string[] = [];
    for (let attempt = 0; attempt < 50 && !(actions.includes('DescribeSecret') && actions.includes('GetSecretValue')); attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      const entries = (await a.control.ok('GET', '/audit', { secretName: 'seen-by-both', limit: 100 })).entries as Array<{ action: string }>;
      actions = entries.map((e) => e.action);
    }
    expect(actions).toEqual(expect.arrayContaining(['CreateSecret', 'DescribeSecret', 'GetSecretValue']));
  });

  it('export reads the shared database beside the running servers; a bad URL scheme is refused in one line', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const exported = await runToExit(process.execPath, [CLI, 'export', '--db', database.db, '--master-key-file', database.masterKeyFile!, '--include-values'], { cwd: keys.dir, env });
    expect(exported.stderr).toBe('');
    const doc = JSON.parse(exported.stdout) as { secrets: Array<{ name: string; value?: unknown }> };
    expect(doc.secrets.find((s) => s.name === 'seen-by-both')).toMatchObject({ value: 'one' });
    const refused = await runToExit(process.execPath, [CLI, 'serve', '--port', '0', '--db', 'mysql://u:pw@127.0.0.1/secrets'], { cwd: keys.dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'volc-secrets: --db: database URL scheme "mysql:" is not supported; give a SQLite file path, :memory:, or a postgres:// or postgresql:// URL\n',
    );
    // nothing was created for it
    expect(fs.readdirSync(keys.dir).filter((f) => f.startsWith('mysql'))).toEqual([]);
  });

  (fs.existsSync(BINARY) ? it : it.skip)('the single binary joins the same database as a third instance', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const args = ['serve', '--port', '0', '--db', database.db, '--master-key-file', database.masterKeyFile!, '--credentials', credentialText(credential)];
    const third = await startUntilReady(BINARY, args, { cwd: keys.dir, env });
    try {
      // the ready line names the database without a password
      expect(third.db).toBe(database.db.replace(/:[^:@/]*@/, ':***@'));
      const sdk = sdkClient({ port: third.port }, { credentials: credential });
      expect((await sdk.ok('GetSecretValue', { SecretName: 'seen-by-both' })).SecretValue).toBe('one');
    } finally {
      await third.stop('SIGKILL');
    }
  });

  it('SIGKILL of one instance under write traffic: the other keeps serving, no acknowledged write is lost', async () => {
    const acknowledged: string[] = [];
    const write = async (i: Instance, name: string) => {
      try {
        const res = await i.sdk.call('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: `value-of-${name}` });
        if (!res.ResponseMetadata.Error) acknowledged.push(name);
      } catch {
        // the killed instance: no answer, nothing acknowledged
      }
    };
    for (let wave = 0; wave < 12; wave++) {
      const batch = [0, 1, 2, 3].map((k) => write(k % 2 ? a : b, `k-${wave}-${k}`));
      if (wave === 5) a.process.child.kill('SIGKILL');
      await Promise.all(batch);
    }
    await a.process.exited;
    // every write after the kill to b was answered
    for (let wave = 6; wave < 12; wave++) for (const k of [0, 2]) expect(acknowledged).toContain(`k-${wave}-${k}`);
    for (const name of acknowledged) expect((await b.sdk.ok('GetSecretValue', { SecretName: name })).SecretValue).toBe(`value-of-${name}`);
    // a replacement instance sees them too
    a = await start();
    for (const name of acknowledged) expect((await a.sdk.ok('GetSecretValue', { SecretName: name })).SecretValue).toBe(`value-of-${name}`);
  });

  it('connections cut by the database: requests recover without restarting the servers', async () => {
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const dbName = new URL(database.db).pathname.slice(1);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
    } finally {
      await admin.end();
    }
    for (const i of [a, b]) {
      const res = await i.sdk.call('GetSecretValue', { SecretName: 'seen-by-both' });
      // a broken pooled connection answers 503 at worst, never 500
      if (res.ResponseMetadata.Error) expect(res.ResponseMetadata.Error.Code).toBe('ServiceUnavailableTemp');
      expect((await untilAnswered(i, 'GetSecretValue', { SecretName: 'seen-by-both' })).Result.SecretValue).toBe('one');
    }
  });

  (PG_CTL ? it : it.skip)('PostgreSQL stopped mid-traffic: 503 ServiceUnavailableTemp, then recovery without restarting the servers', async () => {
    const acknowledged: string[] = [];
    const failures: string[] = [];
    let stop = false;
    const traffic = (i: Instance, tag: string) =>
      (async () => {
        for (let n = 0; !stop && n < 2000; n++) {
          const name = `pgr-${tag}-${n}`;
          try {
            const res = await raw(i, 'CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: name });
            if (res.status === 200) acknowledged.push(name);
            else failures.push(`${res.status} ${res.body.ResponseMetadata.Error?.Code}`);
          } catch (e) {
            failures.push(`no answer: ${(e as Error).message}`);
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
    const loops = [traffic(a, 'a'), traffic(b, 'b')];
    await new Promise((r) => setTimeout(r, 300));
    execFileSync(PG_CTL!, ['stop'], { stdio: 'ignore' });
    try {
      // while it is down: a retryable 503 from both, never a 500
      for (const i of [a, b]) {
        const res = await raw(i, 'GetSecretValue', { SecretName: 'seen-by-both' });
        expect(res.status).toBe(503);
        expect(res.body.ResponseMetadata.Error).toMatchObject({ Code: 'ServiceUnavailableTemp' });
      }
    } finally {
      execFileSync(PG_CTL!, ['start'], { stdio: 'ignore' });
    }
    for (const i of [a, b]) expect((await untilAnswered(i, 'GetSecretValue', { SecretName: 'seen-by-both' })).Result.SecretValue).toBe('one');
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(loops);
    // every refusal was the retryable one
    expect(failures.filter((f) => f !== '503 ServiceUnavailableTemp')).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const name of acknowledged) expect((await b.sdk.ok('GetSecretValue', { SecretName: name })).SecretValue).toBe(name);
  });
});
