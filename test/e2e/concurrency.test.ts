/**
 * Concurrency: parallel writers on one secret and on many, mixed with reads; a second SQLite
 * connection writing to the same file at the same time; and a graceful SIGTERM of a real process
 * with a request in flight.
 */
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { generateCredential } from '../../src/credentials';
import { signRequest } from '../../src/signing/signature';
import { GENERIC_VERSION_LIMIT } from '../../src/domain/secret-types';
import { sdkClient, startTestServer, type SdkClient, type TestServer } from '../support/server';
import { spawnServer, tempDir } from '../support/process-server';

interface WireVersion {
  VersionID: string;
  VersionName: string;
  VersionStage: string;
}

async function allVersions(sdk: SdkClient, name: string): Promise<{ total: number; versions: WireVersion[] }> {
  const versions: WireVersion[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const r = await sdk.ok('DescribeSecretVersions', { SecretName: name, CurrentPage: page, PageSize: 100 });
    total = r.PageInfo.TotalCount;
    versions.push(...r.SecretVersions);
    if (r.SecretVersions.length < 100) return { total, versions };
  }
}

/** Every error a call answered; none is expected. */
function errorsOf(results: Array<{ ResponseMetadata: { Error?: { Code: string } } }>): string[] {
  return results.flatMap((r) => (r.ResponseMetadata.Error ? [r.ResponseMetadata.Error.Code] : []));
}

/** Writes to the same database file from another thread, in short IMMEDIATE transactions, until told to stop. */
const SECOND_WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const stop = new Int32Array(workerData.stop);
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const write = db.prepare("insert or replace into store_meta(key, value) values ('second-writer', ?)");
let commits = 0;
parentPort.postMessage({ started: true });
while (Atomics.load(stop, 0) === 0) {
  db.exec('BEGIN IMMEDIATE');
  write.run(String(commits));
  pause(2); // hold the write lock for a moment
  db.exec('COMMIT');
  commits++;
  pause(1);
}
db.close();
parentPort.postMessage({ commits });
`;

describe('concurrent writers and readers (file database)', () => {
  const tmp = tempDir('volc-concurrency-');
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ db: path.join(tmp.dir, 'secrets.db'), sweepSeconds: 3600 });
  });
  afterAll(async () => {
    await t.handle.close();
    tmp.remove();
  });

  it('100 parallel SetSecretValue on one secret, mixed with reads: every write kept, exactly one CURRENT', async () => {
    await t.sdk.ok('CreateSecret', { SecretName: 'hot', SecretType: 'Generic', SecretValue: 'initial' });
    const values = Array.from({ length: 100 }, (_, i) => `hot-value-${i}`);
    const readable = new Set(['initial', ...values]);
    const writes = values.map((v) => t.sdk.call('SetSecretValue', { SecretName: 'hot', SecretValue: v }));
    const reads = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0
        ? t.sdk.call('DescribeSecretVersions', { SecretName: 'hot', PageSize: 100 }, 'get')
        : t.sdk.call('GetSecretValue', { SecretName: 'hot' }, i % 3 === 1 ? 'get' : 'json'),
    );
    const [written, read] = await Promise.all([Promise.all(writes), Promise.all(reads)]);

    expect(errorsOf([...written, ...read])).toEqual([]);
    for (const r of read) {
      if ('SecretValue' in r.Result) expect(readable.has(r.Result.SecretValue)).toBe(true);
      else expect(r.Result.SecretVersions.filter((v: WireVersion) => v.VersionStage === 'CURRENT')).toHaveLength(1);
    }
    expect(written.every((w) => w.Result.VersionStage === 'CURRENT')).toBe(true);

    // 101 versions were made; the newest GENERIC_VERSION_LIMIT stay, and the dropped one is the first
    const { total, versions } = await allVersions(t.sdk, 'hot');
    expect(total).toBe(Math.min(101, GENERIC_VERSION_LIMIT));
    expect(versions).toHaveLength(total);
    const ids = new Set(versions.map((v) => v.VersionID));
    expect(ids.size).toBe(total);
    for (const w of written) expect(ids.has(w.Result.VersionID)).toBe(true);
    expect(versions.filter((v) => v.VersionStage === 'CURRENT')).toHaveLength(1);
    expect(versions[0].VersionStage).toBe('CURRENT'); // the newest is the CURRENT one

    // each acknowledged version holds exactly the value written with it
    const byId = await Promise.all(written.map((w) => t.sdk.ok('GetSecretValue', { SecretName: 'hot', VersionID: w.Result.VersionID })));
    expect(byId.map((r) => r.SecretValue)).toEqual(values);
    const current = await t.sdk.ok('GetSecretValue', { SecretName: 'hot' });
    expect(current.VersionID).toBe(versions[0].VersionID);
  });

  it('parallel writers on 20 secrets (create + 5 writes each, interleaved): exact version counts, one CURRENT each', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `many-${i}`);
    await Promise.all(names.map((n) => t.sdk.ok('CreateSecret', { SecretName: n, SecretType: 'Generic', SecretValue: `${n}-0` })));
    const calls = [];
    for (let round = 1; round <= 5; round++) {
      for (const n of names) {
        calls.push(t.sdk.call('SetSecretValue', { SecretName: n, SecretValue: `${n}-${round}` }, round % 2 ? 'json' : 'form'));
        calls.push(t.sdk.call('DescribeSecret', { SecretName: n }, 'get'));
      }
      calls.push(t.sdk.call('BatchGetSecretValue', { SecretNames: names.slice(0, 10) }));
      calls.push(t.sdk.call('DescribeSecrets', { PageSize: 100 }));
    }
    expect(errorsOf(await Promise.all(calls))).toEqual([]);

    for (const n of names) {
      const { total, versions } = await allVersions(t.sdk, n);
      expect(total).toBe(6);
      expect(versions.filter((v) => v.VersionStage === 'CURRENT')).toHaveLength(1);
      const values = await Promise.all(versions.map((v) => t.sdk.ok('GetSecretValue', { SecretName: n, VersionID: v.VersionID })));
      expect(values.map((v) => v.SecretValue).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${n}-${i}`).sort());
    }
  });

  it('a second connection writing the same file does not make the server answer BUSY (busy_timeout, IMMEDIATE transactions)', async () => {
    await t.sdk.ok('CreateSecret', { SecretName: 'shared-file', SecretType: 'Generic', SecretValue: 's-0' });
    const stop = new SharedArrayBuffer(4);
    const worker = new Worker(SECOND_WRITER, {
      eval: true,
      workerData: { module: require.resolve('better-sqlite3'), file: t.handle.databaseFile, stop },
    });
    const messages: Array<{ started?: boolean; commits?: number }> = [];
    const finished = new Promise<number>((resolve, reject) => {
      worker.on('message', (m: { started?: boolean; commits?: number }) => {
        messages.push(m);
        if (m.commits !== undefined) resolve(m.commits);
      });
      worker.on('error', reject);
    });
    await new Promise<void>((resolve) => worker.once('message', () => resolve()));
    try {
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          i % 2
            ? t.sdk.call('SetSecretValue', { SecretName: 'shared-file', SecretValue: `s-${i}` })
            : t.sdk.call('CreateSecret', { SecretName: `shared-${i}`, SecretType: 'Generic', SecretValue: 'x' }),
        ),
      );
      expect(errorsOf(results)).toEqual([]);
    } finally {
      Atomics.store(new Int32Array(stop), 0, 1);
    }
    const commits = await finished;
    await worker.terminate();
    expect(commits).toBeGreaterThan(0); // the other writer really ran alongside
    const { total } = await allVersions(t.sdk, 'shared-file');
    expect(total).toBe(31);
  });
});

