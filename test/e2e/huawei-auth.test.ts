/**
 * Huawei CSMS door authentication: X-Auth-Token (configured tokens scoped to a project) and AK/SK
 * SDK-HMAC-SHA256 signatures made by the official @huaweicloud/huaweicloud-sdk-core signer.
 * Missing or wrong credentials: 401; a project the caller does not own: 403; unknown routes: 404;
 * always a Huawei error body, never a Volcengine envelope.
 */
import { PassThrough } from 'node:stream';
import { formatXDate } from '../../src/signing/signature';
import { generateCredential } from '../../src';
import { actionQuery } from '../support/server';
import { huaweiFetch, huaweiSdk, officialSignature, rawHttp, startHuaweiTestServer, type HuaweiTestServer } from '../support/huawei';

describe('Huawei door authentication', () => {
  let s: HuaweiTestServer;
  const logs: string[] = [];
  beforeAll(async () => {
    const logStream = new PassThrough();
    logStream.on('data', (c: Buffer) => logs.push(c.toString('utf8')));
    s = await startHuaweiTestServer({ logLevel: 'debug', logStream });
    const created = await s.a.fetch('POST', '/v1/{project_id}/secrets', { name: 'guarded', secret_string: 'guarded-value' });
    expect(created.status).toBe(200);
  });
  afterAll(() => s.close());

  const path = (projectId: string, rest = '/secrets/guarded') => `/v1/${projectId}${rest}`;

  const expectUnauthorized = (res: { status: number; body: { error_code: string; error_msg: string } }, reason: RegExp) => {
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0301');
    expect(res.body.error_msg).toMatch(reason);
  };

  describe('X-Auth-Token', () => {
    it('lets the project token through on every route', async () => {
      expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/guarded')).status).toBe(200);
      expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/guarded/versions/latest')).body.version.secret_string).toBe('guarded-value');
      expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/guarded/backup')).status).toBe(200);
    });

    it('answers 401 without any credential, on every route', async () => {
      const routes: Array<[string, string, unknown]> = [
        ['POST', '/secrets', { name: 'x', secret_string: 'v' }],
        ['POST', '/secrets/restore', { secret_blob: 'x' }],
        ['GET', '/secrets/guarded', undefined],
        ['GET', '/secrets/guarded/versions/latest', undefined],
        ['GET', '/secrets/guarded/backup', undefined],
        ['DELETE', '/secrets/guarded', undefined],
      ];
      for (const [method, rest, body] of routes) {
        const res = await huaweiFetch(s.t.handle, method, path(s.a.projectId, rest), { body });
        expectUnauthorized(res, /neither an X-Auth-Token nor/);
      }
      expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/guarded')).status).toBe(200);
    });

    it('answers 401 to an unknown token without repeating it', async () => {
      const res = await huaweiFetch(s.t.handle, 'GET', path(s.a.projectId), { token: 'MIIT-not-a-configured-token' });
      expectUnauthorized(res, /X-Auth-Token is not valid/);
      expect(res.text).not.toContain('MIIT-not-a-configured-token');
    });

    it("answers 403 to a token used on another project's URL", async () => {
      const res = await huaweiFetch(s.t.handle, 'GET', path(s.a.projectId), { token: s.b.token });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error_code: 'APIGW.0302', error_msg: `The caller is not authorized to access project ${s.a.projectId}.` });
      const create = await huaweiFetch(s.t.handle, 'POST', path(s.a.projectId, '/secrets'), { token: s.b.token, body: { name: 'intruder', secret_string: 'v' } });
      expect(create.status).toBe(403);
      expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/intruder')).status).toBe(404);
    });

    it('answers 403 when X-Project-Id names another project than the URL', async () => {
      const res = await huaweiFetch(s.t.handle, 'GET', path(s.a.projectId), { token: s.a.token, headers: { 'X-Project-Id': s.b.projectId } });
      expect(res.status).toBe(403);
    });
  });

  describe('AK/SK (SDK-HMAC-SHA256, official signer)', () => {
    it('accepts the official SDK client on GET, POST and DELETE', async () => {
      expect((await s.a.sdk.call('POST', '/v1/{project_id}/secrets', { name: 'signed', secret_string: 'v' })).status).toBe(200);
      const got = await s.a.sdk.call('GET', '/v1/{project_id}/secrets/{secret_name}/versions/{version_id}', undefined, { secret_name: 'signed', version_id: 'latest' });
      expect(got.body.version.secret_string).toBe('v');
      expect((await s.a.sdk.call('DELETE', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'signed' })).status).toBe(204);
      expect((await s.a.sdk.call('GET', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'signed' })).status).toBe(404);
    });

    it('answers 401 to a wrong SK and to an unknown AK', async () => {
      const wrongSk = huaweiSdk(s.t.handle, { ak: s.a.credential.accessKeyId, sk: 'not-the-secret-key', projectId: s.a.projectId });
      expectUnauthorized(await wrongSk.call('GET', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'guarded' }), /signature does not match/);
      const stranger = generateCredential('2100000001');
      const unknownAk = huaweiSdk(s.t.handle, { ak: stranger.accessKeyId, sk: stranger.secretAccessKey, projectId: s.a.projectId });
      expectUnauthorized(await unknownAk.call('GET', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'guarded' }), new RegExp(`access key ${stranger.accessKeyId} is not valid`));
    });

    it("answers 403 to an AK whose account does not own the project, and to a project nobody configured", async () => {
      const bOnA = huaweiSdk(s.t.handle, { ak: s.b.credential.accessKeyId, sk: s.b.credential.secretAccessKey, projectId: s.a.projectId });
      const res = await bOnA.call('GET', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'guarded' });
      expect(res.status).toBe(403);
      expect(res.body.error_code).toBe('APIGW.0302');
      const nowhere = huaweiSdk(s.t.handle, { ak: s.a.credential.accessKeyId, sk: s.a.credential.secretAccessKey, projectId: 'ffffffffffffffffffffffffffffffff' });
      expect((await nowhere.call('POST', '/v1/{project_id}/secrets', { name: 'lost', secret_string: 'v' })).status).toBe(403);
    });

    it('answers 401 when the body, the path or a signed header changed after signing', async () => {
      const data = { name: 'tamper', secret_string: 'original' };
      const headers = officialSignature(s.t.handle, s.a.credential, { method: 'POST', path: path(s.a.projectId, '/secrets'), data });
      expect((await rawHttp(s.t.handle, 'POST', path(s.a.projectId, '/secrets'), headers, JSON.stringify({ ...data, secret_string: 'changed' }))).status).toBe(401);
      expect((await rawHttp(s.t.handle, 'POST', path(s.a.projectId, '/secrets/restore'), headers, JSON.stringify(data))).status).toBe(401);
      expect((await rawHttp(s.t.handle, 'POST', path(s.a.projectId, '/secrets'), { ...headers, 'content-type': 'text/plain' }, JSON.stringify(data))).status).toBe(401);
      // the untouched request goes through: the checks above failed for the change alone
      expect((await rawHttp(s.t.handle, 'POST', path(s.a.projectId, '/secrets'), headers, JSON.stringify(data))).status).toBe(200);
    });

    it('verifies query parameters the signer canonicalised (sorted, repeated, reserved characters)', async () => {
      const query = { b: ['2', '1'], a: 'x y/ü*', limit: '10' };
      const headers = officialSignature(s.t.handle, s.a.credential, { method: 'GET', path: path(s.a.projectId), query });
      const qs = 'b=2&b=1&a=x%20y%2F%C3%BC%2A&limit=10';
      expect((await rawHttp(s.t.handle, 'GET', `${path(s.a.projectId)}?${qs}`, headers)).status).toBe(200);
      expect((await rawHttp(s.t.handle, 'GET', `${path(s.a.projectId)}?${qs.replace('limit=10', 'limit=11')}`, headers)).status).toBe(401);
    });

    it('answers 401 to a stale X-Sdk-Date and to a missing one', async () => {
      const stale = formatXDate(Date.now() - 20 * 60_000);
      const headers = officialSignature(s.t.handle, s.a.credential, { method: 'GET', path: path(s.a.projectId), headers: { 'X-Sdk-Date': stale } });
      expectUnauthorized(await rawHttp(s.t.handle, 'GET', path(s.a.projectId), headers), /X-Sdk-Date is more than 15 minutes away/);
      const fresh = officialSignature(s.t.handle, s.a.credential, { method: 'GET', path: path(s.a.projectId) });
      const { ['X-Sdk-Date']: _date, ...withoutDate } = fresh;
      expectUnauthorized(await rawHttp(s.t.handle, 'GET', path(s.a.projectId), withoutDate), /X-Sdk-Date header is missing/);
    });

    it('answers 401 to another signing algorithm (a Volcengine signature)', async () => {
      const res = await s.t.raw({ method: 'GET', path: path(s.a.projectId) });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: the Authorization header must use SDK-HMAC-SHA256.' });
    });
  });

  describe('routing', () => {
    it('answers unknown /v1 routes with 404 APIGW.0101 before authentication', async () => {
      for (const [method, p] of [
        ['GET', '/v1'],
        ['GET', `/v1/${s.a.projectId}/secrets`],
        ['PUT', `/v1/${s.a.projectId}/secrets/guarded`],
        ['GET', `/v1/${s.a.projectId}/secrets/guarded/versions`],
        ['POST', `/v1/${s.a.projectId}/keys`],
      ]) {
        const res = await huaweiFetch(s.t.handle, method, p);
        expect({ method, p, status: res.status, code: res.body.error_code }).toEqual({ method, p, status: 404, code: 'APIGW.0101' });
      }
    });

    it('never hands /v1 requests to the Volcengine API, even with Action and Version', async () => {
      const res = await s.t.raw({ method: 'POST', path: `/v1/${s.a.projectId}/secrets`, query: actionQuery('CreateSecret'), body: '{}' });
      expect(res.body).not.toHaveProperty('ResponseMetadata');
      expect(res.body).toHaveProperty('error_code');
      // and the Volcengine API still answers on its own path
      expect((await s.a.volc.ok('DescribeSecret', { SecretName: 'guarded' })).Secret.SecretName).toBe('guarded');
    });

    it('refuses a secret_name or version_id outside the CSMS pattern with 400', async () => {
      expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/bad%20name')).body.error_code).toBe('CSMS.0002');
      expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/guarded/versions/v%2F1')).body.error_code).toBe('CSMS.0002');
      expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/%E0%A4%A')).status).toBe(400);
    });
  });

  it('keeps tokens, secret keys, signatures and values out of the logs', async () => {
    const text = logs.join('');
    expect(text).toContain('huawei request');
    for (const secret of [s.a.token, s.b.token, s.a.credential.secretAccessKey, 'guarded-value']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Signature=/);
  });
});
