/**
 * The audit log: one entry per request (accepted, refused by the application, refused at the
 * signature), queryable in-process and through the control API, bounded, and free of values.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { generateCredential } from '../../src';
import { controlClient, type ControlClient } from '../support/control';
import { startHuaweiTestServer } from '../support/huawei';
import { actionQuery, sdkClient, startTestServer, type TestServer } from '../support/server';

describe('audit log', () => {
  let t: TestServer;
  let control: ControlClient;
  const other = generateCredential('2100000777');
  beforeAll(async () => {
    // the first pair owns the control API; `other` is an ordinary account's
    t = await startTestServer({ credentials: [{ ...generateCredential(), control: true }, other] });
    control = controlClient(t.sdk.service);
  });
  afterAll(() => t.handle.close());

  it('records a successful call with who, where, what and its RequestId', async () => {
    const before = Date.now();
    const res = await t.sdk.call('CreateSecret', { SecretName: 'audited', SecretType: 'Generic', SecretValue: 'v' });
    expect(res.ResponseMetadata.Error).toBeUndefined();
    const [entry] = await t.handle.audit.query({ requestId: res.ResponseMetadata.RequestId });
    expect(entry).toMatchObject({
      requestId: res.ResponseMetadata.RequestId,
      method: 'POST',
      accessKeyId: t.handle.credentials.accessKeyId,
      accountId: t.handle.credentials.accountId,
      region: 'cn-beijing',
      action: 'CreateSecret',
      version: '2021-02-18',
      secretName: 'audited',
      status: 200,
      errorCode: null,
    });
    expect(entry.at).toBeGreaterThanOrEqual(before - 1);
    expect(entry.at).toBeLessThanOrEqual(Date.now());
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('records an application error with its status and Code', async () => {
    const res = await t.sdk.call('GetSecretValue', { SecretName: 'never-created' }, 'get');
    const [entry] = await t.handle.audit.query({ requestId: res.ResponseMetadata.RequestId });
    expect(entry).toMatchObject({ method: 'GET', action: 'GetSecretValue', secretName: 'never-created', status: 404, errorCode: 'Not Found', accountId: t.handle.credentials.accountId });
  });

  it('records a request refused for a bad signature, with the access key it claimed', async () => {
    const wrongKey = { ...t.handle.credentials, secretAccessKey: 'not-the-right-secret-key' };
    const res = await t.raw({ query: actionQuery('DescribeSecret', { SecretName: 'audited' }), credentials: wrongKey, region: 'cn-shanghai' });
    expect(res.status).toBe(401);
    const [entry] = await t.handle.audit.query({ requestId: res.body.ResponseMetadata.RequestId });
    expect(entry).toMatchObject({
      action: 'DescribeSecret',
      secretName: 'audited',
      accessKeyId: t.handle.credentials.accessKeyId,
      accountId: null,
      region: 'cn-shanghai',
      status: 401,
      errorCode: 'SignatureDoesNotMatch',
    });
    const unsigned = await t.raw({ query: actionQuery('DescribeSecrets'), sign: false });
    const [missing] = await t.handle.audit.query({ requestId: unsigned.body.ResponseMetadata.RequestId });
    expect(missing).toMatchObject({ accessKeyId: null, status: 401, errorCode: 'MissingAuthenticationToken', action: 'DescribeSecrets' });
  });

  it('records an unknown Action and a body that could not be read', async () => {
    const unknown = await t.sdk.call('CreateSecretInstance', {});
    const [entry] = await t.handle.audit.query({ requestId: unknown.ResponseMetadata.RequestId });
    expect(entry).toMatchObject({ action: 'CreateSecretInstance', status: 404, errorCode: 'InvalidActionOrVersion' });
    const tooLarge = await t.raw({ method: 'POST', query: actionQuery('CreateSecret'), body: 'x'.repeat(9 * 1024 * 1024), headers: { 'Content-Type': 'application/json' } });
    expect(tooLarge.status).toBe(413);
    const [refused] = await t.handle.audit.query({ outcome: 'RequestEntityTooLarge' });
    expect(refused).toMatchObject({ status: 413, method: 'POST' });
  });

  it('records a request Node refused before it reached us (oversized headers), under the RequestId answered', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: t.handle.port, path: '/?Action=DescribeSecrets', headers: { 'X-Padding': 'p'.repeat(200 * 1024) } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(413);
    const requestId = JSON.parse(answer.body).ResponseMetadata.RequestId;
    const [entry] = await t.handle.audit.query({ requestId });
    expect(entry).toMatchObject({ requestId, method: null, action: null, accessKeyId: null, status: 413, errorCode: 'RequestEntityTooLarge' });
  });

  describe('queries', () => {
    let from: number;
    let to: number;
    beforeAll(async () => {
      await t.handle.reset();
      from = Date.now();
      const otherSdk = sdkClient(t.handle, { credentials: other, region: 'ap-southeast-1' });
      await t.sdk.ok('CreateSecret', { SecretName: 'q-one', SecretType: 'Generic', SecretValue: 'v' });
      await t.sdk.ok('GetSecretValue', { SecretName: 'q-one' });
      await t.sdk.fail('GetSecretValue', { SecretName: 'q-two' });
      await otherSdk.ok('CreateSecret', { SecretName: 'q-one', SecretType: 'Generic', SecretValue: 'v' });
      await otherSdk.fail('CreateSecret', { SecretName: 'q-one', SecretType: 'Generic', SecretValue: 'v' });
      to = Date.now();
      await new Promise((r) => setTimeout(r, 5));
      await t.raw({ query: actionQuery('DescribeSecrets'), sign: false });
    });

    const names = (entries: Array<{ action: string | null; secretName: string | null; errorCode: string | null }>) =>
      entries.map((e) => `${e.action}:${e.secretName ?? ''}:${e.errorCode ?? 'ok'}`);

    it('by Action, secret, outcome and account, newest first', async () => {
      expect(names(await t.handle.audit.query({ action: 'GetSecretValue' }))).toEqual(['GetSecretValue:q-two:Not Found', 'GetSecretValue:q-one:ok']);
      expect(names(await t.handle.audit.query({ secretName: 'q-one' }))).toEqual([
        'CreateSecret:q-one:Conflict',
        'CreateSecret:q-one:ok',
        'GetSecretValue:q-one:ok',
        'CreateSecret:q-one:ok',
      ]);
      expect(names(await t.handle.audit.query({ outcome: 'error' }))).toEqual(['DescribeSecrets::MissingAuthenticationToken', 'CreateSecret:q-one:Conflict', 'GetSecretValue:q-two:Not Found']);
      expect(names(await t.handle.audit.query({ outcome: 'Conflict' }))).toEqual(['CreateSecret:q-one:Conflict']);
      expect(await t.handle.audit.query({ outcome: 'success' })).toHaveLength(3);
      const byOther = await t.handle.audit.query({ accountId: other.accountId });
      expect(byOther.map((e) => e.region)).toEqual(['ap-southeast-1', 'ap-southeast-1']);
    });

    it('by time range, with a limit and oldest first', async () => {
      expect(await t.handle.audit.query({ from, to })).toHaveLength(5);
      expect(names(await t.handle.audit.query({ from, to, order: 'oldest', limit: 2 }))).toEqual(['CreateSecret:q-one:ok', 'GetSecretValue:q-one:ok']);
      expect(names(await t.handle.audit.query({ from: to + 1 }))).toEqual(['DescribeSecrets::MissingAuthenticationToken']);
      expect(await t.handle.audit.query({ to: from - 1 })).toEqual([]);
    });

    it('through the control API, with ISO times', async () => {
      const result = await control.ok('GET', '/audit', { action: 'GetSecretValue', outcome: 'success', from: new Date(from).toISOString() });
      expect(result.count).toBe(1);
      expect(result.entries[0]).toMatchObject({ action: 'GetSecretValue', secretName: 'q-one', status: 200, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      const page = await control.ok('GET', '/audit', { from: String(from), to: String(to), limit: 2, order: 'oldest' });
      expect(names(page.entries)).toEqual(['CreateSecret:q-one:ok', 'GetSecretValue:q-one:ok']);
    });

    it.each([
      [{ outcome: 'maybe' }, 'outcome'],
      [{ from: 'yesterday' }, 'from'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 10_001 }, 'limit'],
      [{ order: 'random' }, 'order'],
      [{ Secret: 'q-one' }, 'Secret'],
    ])('refuses %j naming the parameter', async (params, parameter) => {
      const e = await control.fail('GET', '/audit', params);
      expect(e.Code).toBe('InvalidParameter');
      expect(e.Message).toMatch(new RegExp(`^The request parameter ${parameter} is invalid\\.`));
    });
  });
});

describe('audit log of the Huawei door', () => {
  it('records its requests too, told apart by Version', async () => {
    const h = await startHuaweiTestServer();
    try {
      const created = await h.a.fetch('POST', '/v1/{project_id}/secrets', { name: 'hw-audited', secret_string: 'hw-value' });
      expect(created.status).toBe(200);
      const refused = await h.a.fetch('GET', '/v1/{project_id}/secrets/hw-missing');
      expect(refused.status).toBe(404);
      const entries = await h.t.handle.audit.query({ order: 'oldest' });
      expect(entries).toEqual([
        expect.objectContaining({ version: 'huawei-csms-v1', action: 'CreateSecret', method: 'POST', accountId: h.a.accountId, status: 200, errorCode: null }),
        expect.objectContaining({ version: 'huawei-csms-v1', action: 'ShowSecret', method: 'GET', secretName: 'hw-missing', status: 404, errorCode: expect.any(String) }),
      ]);
      expect(JSON.stringify(entries)).not.toContain('hw-value');
    } finally {
      await h.close();
    }
  });
});

describe('audit log storage', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-audit-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never holds a secret value, in its rows or anywhere in the database files', async () => {
    const db = path.join(dir, 'values.db');
    const t = await startTestServer({ db });
    const marker = 'MARKER-7f3a9c-value';
    try {
      await t.sdk.ok('CreateSecret', { SecretName: 'marked', SecretType: 'Generic', SecretValue: `${marker}-1` });
      await t.sdk.ok('SetSecretValue', { SecretName: 'marked', SecretValue: `${marker}-2` }, 'form');
      await t.sdk.ok('GetSecretValue', { SecretName: 'marked' }, 'get');
      await t.sdk.ok('BatchGetSecretValue', { SecretNames: ['marked'] });
      const backup = await t.sdk.ok('BackupSecret', { SecretName: 'marked' });
      expect(backup).toBeDefined();
      await t.sdk.fail('CreateSecret', { SecretName: 'x', SecretType: 'Generic', SecretValue: `${marker}-3` });
      await t.sdk.fail('SetSecretValue', { SecretName: 'not-there', SecretValue: `${marker}-4` });
      await t.raw({ method: 'POST', query: actionQuery('SetSecretValue'), body: JSON.stringify({ SecretName: 'marked', SecretValue: `${marker}-5` }), headers: { 'Content-Type': 'application/json' }, credentials: { ...t.handle.credentials, secretAccessKey: 'wrong' } });
      const entries = await t.handle.audit.query({ limit: 1000 });
      expect(entries.length).toBeGreaterThanOrEqual(8);
      expect(JSON.stringify(entries)).not.toContain(marker);
    } finally {
      await t.handle.close();
    }
    const sqlite = new BetterSqlite3(db, { readonly: true });
    try {
      const rows = sqlite.prepare('select * from audit_log').all();
      expect(rows.length).toBeGreaterThanOrEqual(8);
      expect(JSON.stringify(rows)).not.toContain(marker);
    } finally {
      sqlite.close();
    }
    for (const file of fs.readdirSync(dir)) expect(fs.readFileSync(path.join(dir, file)).includes(marker)).toBe(false);
  });

  it('keeps refused-signature entries apart: 10,000 unsigned requests cannot evict an authenticated entry', async () => {
    const t = await startTestServer({ auditMaxRows: 50 });
    try {
      const real = (await t.sdk.call('CreateSecret', { SecretName: 'kept-in-audit', SecretType: 'Generic', SecretValue: 'v' })).ResponseMetadata.RequestId;
      await t.handle.audit.flush();
      // a flood 200 times the bound, concurrently, in batches
      for (let round = 0; round < 100; round++) {
        await Promise.all(Array.from({ length: 100 }, () => t.raw({ query: actionQuery('DescribeSecrets'), sign: false })));
      }
      expect((await t.handle.audit.query({ requestId: real })).map((e) => e.action)).toEqual(['CreateSecret']);
      const refused = await t.handle.audit.query({ outcome: 'MissingAuthenticationToken', limit: 10_000 });
      // a tenth of the bound is kept for them, the newest
      expect(refused).toHaveLength(5);
      expect(await t.handle.audit.count()).toBe(6);
    } finally {
      await t.handle.close();
    }
  });

  it('keeps only the newest entries beyond its bound, across flushes and restarts', async () => {
    const db = path.join(dir, 'bounded.db');
    let t = await startTestServer({ db, auditMaxRows: 50 });
    const ids: string[] = [];
    const burst = async (n: number) => {
      // one after another, so that the order of arrival is known
      for (let i = 0; i < n; i++) ids.push((await t.sdk.call('DescribeSecrets')).ResponseMetadata.RequestId);
    };
    try {
      await burst(30);
      await t.handle.audit.flush();
      await burst(45);
      await t.handle.audit.flush();
      expect(await t.handle.audit.count()).toBe(50);
    } finally {
      await t.handle.close();
    }
    t = await startTestServer({ db, auditMaxRows: 50 });
    try {
      await burst(25);
      expect(await t.handle.audit.count()).toBe(50);
      const kept = new Set((await t.handle.audit.query({ limit: 100 })).map((e) => e.requestId));
      expect(kept).toEqual(new Set(ids.slice(-50)));
    } finally {
      await t.handle.close();
    }
  });
});