/** A signed JSON POST whose body is sent in two parts, so the request is provably in flight in between. */
function slowRequest(port: number, credentials: ReturnType<typeof generateCredential>, action: string, params: object) {
  const body = JSON.stringify(params);
  const query = `Action=${action}&Version=2021-02-18`;
  const headers = signRequest({
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    region: 'cn-beijing',
    service: 'kms',
    method: 'POST',
    path: '/',
    query: [
      ['Action', action],
      ['Version', '2021-02-18'],
    ],
    headers: { 'Content-Type': 'application/json', Host: `127.0.0.1:${port}` },
    body,
    now: Date.now(),
  });
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/?${query}`,
    // Expect: 100-continue makes the server confirm it has the headers, i.e. the request is in flight
    headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)), Expect: '100-continue' },
    agent: false,
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  const inFlight = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { inFlight, answered, finish: () => req.end(body.slice(half)) };
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('graceful shutdown on SIGTERM (real process)', () => {
  const tmp = tempDir('volc-shutdown-');
  afterAll(() => tmp.remove());

  it('answers the request in flight, exits 0, and leaves a clean database with no WAL to recover', async () => {
    const credentials = generateCredential('2100000077');
    const db = path.join(tmp.dir, 'shutdown.db');
    const server = await spawnServer({ db, credentials });
    const sdk = sdkClient({ port: server.port }, { credentials });
    await sdk.ok('CreateSecret', { SecretName: 'graceful', SecretType: 'Generic', SecretValue: 'before' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => sdk.ok('CreateSecret', { SecretName: `idle-${i}`, SecretType: 'Generic', SecretValue: 'x' })));

    const slow = slowRequest(server.port, credentials, 'SetSecretValue', { SecretName: 'graceful', SecretValue: 'in-flight' });
    await slow.inFlight;
    server.child.kill('SIGTERM');
    // the listener closes first; only then is the rest of the body sent
    while (!(await refusesConnections(server.port))) await new Promise((r) => setTimeout(r, 10));
    slow.finish();

    const answer = await slow.answered;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).Result.VersionStage).toBe('CURRENT');
    expect(await server.exited).toEqual({ code: 0, signal: null });

    // closed cleanly: the WAL was checkpointed into the file and removed
    const wal = `${db}-wal`;
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
    const check = new BetterSqlite3(db, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }

    const again = await spawnServer({ db, credentials });
    try {
      const sdk2 = sdkClient({ port: again.port }, { credentials });
      expect((await sdk2.ok('GetSecretValue', { SecretName: 'graceful' })).SecretValue).toBe('in-flight');
      expect((await sdk2.ok('DescribeSecrets', { PageSize: 100 })).Secrets).toHaveLength(11);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});
