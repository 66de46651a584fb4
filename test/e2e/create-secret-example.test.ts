/**
 * The request example of the CreateSecret reference page, sent as written (parameters in the query,
 * Description and SecretValue in a JSON body, SignedHeaders=host;x-content-sha256;x-date), and the
 * answer checked against the page's response example.
 */
import { startTestServer, type TestServer } from '../support/server';

const SECRET_FIELDS = [
  'ID',
  'Trn',
  'UID',
  'SecretName',
  'SecretType',
  'SecretState',
  'ProjectName',
  'Description',
  'EncryptionKey',
  'ExtendedConfig',
  'Managed',
  'OwningService',
  'RotationState',
  'RotationInterval',
  'LastRotationTime',
  'ScheduleRotationTime',
  'ScheduleDeleteTime',
  'CreationDate',
  'UpdateDate',
];

describe('the CreateSecret page example', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.handle.close());

  it('is accepted as written and answers the documented shape', async () => {
    const query: Array<[string, string]> = [
      ['Action', 'CreateSecret'],
      ['Version', '2021-02-18'],
      ['SecretName', 'secret-9527'],
      ['ProjectName', 'default'],
      ['SecretType', 'Generic'],
      ['AutomaticRotation', 'true'],
      ['RotationInterval', '7d'],
    ];
    const body = '{\n  "Description": "test",\n  "SecretValue": "{\\"username\\":\\"root\\",\\"password\\":\\"123456\\"}"\n}';
    let signedHeaders = '';
    const res = await t.raw({
      method: 'POST',
      query,
      body,
      // signed: Host (X-Date and X-Content-Sha256 are added by the signer); Content-Type is sent unsigned
      headers: { Host: `127.0.0.1:${t.handle.port}` },
      tamper: (r) => {
        r.headers['Content-Type'] = 'application/json; charset=UTF-8';
        signedHeaders = /SignedHeaders=([^,]+)/.exec(r.headers.Authorization)![1];
      },
    });
    expect(signedHeaders).toBe('host;x-content-sha256;x-date');
    expect(res.status).toBe(200);
    expect(res.body.ResponseMetadata).toMatchObject({ Action: 'CreateSecret', Version: '2021-02-18', Service: 'kms', Region: 'cn-beijing' });

    const secret = res.body.Result.Secret;
    const account = t.handle.credentials.accountId;
    expect(Object.keys(res.body.Result)).toEqual(['Secret']);
    expect(Object.keys(secret).sort()).toEqual([...SECRET_FIELDS].sort());
    expect(secret).toMatchObject({
      SecretName: 'secret-9527',
      ProjectName: 'default',
      Description: 'test',
      SecretType: 'Generic',
      SecretState: 'Enable',
      Managed: false,
      ExtendedConfig: '',
      RotationState: 'None',
      RotationInterval: 0,
      UID: account,
      Trn: `trn:kms:cn-beijing:${account}:secrets/secret-9527`,
      EncryptionKey: '',
      OwningService: '',
      LastRotationTime: '',
      ScheduleRotationTime: '',
      ScheduleDeleteTime: '',
    });
    expect(secret.ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(typeof secret.CreationDate).toBe('number');
    expect(String(secret.CreationDate)).toMatch(/^\d{10}$/);
    expect(String(secret.UpdateDate)).toMatch(/^\d{13}$/);
    expect(Math.abs(secret.CreationDate * 1000 - Date.now())).toBeLessThan(60_000);
    expect(Math.floor(secret.UpdateDate / 1000)).toBe(secret.CreationDate);

    // the body's value is what was stored
    const value = await t.sdk.ok('GetSecretValue', { SecretName: 'secret-9527' });
    expect(value.SecretValue).toBe('{"username":"root","password":"123456"}');
    // and DescribeSecret answers the same 19 fields with the same values
    const described = await t.sdk.ok('DescribeSecret', { SecretName: 'secret-9527' });
    expect(described.Secret).toEqual(secret);
  });
});
