/**
 * A value comes back exactly as it was sent, or it is refused: text that UTF-8 cannot carry (lone
 * surrogates, invalid bytes, broken percent-encoding) is never silently replaced with U+FFFD.
 */
import { actionQuery, startTestServer, type TestServer } from '../support/server';

describe('text integrity of stored values', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.handle.close());

  async function exists(name: string): Promise<boolean> {
    const res = await t.sdk.call('DescribeSecret', { SecretName: name });
    return !res.ResponseMetadata.Error;
  }

  it('round-trips astral characters (surrogate pairs) and CJK exactly', async () => {
    const value = 'pässwörd 密码 🔐🗝️';
    await t.sdk.ok('CreateSecret', { SecretName: 'text-ok', SecretType: 'Generic', SecretValue: value });
    for (const mode of ['json', 'get'] as const) {
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'text-ok' }, mode)).SecretValue).toBe(value);
    }
  });

  it('refuses a JSON value with a lone surrogate, naming the parameter', async () => {
    const body = '{"SecretName":"text-lone","SecretType":"Generic","SecretValue":"a\\ud800b"}';
    const res = await t.raw({ query: actionQuery('CreateSecret'), body, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.ResponseMetadata.Error).toMatchObject({ Code: 'InvalidParameter' });
    expect(res.body.ResponseMetadata.Error!.Message).toMatch(/^The request parameter SecretValue is invalid\. .*surrogate/);
    expect(await exists('text-lone')).toBe(false);
  });

  it('refuses a JSON body that is not UTF-8', async () => {
    const bodyBytes = Buffer.concat([
      Buffer.from('{"SecretName":"text-bytes","SecretType":"Generic","SecretValue":"a'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('b"}'),
    ]);
    const res = await t.raw({ query: actionQuery('CreateSecret'), bodyBytes, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.ResponseMetadata.Error!.Message).toBe('The request parameter Body is invalid. It is not valid UTF-8.');
    expect(await exists('text-bytes')).toBe(false);
  });

  it('refuses a form body with broken percent-encoding, naming the parameter', async () => {
    const res = await t.raw({
      query: actionQuery('CreateSecret'),
      body: 'SecretName=text-form&SecretType=Generic&SecretValue=a%FFb',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(res.body.ResponseMetadata.Error!.Message).toMatch(/^The request parameter SecretValue is invalid\. It is not valid percent-encoded UTF-8\./);
    expect(await exists('text-form')).toBe(false);
  });

  describe('U+0000 (NUL): refused in stored text, harmless in lookups, on SQLite and PostgreSQL alike', () => {
    it('refuses it in a Description or an ExtendedConfig, naming the parameter; a value may hold it', async () => {
      for (const [params, parameter] of [
        [{ SecretName: 'text-nul-d', SecretType: 'Generic', SecretValue: 'v', Description: 'a\u0000b' }, 'Description'],
        [{ SecretName: 'text-nul-e', SecretType: 'Generic', SecretValue: 'v', ExtendedConfig: 'x\u0000' }, 'ExtendedConfig'],
      ] as const) {
        const e = await t.sdk.fail('CreateSecret', params);
        expect(e).toMatchObject({ Code: 'InvalidParameter', Message: `The request parameter ${parameter} is invalid. It must not contain the NUL character (U+0000).` });
        expect(await exists(params.SecretName)).toBe(false);
      }
      await t.sdk.ok('CreateSecret', { SecretName: 'text-nul-v', SecretType: 'Generic', SecretValue: 'a\u0000b' });
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'text-nul-v' })).SecretValue).toBe('a\u0000b');
      const e = await t.sdk.fail('UpdateSecret', { SecretName: 'text-nul-v', Description: '\u0000' });
      expect(e.Message).toBe('The request parameter Description is invalid. It must not contain the NUL character (U+0000).');
    });

    it('a lookup or a filter holding it finds nothing instead of failing', async () => {
      expect((await t.sdk.fail('GetSecretValue', { SecretName: 'text-nul-v', VersionID: 'a\u0000' })).Code).toBe('Not Found');
      expect((await t.sdk.fail('GetSecretValue', { SecretName: 'text-nul-v', VersionName: 'ab\u0000' })).Code).toMatch(/^(Not Found|InvalidParameter)$/);
      const page = await t.sdk.ok('DescribeSecrets', { Filters: JSON.stringify([{ Key: 'Description', Values: ['\u0000'] }]) });
      expect(page.PageInfo.TotalCount).toBe(0);
      // and the audit log, which records the request, keeps working
      await t.handle.audit.flush();
      expect(await t.handle.audit.count()).toBeGreaterThan(0);
    });
  });
});
