/**
 * DownloadSecretBlob / UploadSecretBlob through the Huawei door: backup → delete → restore gives the
 * same secret back (every version, stage and byte); the blob leaks no plaintext; altered, truncated,
 * foreign and other-server blobs are refused with a 400 and change nothing.
 */
import { startTestServer } from '../support/server';
import { startHuaweiTestServer, type HuaweiTestServer } from '../support/huawei';

/** The request example of the UploadSecretBlob seed page, as written. */
const SEED_PAGE_BLOB =
  ')CloudSecretManagementBackupV1.comeyJraWQiOiI5ZjNlZmRjNS0zZjVlLTRiZWQtYThkMS05NjE2ZTUwNDQzYWIiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiUlNBLU9BRVAtMjU2In0.CtrOcFMSeW_qMdQjgKzNaWtC6hkSTdjOSMSr2IOKNa8OpbJH8rOaCt9l4LYLHKw8CF70YLWOODgaYrLiWuHgdR-O9hlALkT6CbXxJ-Cbmf6qpJF61kXKHX4TBe6-oV8t4PaPaSDDR_oeyt4Xl2EOOlHxs9PnU1st9Fkd7wOHNa4ueM16Ze5ICEdQK3cN1hnelid0zlb1qq58KhsSroNeI8B5RnoYDB-0eiFWD0XWJLppgkLnewXpuPLmLN_c558yUQ0u0VoUyBGB6EFePPbbT-Z1_LUCSRyiP9Y2S0Vz5jzzeabWZ4vZkW8JX57Wc-onHplUpsUUpIqcdHLjp40NEQ.VtA6Sg--jeA1QavYxY9z7Q.Mr6dLyontoJCaDaRFMAYg_qUdEPzd-aIIrCHWH7wvYayNpSFUjR5QJd3XPpGGy93y22jN-DoHZHclgMeureQwKq39QQF0xIdRqhOR2Lxy69PkgRaNtpz7ikLOlsbjh1wd7mbSmyolsK_0t1X9OlvOSmUMjxUXpXLzqLXxPY0R_MUxEanHb3V_vsLArF9sN1X7Km-fdUKXTV1EzVUq1eC5aSYqg3rGkLHPHG6lPXOetPWNsVCE1bX0Voh0XnlyFLSSoYzX45l04hR8JXgcP42FXfD7GugcNi7jTKuvxu4l2Q2v7wnk';

const TEXT_VALUE = 'backup-plaintext-marker-7f3a';
const BINARY_VALUE = Buffer.from('binary-plaintext-marker-\u0000\u00ff-9c1e', 'latin1');

