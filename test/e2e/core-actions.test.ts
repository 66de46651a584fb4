/**
 * The five Actions of issue 2 (CreateSecret, DescribeSecret, DescribeSecrets, UpdateSecret,
 * GetSecretValue) through each way the official Node SDK can send them, and their documented errors.
 * The SDK resolves errors instead of throwing, so HTTP statuses are asserted with `raw` (our signer).
 */
import { actionQuery, startTestServer, type Mode, type TestServer } from '../support/server';

const MODES: Mode[] = ['json', 'get', 'form'];

describe('core Actions in every SDK mode', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.handle.close());

  describe.each(MODES)('mode %s', (mode) => {
    const name = `core-${mode}`;

    it('CreateSecret answers the created Secret', async () => {
      const result = await t.sdk.ok(
        'CreateSecret',
        { SecretName: name, SecretType: 'Generic', SecretValue: `value of ${mode} & more`, Description: `made by ${mode}` },
        mode,
      );
      expect(result.Secret).toMatchObject({
        SecretName: name,
        SecretType: 'Generic',
        SecretState: 'Enable',
        ProjectName: 'default',
        Description: `made by ${mode}`,
        UID: t.handle.credentials.accountId,
        Trn: `trn:kms:cn-beijing:${t.handle.credentials.accountId}:secrets/${name}`,
      });
    });

    it('CreateSecret coerces text booleans and intervals (IAM with rotation)', async () => {
      const result = await t.sdk.ok(
        'CreateSecret',
        {
          SecretName: `${name}-iam`,
          SecretType: 'IAM',
          SecretValue: JSON.stringify({ AccessKeys: [{ AccessKeyId: 'AKLTuser', AccessKeySecret: 'c2VjcmV0' }] }),
          ExtendedConfig: JSON.stringify({ UserName: 'alice', SecretSubType: 'IAMUserAccessKey' }),
          AutomaticRotation: true,
          RotationInterval: '7d',
        },
        mode,
      );
      expect(result.Secret.RotationState).toBe('Enable');
      expect(result.Secret.RotationInterval).toBe(604800);
    });

    it('values with reserved and non-ASCII characters round-trip', async () => {
      const weird = `a+b c&d=e%f'g*h!(i)~ 密码 😀 \\ " / ? #`;
      const created = await t.sdk.ok('CreateSecret', { SecretName: `${name}-chars`, SecretType: 'Generic', SecretValue: weird, Description: weird }, mode);
      expect(created.Secret.Description).toBe(weird);
      expect((await t.sdk.ok('GetSecretValue', { SecretName: `${name}-chars` }, mode)).SecretValue).toBe(weird);
    });

    it('DescribeSecret answers the same Secret', async () => {
      const result = await t.sdk.ok('DescribeSecret', { SecretName: name }, mode);
      expect(result.Secret.SecretName).toBe(name);
      expect(result.Secret.Description).toBe(`made by ${mode}`);
    });

    it('GetSecretValue answers the CURRENT value', async () => {
      const result = await t.sdk.ok('GetSecretValue', { SecretName: name }, mode);
      expect(result.SecretValue).toBe(`value of ${mode} & more`);
      expect(result.VersionStage).toBe('CURRENT');
      expect(result.VersionID).toMatch(/^[0-9a-f-]{36}$/);
      expect(String(result.CreationDate)).toMatch(/^\d{10}$/);
    });

    it('UpdateSecret changes the description and answers an empty Result', async () => {
      const before = (await t.sdk.ok('DescribeSecret', { SecretName: name })).Secret;
      await t.handle.clock.advance(1500);
      const result = await t.sdk.ok('UpdateSecret', { SecretName: name, Description: `updated by ${mode}` }, mode);
      expect(result).toEqual({});
      const after = (await t.sdk.ok('DescribeSecret', { SecretName: name })).Secret;
      expect(after.Description).toBe(`updated by ${mode}`);
      expect(after.UpdateDate).toBeGreaterThanOrEqual(before.UpdateDate + 1500);
      expect(after.CreationDate).toBe(before.CreationDate);
    });

    it('DescribeSecrets pages with integers given as text', async () => {
      const result = await t.sdk.ok('DescribeSecrets', { PageSize: 2, CurrentPage: 1 }, mode);
      expect(result.Secrets).toHaveLength(2);
      expect(result.PageInfo).toEqual({ Count: 2, CurrentPage: 1, PageSize: 2, TotalCount: expect.any(Number) });
      expect(result.PageInfo.TotalCount).toBeGreaterThanOrEqual(2);
    });

    it.each(['DescribeSecret', 'GetSecretValue', 'UpdateSecret'])('%s of an unknown secret is Not Found', async (action) => {
      const error = await t.sdk.fail(action, { SecretName: 'no-such-secret', Description: 'x' }, mode);
      expect(error).toEqual({ CodeN: 0, Code: 'Not Found', Message: 'Not found secret [no-such-secret].' });
    });

    it('CreateSecret of a taken name in the same project is Conflict', async () => {
      const error = await t.sdk.fail('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: 'again' }, mode);
      expect(error).toEqual({ CodeN: 0, Code: 'Conflict', Message: `The secret resource ${name} is conflict.` });
    });

    it('CreateSecret of a taken name in another project is ProjectConflict', async () => {
      const error = await t.sdk.fail(
        'CreateSecret',
        { SecretName: name, SecretType: 'Generic', SecretValue: 'again', ProjectName: 'other-project' },
        mode,
      );
      expect(error).toEqual({ CodeN: 0, Code: 'ProjectConflict', Message: `The secret [${name}] already exists in one project.` });
      // the refused call changed nothing
      expect((await t.sdk.ok('GetSecretValue', { SecretName: name })).SecretValue).toBe(`value of ${mode} & more`);
    });

    it('a missing required parameter is MissingParameter', async () => {
      const error = await t.sdk.fail('CreateSecret', { SecretType: 'Generic', SecretValue: 'v' }, mode);
      expect(error).toEqual({ CodeN: 100002, Code: 'MissingParameter', Message: 'The request is missing SecretName parameter.' });
      const describe = await t.sdk.fail('DescribeSecret', {}, mode);
      expect(describe.Message).toBe('The request is missing SecretName parameter.');
    });

    it('a bad parameter is InvalidParameter naming it', async () => {
      const error = await t.sdk.fail('CreateSecret', { SecretName: 'ok-name', SecretType: 'Vault', SecretValue: 'v' }, mode);
      expect(error.Code).toBe('InvalidParameter');
      expect(error.Message).toMatch(/^The request parameter SecretType is invalid\. SecretType must be one of: Generic, IAM, RDS, Redis, ECS, PGSQL, SQLServer\.$/);
      const paging = await t.sdk.fail('DescribeSecrets', { PageSize: 'many' }, mode);
      expect(paging.Message).toMatch(/^The request parameter PageSize is invalid\. /);
      await expect(t.sdk.fail('DescribeSecret', { SecretName: 'ok-name' }, mode)).resolves.toMatchObject({ Code: 'Not Found' });
    });
  });

  it('UpdateSecret without Description changes nothing; with an empty one clears it', async () => {
    await t.sdk.ok('CreateSecret', { SecretName: 'update-edges', SecretType: 'Generic', SecretValue: 'v', Description: 'first' });
    const before = (await t.sdk.ok('DescribeSecret', { SecretName: 'update-edges' })).Secret;
    expect(await t.sdk.ok('UpdateSecret', { SecretName: 'update-edges' })).toEqual({});
    expect((await t.sdk.ok('DescribeSecret', { SecretName: 'update-edges' })).Secret).toEqual(before);
    await t.sdk.ok('UpdateSecret', { SecretName: 'update-edges', Description: '' });
    expect((await t.sdk.ok('DescribeSecret', { SecretName: 'update-edges' })).Secret.Description).toBe('');
    const tooLong = await t.sdk.fail('UpdateSecret', { SecretName: 'update-edges', Description: 'd'.repeat(8193) });
    expect(tooLong.Message).toMatch(/^The request parameter Description is invalid\. Description must be at most 8192 characters\.$/);
  });

  it('a GET with optional parameters left undefined (sent as "Key=") takes the defaults', async () => {
    const optional = { Description: undefined, ProjectName: undefined, AutomaticRotation: undefined, RotationInterval: undefined, ExtendedConfig: undefined, EncryptionKey: undefined, VersionName: undefined };
    const result = await t.sdk.ok('CreateSecret', { SecretName: 'undefined-get', SecretType: 'Generic', SecretValue: 'v', ...optional }, 'get');
    expect(result.Secret).toMatchObject({ ProjectName: 'default', Description: '', ExtendedConfig: '', EncryptionKey: '', RotationState: 'None' });
  });

  it('the largest SecretValue (30720 bytes of CJK) fits in a GET query', async () => {
    const value = '密'.repeat(10240);
    await t.sdk.ok('CreateSecret', { SecretName: 'largest-get', SecretType: 'Generic', SecretValue: value }, 'get');
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'largest-get' }, 'get')).SecretValue).toBe(value);
  });

  it('a parameter in both the query and the JSON body takes the body value', async () => {
    const res = await t.raw({
      method: 'POST',
      query: actionQuery('CreateSecret', { SecretName: 'from-query', SecretType: 'Generic', SecretValue: 'q' }),
      body: JSON.stringify({ SecretName: 'from-body' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(res.body.Result.Secret.SecretName).toBe('from-body');
    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'from-query' })).Code).toBe('Not Found');
  });

  it('a repeated query parameter is refused naming it', async () => {
    const res = await t.raw({ query: [...actionQuery('DescribeSecret'), ['SecretName', 'a1'], ['SecretName', 'b1']] });
    expect(res.status).toBe(400);
    expect(res.body.ResponseMetadata.Error?.Message).toMatch(/^The request parameter SecretName is invalid\./);
  });

  it('a GET boolean that is not true/false is refused naming the parameter', async () => {
    const error = await t.sdk.fail(
      'CreateSecret',
      { SecretName: 'bool-text', SecretType: 'Generic', SecretValue: 'v', AutomaticRotation: 'yes' },
      'get',
    );
    expect(error.Code).toBe('InvalidParameter');
    expect(error.Message).toMatch(/^The request parameter AutomaticRotation is invalid\. AutomaticRotation must be a boolean/);
  });

  it('a JSON body parameter of the wrong type is refused naming the parameter', async () => {
    const error = await t.sdk.fail('CreateSecret', { SecretName: 'num-value', SecretType: 'Generic', SecretValue: 42 });
    expect(error.Message).toBe('The request parameter SecretValue is invalid. SecretValue must be a string.');
    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'num-value' })).Code).toBe('Not Found');
  });

  describe('HTTP statuses of the documented errors', () => {
    beforeAll(async () => {
      await t.sdk.ok('CreateSecret', { SecretName: 'status-held', SecretType: 'Generic', SecretValue: 'v' });
    });

    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['DescribeSecret', { SecretName: 'status-missing' }, 404, 'Not Found'],
      ['GetSecretValue', { SecretName: 'status-missing' }, 404, 'Not Found'],
      ['UpdateSecret', { SecretName: 'status-missing', Description: 'd' }, 404, 'Not Found'],
      ['CreateSecret', { SecretName: 'status-held', SecretType: 'Generic', SecretValue: 'v' }, 409, 'Conflict'],
      ['CreateSecret', { SecretName: 'status-held', SecretType: 'Generic', SecretValue: 'v', ProjectName: 'p2' }, 409, 'ProjectConflict'],
      ['CreateSecret', { SecretType: 'Generic', SecretValue: 'v' }, 400, 'MissingParameter'],
      ['CreateSecret', { SecretName: 'x', SecretType: 'Generic', SecretValue: 'v' }, 400, 'InvalidParameter'],
    ];
    it.each(cases)('%s %j → %i %s', async (action, params, status, code) => {
      const res = await t.raw({ query: actionQuery(action, params) });
      expect(res.status).toBe(status);
      expect(res.body.ResponseMetadata.Error?.Code).toBe(code);
      expect(res.body.ResponseMetadata.Action).toBe(action);
      expect(res.body.Result).toBeUndefined();
    });

    it('success is 200 with Result', async () => {
      const res = await t.raw({ query: actionQuery('DescribeSecret', { SecretName: 'status-held' }) });
      expect(res.status).toBe(200);
      expect(res.body.Result.Secret.SecretName).toBe('status-held');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    });
  });
});
