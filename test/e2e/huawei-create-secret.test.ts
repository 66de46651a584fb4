/**
 * Huawei CSMS door, CreateSecret (POST /v1/{project_id}/secrets): the seed page's example as
 * written, and every rule of the seed page refused with a 400 naming the parameter, changing nothing.
 */
import { huaweiFetch, startHuaweiTestServer, type HuaweiTestServer } from '../support/huawei';

const SEED_PAGE_EXAMPLE = {
  name: 'demo',
  kms_key_id: '0d0466b0-e727-4d9c-b35d-f84bb474a37f',
  secret_string: 'this is a demo secret string',
};

const DOCUMENTED_FIELDS = [
  'id',
  'name',
  'state',
  'kms_key_id',
  'description',
  'create_time',
  'update_time',
  'scheduled_delete_time',
  'secret_type',
  'auto_rotation',
  'event_subscriptions',
  'enterprise_project_id',
];

describe('Huawei CreateSecret', () => {
  let s: HuaweiTestServer;
  beforeAll(async () => {
    s = await startHuaweiTestServer();
  });
  afterAll(() => s.close());

  it('answers the seed page request example, sent as written with X-Auth-Token, with the documented Secret', async () => {
    const before = s.t.handle.clock.now();
    const res = await s.a.fetch('POST', '/v1/{project_id}/secrets', SEED_PAGE_EXAMPLE);
    expect(res.status).toBe(200);
    const secret = res.body.secret;
    for (const field of DOCUMENTED_FIELDS) expect(secret).toHaveProperty(field);
    expect(secret).toMatchObject({
      name: 'demo',
      state: 'ENABLED',
      kms_key_id: '0d0466b0-e727-4d9c-b35d-f84bb474a37f',
      description: '',
      scheduled_delete_time: null,
      secret_type: 'COMMON',
      auto_rotation: false,
      event_subscriptions: [],
      enterprise_project_id: 'default',
    });
    expect(secret.id).toMatch(/^[0-9a-f-]{36}$/);
    // milliseconds, as in the seed page's examples (1581507580000)
    expect(secret.create_time).toBeGreaterThanOrEqual(before);
    expect(secret.create_time).toBeLessThanOrEqual(s.t.handle.clock.now());
    expect(secret.update_time).toBe(secret.create_time);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(res.body)).not.toContain('this is a demo secret string');
  });

  it('creates through the official Huawei SDK (AK/SK) and reports the default key csms/default', async () => {
    const res = await s.a.sdk.call('POST', '/v1/{project_id}/secrets', {
      name: 'sdk-made',
      secret_string: 'v1',
      description: '描述 description',
      enterprise_project_id: 'team-x',
      event_subscriptions: ['pocEvent'],
    });
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatchObject({
      name: 'sdk-made',
      kms_key_id: 'csms/default',
      description: '描述 description',
      enterprise_project_id: 'team-x',
      secret_type: 'COMMON',
    });
    const shown = await s.a.sdk.call('GET', '/v1/{project_id}/secrets/{secret_name}', undefined, { secret_name: 'sdk-made' });
    expect(shown.status).toBe(200);
    expect(shown.body.secret).toEqual(res.body.secret);
  });

  it('accepts the boundaries: 1- and 64-character names, 2048-byte description, 32 KiB values, 6h and 8760h periods', async () => {
    const ok = [
      { name: 'x', secret_string: 'v' },
      { name: 'n'.repeat(64), secret_string: 'v' },
      { name: 'desc-2048', secret_string: 'v', description: '中'.repeat(682) + 'ab' },
      { name: 'string-32k', secret_string: 'a'.repeat(32768) },
      { name: 'binary-32k', secret_binary: Buffer.alloc(32768, 7).toString('base64') },
      { name: 'period-6h', secret_string: 'v', auto_rotation: true, rotation_period: '6h' },
      { name: 'period-8760h', secret_string: 'v', auto_rotation: true, rotation_period: '8760h' },
      { name: 'period-365d', secret_string: 'v', rotation_period: '365d' },
      { name: 'period-360m', secret_string: 'v', rotation_period: '360m' },
      { name: 'period-21600s', secret_string: 'v', rotation_period: '21600s' },
    ];
    for (const body of ok) {
      const res = await s.a.fetch('POST', '/v1/{project_id}/secrets', body);
      expect({ name: body.name, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ name: body.name, status: 200, body: 'ok' });
    }
  });

  const rds = (overrides: Record<string, unknown>) => ({
    secret_type: 'RDS',
    secret_string: JSON.stringify({ users: [{ name: 'app', password: 'p' }] }),
    rotation_config: JSON.stringify({ rds_instance_id: 'inst-1', Secret_sub_type: 'SingleUser' }),
    ...overrides,
  });

  // [case, body (without name), error_code, parameter named in error_msg]
  const refused: Array<[string, Record<string, unknown>, string, string]> = [
    ['name missing', { secret_string: 'v', name: undefined }, 'CSMS.0002', 'name'],
    ['name empty', { name: '', secret_string: 'v' }, 'CSMS.0002', 'name'],
    ['name of 65 characters', { name: 'n'.repeat(65), secret_string: 'v' }, 'CSMS.0002', 'name'],
    ['name with a dot', { name: 'a.b', secret_string: 'v' }, 'CSMS.0002', 'name'],
    ['name not a string', { name: 42, secret_string: 'v' }, 'CSMS.0002', 'name'],
    ['description of 2049 bytes', { description: '中'.repeat(683), secret_string: 'v' }, 'CSMS.0002', 'description'],
    ['neither value', {}, 'CSMS.0002', 'secret_string'],
    ['both values', { secret_string: 'v', secret_binary: 'AAAA' }, 'CSMS.0002', 'secret_binary'],
    ['secret_string empty', { secret_string: '' }, 'CSMS.0002', 'secret_string'],
    ['secret_string over 32 KiB', { secret_string: 'a'.repeat(32769) }, 'CSMS.0002', 'secret_string'],
    ['secret_binary not base64', { secret_binary: 'not base64!' }, 'CSMS.0002', 'secret_binary'],
    ['secret_binary unpadded', { secret_binary: 'AAE' }, 'CSMS.0002', 'secret_binary'],
    ['secret_binary over 32 KiB', { secret_binary: Buffer.alloc(32769).toString('base64') }, 'CSMS.0002', 'secret_binary'],
    ['secret_type unknown', { secret_type: 'IAM', secret_string: 'v' }, 'CSMS.0002', 'secret_type'],
    ['RDS without rotation_config', rds({ rotation_config: undefined }), 'CSMS.0002', 'rotation_config'],
    ['RDS rotation_config not JSON', rds({ rotation_config: 'inst-1' }), 'CSMS.0002', 'rotation_config'],
    ['RDS rotation_config without instance', rds({ rotation_config: '{"Secret_sub_type":"SingleUser"}' }), 'CSMS.0002', 'rotation_config'],
    ['RDS sub type unknown', rds({ rotation_config: '{"rds_instance_id":"i","Secret_sub_type":"Triple"}' }), 'CSMS.0002', 'rotation_config'],
    ['RDS rotation_config unknown field', rds({ rotation_config: '{"rds_instance_id":"i","Secret_sub_type":"SingleUser","x":1}' }), 'CSMS.0002', 'rotation_config'],
    ['RDS value not JSON', rds({ secret_string: 'app:p' }), 'CSMS.0002', 'secret_string'],
    ['RDS value without users', rds({ secret_string: '{"accounts":[]}' }), 'CSMS.0002', 'secret_string'],
    ['RDS user without name', rds({ secret_string: '{"users":[{"password":"p"}]}' }), 'CSMS.0002', 'secret_string'],
    ['RDS SingleUser with two users', rds({ secret_string: '{"users":[{"name":"a"},{"name":"b"}]}' }), 'CSMS.0002', 'secret_string'],
    [
      'RDS MultiUser with one name twice',
      rds({ secret_string: '{"users":[{"name":"a"},{"name":"a"}]}', rotation_config: '{"rds_instance_id":"i","Secret_sub_type":"MultiUser"}' }),
      'CSMS.0002',
      'secret_string',
    ],
    ['RDS binary value not JSON', rds({ secret_string: undefined, secret_binary: 'AAEC' }), 'CSMS.0002', 'secret_binary'],
    ['auto_rotation without rotation_period', { secret_string: 'v', auto_rotation: true }, 'CSMS.0002', 'rotation_period'],
    ['auto_rotation not a boolean', { secret_string: 'v', auto_rotation: 'true' }, 'CSMS.0002', 'auto_rotation'],
    ['rotation_period under 6 hours', { secret_string: 'v', rotation_period: '5h' }, 'CSMS.0002', 'rotation_period'],
    ['rotation_period of 21599s', { secret_string: 'v', rotation_period: '21599s' }, 'CSMS.0002', 'rotation_period'],
    ['rotation_period over 8760 hours', { secret_string: 'v', rotation_period: '8761h' }, 'CSMS.0002', 'rotation_period'],
    ['rotation_period of 366 days', { secret_string: 'v', rotation_period: '366d' }, 'CSMS.0002', 'rotation_period'],
    ['rotation_period without unit', { secret_string: 'v', rotation_period: '24' }, 'CSMS.0002', 'rotation_period'],
    ['rotation_period with unknown unit', { secret_string: 'v', rotation_period: '1w' }, 'CSMS.0002', 'rotation_period'],
    ['rotation_config over 1024 characters', { secret_string: 'v', rotation_config: 'c'.repeat(1025) }, 'CSMS.0002', 'rotation_config'],
    ['two event_subscriptions', { secret_string: 'v', event_subscriptions: ['e1', 'e2'] }, 'CSMS.0002', 'event_subscriptions'],
    ['event_subscriptions not a list', { secret_string: 'v', event_subscriptions: 'e1' }, 'CSMS.0002', 'event_subscriptions'],
    ['enterprise_project_id with a space', { secret_string: 'v', enterprise_project_id: 'a b' }, 'CSMS.0002', 'enterprise_project_id'],
    ['kms_key_id not a key id', { secret_string: 'v', kms_key_id: 'key id!' }, 'CSMS.0002', 'kms_key_id'],
    ['unknown field', { secret_string: 'v', secretString: 'v' }, 'CSMS.0002', 'secretString'],
  ];

  it.each(refused)('refuses %s with 400, naming the parameter, and creates nothing', async (_case, fields, errorCode, parameter) => {
    const count = async () => (await s.a.volc.ok('DescribeSecrets', { PageSize: 1 })).TotalCount as number;
    const before = await count();
    const body = { name: `refused-${Math.random().toString(36).slice(2, 10)}`, ...fields };
    const res = await s.a.fetch('POST', '/v1/{project_id}/secrets', body);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body).sort()).toEqual(['error_code', 'error_msg']);
    expect(res.body.error_code).toBe(errorCode);
    expect(res.body.error_msg).toContain(parameter);
    expect(await count()).toBe(before);
  });

  it('refuses bodies that are not a JSON object with CSMS.0004', async () => {
    for (const rawBody of ['', '{"name":', '[1,2]', '"demo"', 'null']) {
      const res = await huaweiFetch(s.t.handle, 'POST', `/v1/${s.a.projectId}/secrets`, { token: s.a.token, rawBody });
      expect({ rawBody, status: res.status, code: res.body.error_code }).toEqual({ rawBody, status: 400, code: 'CSMS.0004' });
    }
  });

  it('refuses a name that is taken, whichever door created it, with 400 CSMS.0201 and keeps the first value', async () => {
    expect((await s.a.fetch('POST', '/v1/{project_id}/secrets', { name: 'taken', secret_string: 'first' })).status).toBe(200);
    const again = await s.a.sdk.call('POST', '/v1/{project_id}/secrets', { name: 'taken', secret_string: 'second' });
    expect(again.status).toBe(400);
    expect(again.body.error_code).toBe('CSMS.0201');
    expect(again.body.error_msg).toContain('taken');

    await s.a.volc.ok('CreateSecret', { SecretName: 'volc-taken', SecretType: 'Generic', SecretValue: 'x' });
    const clash = await s.a.fetch('POST', '/v1/{project_id}/secrets', { name: 'volc-taken', secret_string: 'y' });
    expect(clash.status).toBe(400);
    expect(clash.body.error_code).toBe('CSMS.0201');

    const value = await s.a.fetch('GET', '/v1/{project_id}/secrets/taken/versions/latest');
    expect(value.body.version.secret_string).toBe('first');
  });
});