describe('Huawei DownloadSecretBlob / UploadSecretBlob', () => {
  let s: HuaweiTestServer;
  let blob: string;
  let original: { id: string; create_time: number; description: string };
  let versionIds: string[];

  beforeAll(async () => {
    s = await startHuaweiTestServer();
    const created = await s.a.sdk.call('POST', '/v1/{project_id}/secrets', { name: 'kept', secret_binary: BINARY_VALUE.toString('base64'), description: 'to be restored' });
    original = created.body.secret;
    const v2 = await s.a.volc.ok('SetSecretValue', { SecretName: 'kept', SecretValue: TEXT_VALUE });
    const first = await s.a.volc.ok('DescribeSecretVersions', { SecretName: 'kept' });
    versionIds = first.SecretVersions.map((v: { VersionID: string }) => v.VersionID);
    expect(versionIds).toContain(v2.VersionID);
    const downloaded = await s.a.sdk.call('GET', '/v1/{project_id}/secrets/{secret_name}/backup', undefined, { secret_name: 'kept' });
    expect(downloaded.status).toBe(200);
    expect(Object.keys(downloaded.body)).toEqual(['secret_blob']);
    blob = downloaded.body.secret_blob;
  });
  afterAll(() => s.close());

  const upload = (tenant: HuaweiTestServer['a'], body: unknown) => tenant.fetch('POST', '/v1/{project_id}/secrets/restore', body);
  const secretCount = async () => (await s.a.volc.ok('DescribeSecrets', { PageSize: 1 })).TotalCount as number;

  it('gives a prefixed, dotted, versioned blob that holds no plaintext', () => {
    expect(blob.startsWith(')VolcSecretsLocalBackupV1.')).toBe(true);
    const parts = blob.slice(')VolcSecretsLocalBackupV1.'.length).split('.');
    expect(parts).toHaveLength(4);
    expect(JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'))).toMatchObject({ typ: 'volc-secrets-local/csms-blob', v: 1 });
    const everything = [blob, ...parts.map((p) => Buffer.from(p, 'base64url').toString('latin1'))].join('\n');
    for (const needle of [TEXT_VALUE, 'binary-plaintext-marker', BINARY_VALUE.toString('base64'), Buffer.from(TEXT_VALUE).toString('base64'), 'to be restored']) {
      expect(everything).not.toContain(needle);
    }
  });

  it('backup → delete → restore gives back the same secret, every version, stage and byte; the answer holds no value', async () => {
    expect((await s.a.sdk.call('DELETE', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'kept' })).status).toBe(204);
    expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/kept')).status).toBe(404);

    const restored = await s.a.sdk.call('POST', '/v1/{project_id}/secrets/restore', { secret_blob: blob });
    expect(restored.status).toBe(200);
    expect(Object.keys(restored.body)).toEqual(['secret']);
    expect(restored.body.secret).toMatchObject({ id: original.id, name: 'kept', state: 'ENABLED', description: 'to be restored', create_time: original.create_time, secret_type: 'COMMON' });
    const answer = JSON.stringify(restored.body);
    expect(answer).not.toContain(TEXT_VALUE);
    expect(answer).not.toContain('secret_string');
    expect(answer).not.toContain('secret_binary');

    const latest = (await s.a.fetch('GET', '/v1/{project_id}/secrets/kept/versions/latest')).body.version;
    expect(latest).toMatchObject({ secret_string: TEXT_VALUE, version_metadata: { version_stages: ['SYSCURRENT'] } });
    const older = versionIds.find((id) => id !== latest.version_metadata.id) as string;
    const previous = (await s.a.fetch('GET', `/v1/{project_id}/secrets/kept/versions/${older}`)).body.version;
    expect(previous.version_metadata.version_stages).toEqual(['SYSPREVIOUS']);
    expect(Buffer.from(previous.secret_binary, 'base64').equals(BINARY_VALUE)).toBe(true);
    expect((await s.a.volc.ok('GetSecretValue', { SecretName: 'kept' }, 'get')).SecretValue).toBe(TEXT_VALUE);
  });

  it('refuses to restore over an existing name with 400 CSMS.0201', async () => {
    const res = await upload(s.a, { secret_blob: blob });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('CSMS.0201');
  });

  it('refuses blobs that are not ours, altered or truncated with 400 naming secret_blob, creating nothing', async () => {
    await s.a.sdk.call('DELETE', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'kept' });
    const before = await secretCount();
    const prefix = ')VolcSecretsLocalBackupV1.';
    const parts = blob.slice(prefix.length).split('.');
    const flip = (part: string) => (part[5] === 'A' ? part.slice(0, 5) + 'B' + part.slice(6) : part.slice(0, 5) + 'A' + part.slice(6));
    const withPart = (i: number, value: string) => prefix + parts.map((p, j) => (j === i ? value : p)).join('.');
    const cases: Array<[string, string, RegExp]> = [
      ['the seed page example (a Huawei Cloud blob)', SEED_PAGE_BLOB, /must start with \)VolcSecretsLocalBackupV1\./],
      ['no prefix', parts.join('.'), /must start with/],
      ['a part missing', prefix + parts.slice(0, 3).join('.'), /truncated or malformed/],
      ['cut short', blob.slice(0, blob.length - 40), /altered, truncated/],
      ['a changed header', withPart(0, Buffer.from('{"typ":"other","v":2}').toString('base64url')), /header/],
      ['a changed data key', withPart(1, flip(parts[1])), /altered, truncated/],
      ['a changed payload', withPart(2, flip(parts[2])), /altered, truncated/],
      ['a changed signature', withPart(3, flip(parts[3])), /altered, truncated/],
      ['a stray character', blob + '!', /truncated or malformed/],
    ];
    for (const [label, secretBlob, message] of cases) {
      const res = await upload(s.a, { secret_blob: secretBlob });
      expect({ label, status: res.status, code: res.body.error_code }).toEqual({ label, status: 400, code: 'CSMS.0002' });
      expect(res.body.error_msg).toContain('secret_blob');
      expect(res.body.error_msg).toMatch(message);
    }
    for (const body of [{}, { secret_blob: '' }, { secret_blob: 42 }, { secret_blob: blob, extra: 1 }]) {
      const res = await upload(s.a, body);
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('CSMS.0002');
    }
    expect(await secretCount()).toBe(before);
    // the genuine blob still restores
    expect((await upload(s.a, { secret_blob: blob })).status).toBe(200);
  });

  it("refuses another account's blob, and a blob from a server with another master key", async () => {
    const b = await upload(s.b, { secret_blob: blob });
    expect(b.status).toBe(400);
    expect(b.body.error_msg).toMatch(/another account/);
    expect((await s.b.fetch('GET', '/v1/{project_id}/secrets/kept')).status).toBe(404);

    const other = await startTestServer({ credentials: [s.a.credential], huaweiTokens: `${s.a.token}:${s.a.projectId}:${s.a.accountId}:cn-beijing` });
    try {
      const res = await fetch(`${other.handle.url}/v1/${s.a.projectId}/secrets/restore`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Auth-Token': s.a.token },
        body: JSON.stringify({ secret_blob: blob }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error_msg: string }).error_msg).toMatch(/another master key/);
    } finally {
      await other.handle.close();
    }
  });

  it('backs up and restores the largest secret: 100 versions of 30 KiB', async () => {
    const values = Array.from({ length: 100 }, (_, i) => `${i}:`.padEnd(30720, String.fromCharCode(97 + (i % 26))));
    await s.a.volc.ok('CreateSecret', { SecretName: 'largest', SecretType: 'Generic', SecretValue: values[0] });
    for (const value of values.slice(1)) await s.a.volc.ok('SetSecretValue', { SecretName: 'largest', SecretValue: value });
    const downloaded = await s.a.fetch('GET', '/v1/{project_id}/secrets/largest/backup');
    expect(downloaded.status).toBe(200);
    expect(downloaded.body.secret_blob.length).toBeGreaterThan(5 * 1024 * 1024);
    await s.a.fetch('DELETE', '/v1/{project_id}/secrets/largest');
    expect((await upload(s.a, { secret_blob: downloaded.body.secret_blob })).status).toBe(200);
    const versions = await s.a.volc.ok('DescribeSecretVersions', { SecretName: 'largest', PageSize: 100 });
    expect(versions.PageInfo.TotalCount).toBe(100);
    expect((await s.a.fetch('GET', '/v1/{project_id}/secrets/largest/versions/latest')).body.version.secret_string).toBe(values[99]);
  });

  it('answers 404 for a missing secret and 400 CSMS.0103 for one pending deletion', async () => {
    const missing = await s.a.fetch('GET', '/v1/{project_id}/secrets/nothing-here/backup');
    expect(missing.status).toBe(404);
    await s.a.fetch('POST', '/v1/{project_id}/secrets', { name: 'pending', secret_string: 'v' });
    await s.a.volc.ok('ScheduleSecretDeletion', { SecretName: 'pending' });
    const pending = await s.a.fetch('GET', '/v1/{project_id}/secrets/pending/backup');
    expect(pending.status).toBe(400);
    expect(pending.body.error_code).toBe('CSMS.0103');
  });
});
