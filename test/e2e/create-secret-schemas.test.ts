/**
 * Every CreateSecret rule, accepted and refused, for each SecretType. A refusal must be a 400 with
 * InvalidParameter (MissingParameter for an absent required parameter), a message that names the
 * parameter and says what is wrong, and must create nothing.
 */
import { actionQuery, startTestServer, type TestServer } from '../support/server';

type Params = Record<string, unknown>;

const json = (v: unknown) => JSON.stringify(v);
const CJK = '密'; // 1 character, 3 bytes in UTF-8

const iam = (keys: unknown[], config: Params = { UserName: 'alice', SecretSubType: 'IAMUserAccessKey' }): Params => ({
  SecretType: 'IAM',
  SecretValue: json({ AccessKeys: keys }),
  ExtendedConfig: json(config),
});
const KEY = { AccessKeyId: 'AKLTaaaa', AccessKeySecret: 'c2VjcmV0YQ==' };
const KEY2 = { AccessKeyId: 'AKLTbbbb', AccessKeySecret: 'c2VjcmV0Yg==' };

const db = (type: 'RDS' | 'Redis' | 'PGSQL' | 'SQLServer', subType: string, accounts: unknown[], config: Params = {}): Params => ({
  SecretType: type,
  SecretValue: json({ Accounts: accounts }),
  ExtendedConfig: json({ DBInstanceId: 'instance-1', SecretSubType: subType, ...config }),
});
const ROOT = { AccountName: 'root', AccountPassword: 'p@ss-1' };
const STANDBY = { AccountName: 'root_standby', AccountPassword: 'p@ss-2' };

const ecs = (subType: string, value: Params, config: Params = { InstanceId: 'i-123' }): Params => ({
  SecretType: 'ECS',
  SecretValue: json(value),
  ExtendedConfig: json({ ...config, SecretSubType: subType }),
});
const PASSWORD = { UserName: 'root', Password: 'Pa55word!' };
const SSH = { UserName: 'root', PublicKey: 'ssh-ed25519 AAAAC3Nza root@host', PrivateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----' };

const generic = (extra: Params = {}): Params => ({ SecretType: 'Generic', SecretValue: 'plain value', ...extra });

describe('CreateSecret rules', () => {
  let t: TestServer;
  let counter = 0;
  const nextName = () => `rule-${++counter}`;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.handle.close());

  async function total(): Promise<number> {
    return (await t.sdk.ok('DescribeSecrets', { PageSize: 1 })).PageInfo.TotalCount;
  }

  /** Sends with our signer as a JSON POST (to see the HTTP status) and checks nothing was created. */
  async function expectRefused(params: Params, parameter: string, detail?: RegExp, code = 'InvalidParameter'): Promise<string> {
    const name = typeof params.SecretName === 'string' ? params.SecretName : undefined;
    const before = await total();
    const res = await t.raw({
      method: 'POST',
      query: actionQuery('CreateSecret'),
      body: JSON.stringify(params),
      headers: { 'Content-Type': 'application/json' },
    });
    const error = res.body.ResponseMetadata.Error;
    expect({ status: res.status, code: error?.Code }).toEqual({ status: 400, code });
    if (code === 'MissingParameter') {
      expect(error?.Message).toBe(`The request is missing ${parameter} parameter.`);
    } else {
      const prefix = `The request parameter ${parameter} is invalid. `;
      expect(error?.Message.startsWith(prefix)).toBe(true);
      expect(error!.Message.length).toBeGreaterThan(prefix.length + 5);
      if (detail) expect(error?.Message.slice(prefix.length)).toMatch(detail);
    }
    expect(await total()).toBe(before);
    if (name && /^[a-zA-Z0-9_-]{1,128}$/.test(name)) {
      expect((await t.sdk.fail('DescribeSecret', { SecretName: name })).Code).toBe('Not Found');
    }
    return error!.Message;
  }

  async function expectAccepted(params: Params) {
    const result = await t.sdk.ok('CreateSecret', params);
    const value = await t.sdk.ok('GetSecretValue', { SecretName: result.Secret.SecretName });
    expect(value.SecretValue).toBe(params.SecretValue);
    return result.Secret;
  }

  describe('SecretName', () => {
    it.each([
      ['2 characters', 'ab'],
      ['31 characters', 'n'.repeat(31)],
      ['letters, digits, - and _', 'Az09_-mixed'],
    ])('%s is accepted', async (_label, name) => {
      expect((await expectAccepted({ SecretName: name, ...generic() })).SecretName).toBe(name);
    });

    it.each([
      ['1 character', 'a'],
      ['32 characters', 'n'.repeat(32)],
      ['a dot', 'bad.name'],
      ['a space', 'bad name'],
      ['a slash', 'bad/name'],
      ['a non-ASCII letter', 'naïve-name'],
      ['empty', ''],
    ])('%s is refused', async (_label, name) => {
      await expectRefused({ SecretName: name, ...generic() }, 'SecretName', /2 to 31 characters/);
    });

    it('a number is refused', async () => {
      await expectRefused({ SecretName: 12345, ...generic() }, 'SecretName', /must be a string/);
    });
  });

  describe('required parameters', () => {
    it.each(['SecretName', 'SecretType', 'SecretValue'])('without %s → MissingParameter', async (missing) => {
      const params: Params = { SecretName: nextName(), ...generic() };
      delete params[missing];
      await expectRefused(params, missing, undefined, 'MissingParameter');
    });

    it('an empty SecretValue is refused', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ SecretValue: '' }) }, 'SecretValue', /must not be empty/);
    });
  });

  describe('Description (characters, not bytes)', () => {
    it('8192 ASCII characters are accepted', async () => {
      expect((await expectAccepted({ SecretName: nextName(), ...generic({ Description: 'd'.repeat(8192) }) })).Description).toHaveLength(8192);
    });
    it('8192 CJK characters (24576 bytes) are accepted', async () => {
      const secret = await expectAccepted({ SecretName: nextName(), ...generic({ Description: CJK.repeat(8192) }) });
      expect(secret.Description).toBe(CJK.repeat(8192));
    });
    it('8193 characters are refused', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ Description: 'd'.repeat(8193) }) }, 'Description', /at most 8192 characters/);
    });
    it('8193 CJK characters are refused', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ Description: CJK.repeat(8193) }) }, 'Description', /8192/);
    });
  });

  describe('SecretValue (bytes, not characters)', () => {
    it('30720 ASCII bytes are accepted', async () => {
      await expectAccepted({ SecretName: nextName(), ...generic({ SecretValue: 'v'.repeat(30720) }) });
    });
    it('10240 CJK characters (30720 bytes) are accepted', async () => {
      await expectAccepted({ SecretName: nextName(), ...generic({ SecretValue: CJK.repeat(10240) }) });
    });
    it('30721 ASCII bytes are refused', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ SecretValue: 'v'.repeat(30721) }) }, 'SecretValue', /at most 30720 bytes/);
    });
    it('10241 CJK characters (30723 bytes) are refused', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ SecretValue: CJK.repeat(10241) }) }, 'SecretValue', /at most 30720 bytes/);
    });
  });

  describe('ExtendedConfig (bytes)', () => {
    it('1024 bytes are accepted', async () => {
      const secret = await expectAccepted({ SecretName: nextName(), ...generic({ ExtendedConfig: 'e'.repeat(1024) }) });
      expect(secret.ExtendedConfig).toBe('e'.repeat(1024));
    });
    it('341 CJK characters (1023 bytes) are accepted', async () => {
      await expectAccepted({ SecretName: nextName(), ...generic({ ExtendedConfig: CJK.repeat(341) }) });
    });
    it('1025 bytes are refused', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ ExtendedConfig: 'e'.repeat(1025) }) }, 'ExtendedConfig', /at most 1024 bytes/);
    });
    it('342 CJK characters (1026 bytes) are refused', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ ExtendedConfig: CJK.repeat(342) }) }, 'ExtendedConfig', /at most 1024 bytes/);
    });
  });

  describe('SecretType and RotationInterval', () => {
    it.each(['generic', 'pgsql', 'SqlServer', 'Vault', ''])('SecretType %j is refused', async (type) => {
      await expectRefused({ SecretName: nextName(), SecretType: type, SecretValue: 'v' }, 'SecretType', /one of: Generic, IAM, RDS, Redis, ECS, PGSQL, SQLServer/);
    });

    it.each([
      ['1d', 86_400],
      ['365d', 31_536_000],
    ])('RotationInterval %s is accepted', async (interval, seconds) => {
      const secret = await expectAccepted({ SecretName: nextName(), ...iam([KEY]), AutomaticRotation: true, RotationInterval: interval });
      expect(secret.RotationInterval).toBe(seconds);
    });

    it.each(['0d', '366d', '7h', '7', 'd', '-7d', '7 d', '1000d'])('RotationInterval %j is refused', async (interval) => {
      await expectRefused(
        { SecretName: nextName(), ...iam([KEY]), AutomaticRotation: true, RotationInterval: interval },
        'RotationInterval',
        /1 to 365 days/,
      );
    });

    it('RotationInterval is checked on Generic secrets too', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ RotationInterval: '0d' }) }, 'RotationInterval');
    });
  });

  describe('Generic', () => {
    it('takes free text as value and ExtendedConfig', async () => {
      const secret = await expectAccepted({ SecretName: nextName(), SecretType: 'Generic', SecretValue: 'not { json', ExtendedConfig: 'free text, not JSON' });
      expect(secret.ExtendedConfig).toBe('free text, not JSON');
    });

    it('accepts AutomaticRotation=true with RotationInterval=7d and ignores them', async () => {
      const secret = await expectAccepted({ SecretName: nextName(), ...generic(), AutomaticRotation: true, RotationInterval: '7d' });
      expect(secret).toMatchObject({ RotationState: 'None', RotationInterval: 0, ScheduleRotationTime: '' });
    });
  });

  describe('IAM', () => {
    it.each([
      ['one key', [KEY]],
      ['two keys', [KEY, KEY2]],
      ['a key without AccessKeySecret', [{ AccessKeyId: 'AKLTonly' }]],
    ])('accepts %s', async (_label, keys) => {
      const secret = await expectAccepted({ SecretName: nextName(), ...iam(keys) });
      expect(secret).toMatchObject({ SecretType: 'IAM', RotationState: 'Disable', RotationInterval: 0 });
    });

    it('accepts CustomData in ExtendedConfig', async () => {
      const config = { UserName: 'alice', SecretSubType: 'IAMUserAccessKey', CustomData: { desc: 'test' } };
      expect((await expectAccepted({ SecretName: nextName(), ...iam([KEY], config) })).ExtendedConfig).toBe(json(config));
    });

    it.each([
      ['no keys', [], /AccessKeys must hold at least 1 item/],
      ['three keys', [KEY, KEY2, { AccessKeyId: 'AKLTcccc', AccessKeySecret: 'c' }], /AccessKeys must hold at most 2 items/],
      ['a key without AccessKeyId', [{ AccessKeySecret: 'orphan' }], /AccessKeyId is required/],
      ['a key with an empty AccessKeyId', [{ AccessKeyId: '', AccessKeySecret: 'x' }], /AccessKeyId/],
    ])('refuses a value with %s', async (_label, keys, detail) => {
      await expectRefused({ SecretName: nextName(), ...iam(keys) }, 'SecretValue', detail);
    });

    it.each([
      ['not JSON', 'AKLTaaaa:secret'],
      ['a JSON array', json([KEY])],
      ['without AccessKeys', json({ Keys: [KEY] })],
    ])('refuses a value that is %s', async (_label, value) => {
      await expectRefused({ SecretName: nextName(), ...iam([KEY]), SecretValue: value }, 'SecretValue');
    });

    it.each([
      ['missing', undefined, /required for IAM/],
      ['not JSON', 'UserName=alice', /JSON object/],
      ['without UserName', json({ SecretSubType: 'IAMUserAccessKey' }), /UserName is required/],
      ['with another SecretSubType', json({ UserName: 'alice', SecretSubType: 'SingleUser' }), /SecretSubType must be one of: IAMUserAccessKey/],
      ['with an unknown field', json({ UserName: 'alice', SecretSubType: 'IAMUserAccessKey', Extra: 1 }), /unknown field Extra/],
      ['with CustomData that is not an object', json({ UserName: 'alice', SecretSubType: 'IAMUserAccessKey', CustomData: 'x' }), /CustomData/],
    ])('refuses an ExtendedConfig %s', async (_label, config, detail) => {
      const params: Params = { SecretName: nextName(), ...iam([KEY]) };
      if (config === undefined) delete params.ExtendedConfig;
      else params.ExtendedConfig = config;
      await expectRefused(params, 'ExtendedConfig', detail);
    });

    it('AutomaticRotation=true with RotationInterval=30d enables rotation', async () => {
      const before = Date.now();
      const secret = await expectAccepted({ SecretName: nextName(), ...iam([KEY]), AutomaticRotation: true, RotationInterval: '30d' });
      expect(secret.RotationState).toBe('Enable');
      expect(secret.RotationInterval).toBe(2_592_000);
      expect(secret.ScheduleRotationTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
      const scheduled = Date.parse(secret.ScheduleRotationTime);
      expect(scheduled - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
      expect(scheduled - Date.now()).toBeLessThanOrEqual(30 * 86_400_000 + 1000);
    });

    it('AutomaticRotation=true without RotationInterval is refused naming RotationInterval', async () => {
      await expectRefused({ SecretName: nextName(), ...iam([KEY]), AutomaticRotation: true }, 'RotationInterval', /required when AutomaticRotation is true/);
    });

    it('AutomaticRotation=false keeps rotation disabled', async () => {
      const secret = await expectAccepted({ SecretName: nextName(), ...iam([KEY]), AutomaticRotation: false, RotationInterval: '7d' });
      expect(secret).toMatchObject({ RotationState: 'Disable', ScheduleRotationTime: '' });
    });
  });

  describe.each(['RDS', 'Redis', 'PGSQL', 'SQLServer'] as const)('%s', (type) => {
    it('SingleUser accepts exactly one account', async () => {
      const secret = await expectAccepted({ SecretName: nextName(), ...db(type, 'SingleUser', [ROOT]) });
      expect(secret).toMatchObject({ SecretType: type, RotationState: 'Disable' });
    });

    it('DoubleUsers accepts two accounts with different names', async () => {
      await expectAccepted({ SecretName: nextName(), ...db(type, 'DoubleUsers', [ROOT, STANDBY]) });
    });

    it('accepts CustomData in ExtendedConfig', async () => {
      await expectAccepted({ SecretName: nextName(), ...db(type, 'SingleUser', [ROOT], { CustomData: { env: 'prod' } }) });
    });

    it.each([
      ['SingleUser with two accounts', 'SingleUser', [ROOT, STANDBY], /Accounts must hold at most 1 item/],
      ['SingleUser with no account', 'SingleUser', [], /Accounts must hold at least 1 item/],
      ['DoubleUsers with one account', 'DoubleUsers', [ROOT], /Accounts must hold at least 2 items/],
      ['DoubleUsers with the same name twice', 'DoubleUsers', [ROOT, { ...ROOT, AccountPassword: 'other' }], /different AccountName/],
      ['an account without AccountName', 'SingleUser', [{ AccountPassword: 'x' }], /AccountName is required/],
      ['an unknown account field', 'SingleUser', [{ ...ROOT, Host: 'db' }], /unknown field Host/],
    ])('refuses %s', async (_label, subType, accounts, detail) => {
      await expectRefused({ SecretName: nextName(), ...db(type, subType, accounts) }, 'SecretValue', detail);
    });

    it('refuses a value that is not JSON', async () => {
      await expectRefused({ SecretName: nextName(), ...db(type, 'SingleUser', [ROOT]), SecretValue: 'root:password' }, 'SecretValue', /JSON object/);
    });

    it.each([
      ['missing', undefined, /required/],
      ['without DBInstanceId', json({ SecretSubType: 'SingleUser' }), /DBInstanceId is required/],
      ['without SecretSubType', json({ DBInstanceId: 'instance-1' }), /SecretSubType is required/],
      ['with SecretSubType Password', json({ DBInstanceId: 'instance-1', SecretSubType: 'Password' }), /SingleUser, DoubleUsers/],
    ])('refuses an ExtendedConfig %s', async (_label, config, detail) => {
      const params: Params = { SecretName: nextName(), ...db(type, 'SingleUser', [ROOT]) };
      if (config === undefined) delete params.ExtendedConfig;
      else params.ExtendedConfig = config;
      await expectRefused(params, 'ExtendedConfig', detail);
    });
  });

  describe('ECS', () => {
    it('Password takes {UserName, Password}', async () => {
      await expectAccepted({ SecretName: nextName(), ...ecs('Password', PASSWORD) });
    });

    it('SSHKey takes {UserName, PublicKey, PrivateKey}', async () => {
      await expectAccepted({ SecretName: nextName(), ...ecs('SSHKey', SSH) });
    });

    it('accepts CustomData in ExtendedConfig', async () => {
      await expectAccepted({ SecretName: nextName(), ...ecs('Password', PASSWORD, { InstanceId: 'i-1', CustomData: { desc: 'test' } }) });
    });

    it.each([
      ['an SSH key value for SecretSubType Password', 'Password', SSH],
      ['a password value for SecretSubType SSHKey', 'SSHKey', PASSWORD],
      ['Password without UserName', 'Password', { Password: 'x' }],
      ['SSHKey without PrivateKey', 'SSHKey', { UserName: 'root', PublicKey: 'ssh-ed25519 AAAA' }],
    ])('refuses %s', async (_label, subType, value) => {
      await expectRefused({ SecretName: nextName(), ...ecs(subType, value) }, 'SecretValue', /SecretSubType/);
    });

    it('refuses a value that is not JSON', async () => {
      await expectRefused({ SecretName: nextName(), ...ecs('Password', PASSWORD), SecretValue: 'root/Pa55word' }, 'SecretValue', /JSON object/);
    });

    it.each([
      ['missing', undefined],
      ['without InstanceId', json({ SecretSubType: 'Password' })],
      ['with SecretSubType SingleUser', json({ InstanceId: 'i-1', SecretSubType: 'SingleUser' })],
    ])('refuses an ExtendedConfig %s', async (_label, config) => {
      const params: Params = { SecretName: nextName(), ...ecs('Password', PASSWORD) };
      if (config === undefined) delete params.ExtendedConfig;
      else params.ExtendedConfig = config;
      await expectRefused(params, 'ExtendedConfig');
    });
  });

  describe('EncryptionKey', () => {
    it('a key TRN is accepted and reported', async () => {
      const trn = 'trn:kms:cn-beijing:2100000001:keyrings/keyring_test/keys/key_test';
      expect((await expectAccepted({ SecretName: nextName(), ...generic({ EncryptionKey: trn }) })).EncryptionKey).toBe(trn);
    });
    it('anything else is refused', async () => {
      await expectRefused({ SecretName: nextName(), ...generic({ EncryptionKey: 'my-key' }) }, 'EncryptionKey', /key TRN/);
    });
  });
});
