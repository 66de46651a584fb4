/**
 * DescribeSecrets: paging, ProjectName, and the Filters JSON string (fuzzy and exact keys, date
 * ranges, OR within a key and AND across keys), with its refusals.
 */
import { startTestServer, type Mode, type TestServer } from '../support/server';

interface WireSecret {
  SecretName: string;
  CreationDate: number;
  UpdateDate: number;
}

const json = JSON.stringify;
const filters = (...entries: Array<[string, string[]]>) => json(entries.map(([Key, Values]) => ({ Key, Values })));

describe('DescribeSecrets', () => {
  let t: TestServer;
  const created = new Map<string, WireSecret>();
  const GROUP_A = ['alpha-one', 'Alpha_Two', 'beta-three'];
  const GROUP_B = ['gamma_4', 'delta-5', 'echo-6'];
  const PAGE_NAMES = Array.from({ length: 20 }, (_, i) => `page-${String(i).padStart(2, '0')}`);
  const ALL = [...GROUP_A, ...GROUP_B, ...PAGE_NAMES];

  async function create(params: Record<string, unknown>): Promise<void> {
    const secret = (await t.sdk.ok('CreateSecret', params)).Secret as WireSecret;
    created.set(secret.SecretName, secret);
  }

  async function list(params: Record<string, unknown>, mode: Mode = 'json') {
    return t.sdk.ok('DescribeSecrets', { PageSize: 100, ...params }, mode);
  }

  async function names(params: Record<string, unknown>, mode: Mode = 'json'): Promise<string[]> {
    const result = await list(params, mode);
    expect(result.PageInfo.TotalCount).toBe(result.Secrets.length);
    return (result.Secrets as WireSecret[]).map((s) => s.SecretName).sort();
  }

  const sorted = (xs: string[]) => [...xs].sort();

  beforeAll(async () => {
    t = await startTestServer();
    // group A
    await create({ SecretName: 'alpha-one', SecretType: 'Generic', SecretValue: 'v', Description: 'Payment DB 50% quota' });
    await create({ SecretName: 'Alpha_Two', SecretType: 'Generic', SecretValue: 'v', Description: 'cache', ProjectName: 'team-b' });
    await create({
      SecretName: 'beta-three',
      SecretType: 'IAM',
      SecretValue: json({ AccessKeys: [{ AccessKeyId: 'AKLTci' }] }),
      ExtendedConfig: json({ UserName: 'ci', SecretSubType: 'IAMUserAccessKey' }),
      AutomaticRotation: true,
      RotationInterval: '7d',
      Description: 'IAM key for CI',
    });
    await t.handle.clock.advance(100_000);
    // group B, 100 s later
    await create({
      SecretName: 'gamma_4',
      SecretType: 'RDS',
      SecretValue: json({ Accounts: [{ AccountName: 'root', AccountPassword: 'x' }] }),
      ExtendedConfig: json({ DBInstanceId: 'db-1', SecretSubType: 'SingleUser' }),
      Description: '500 quota',
    });
    await create({
      SecretName: 'delta-5',
      SecretType: 'Redis',
      SecretValue: json({ Accounts: [{ AccountName: 'a' }, { AccountName: 'b' }] }),
      ExtendedConfig: json({ DBInstanceId: 'redis-1', SecretSubType: 'DoubleUsers' }),
      Description: 'under_score desc',
    });
    await create({
      SecretName: 'echo-6',
      SecretType: 'ECS',
      SecretValue: json({ UserName: 'root', Password: 'p' }),
      ExtendedConfig: json({ InstanceId: 'i-1', SecretSubType: 'Password' }),
    });
    await t.handle.clock.advance(100_000);
    // group C, 100 s later: plenty to page through
    for (const name of PAGE_NAMES) await create({ SecretName: name, SecretType: 'Generic', SecretValue: 'v', Description: `page ${name}` });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'echo-6' });
    await t.handle.clock.advance(100_000);
    // the only update after that
    await t.sdk.ok('UpdateSecret', { SecretName: 'alpha-one', Description: 'Payment DB 50% quota (updated)' });
  });
  afterAll(() => t.handle.close());

  describe('paging', () => {
    it('answers PageInfo {Count, CurrentPage, PageSize, TotalCount} with defaults 1 and 10', async () => {
      const result = await t.sdk.ok('DescribeSecrets', {});
      expect(result.PageInfo).toEqual({ Count: 10, CurrentPage: 1, PageSize: 10, TotalCount: ALL.length });
      expect(result.Secrets).toHaveLength(10);
    });

    it('PageSize 1 and 100 are accepted', async () => {
      expect((await t.sdk.ok('DescribeSecrets', { PageSize: 1 })).Secrets).toHaveLength(1);
      const all = await t.sdk.ok('DescribeSecrets', { PageSize: 100 });
      expect(all.Secrets).toHaveLength(ALL.length);
      expect((all.Secrets as WireSecret[]).map((s) => s.SecretName).sort()).toEqual(sorted(ALL));
    });

    it.each([0, 101, -1])('PageSize %i is refused', async (size) => {
      const error = await t.sdk.fail('DescribeSecrets', { PageSize: size });
      expect(error.Code).toBe('InvalidParameter');
      expect(error.Message).toMatch(/^The request parameter PageSize is invalid\. PageSize must be at (least 1|most 100)\.$/);
    });

    it('CurrentPage 0 is refused', async () => {
      expect((await t.sdk.fail('DescribeSecrets', { CurrentPage: 0 })).Message).toMatch(/^The request parameter CurrentPage is invalid\./);
    });

    it('a page beyond the end is empty with the right TotalCount', async () => {
      const result = await t.sdk.ok('DescribeSecrets', { PageSize: 10, CurrentPage: 4 });
      expect(result.Secrets).toEqual([]);
      expect(result.PageInfo).toEqual({ Count: 0, CurrentPage: 4, PageSize: 10, TotalCount: ALL.length });
    });

    it('the last page holds the remainder', async () => {
      const result = await t.sdk.ok('DescribeSecrets', { PageSize: 10, CurrentPage: 3 });
      expect(result.PageInfo).toEqual({ Count: ALL.length - 20, CurrentPage: 3, PageSize: 10, TotalCount: ALL.length });
    });

    it.each<Mode>(['json', 'get', 'form'])('pages are stable: every secret once, in the one-page order (%s)', async (mode) => {
      const whole = ((await list({}, mode)).Secrets as WireSecret[]).map((s) => s.SecretName);
      const paged: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const result = await t.sdk.ok('DescribeSecrets', { PageSize: 7, CurrentPage: page }, mode);
        paged.push(...(result.Secrets as WireSecret[]).map((s) => s.SecretName));
      }
      expect(paged).toEqual(whole);
      expect(new Set(paged).size).toBe(ALL.length);
    });

    it('the order is newest first', async () => {
      const whole = (await list({})).Secrets as WireSecret[];
      const dates = whole.map((s) => s.CreationDate);
      expect(dates).toEqual([...dates].sort((a, b) => b - a));
    });
  });

  describe('ProjectName', () => {
    it('selects one project', async () => {
      expect(await names({ ProjectName: 'team-b' })).toEqual(['Alpha_Two']);
      expect(await names({ ProjectName: 'default' })).toEqual(sorted(ALL.filter((n) => n !== 'Alpha_Two')));
      expect(await names({ ProjectName: 'nobody' })).toEqual([]);
    });

    it('an invalid ProjectName is refused', async () => {
      expect((await t.sdk.fail('DescribeSecrets', { ProjectName: 'bad project!' })).Message).toMatch(/^The request parameter ProjectName is invalid\./);
    });
  });

  describe('Filters', () => {
    it('SecretName is a case-insensitive substring match', async () => {
      expect(await names({ Filters: filters(['SecretName', ['alpha']]) })).toEqual(sorted(['alpha-one', 'Alpha_Two']));
      expect(await names({ Filters: filters(['SecretName', ['ALPHA']]) })).toEqual(sorted(['alpha-one', 'Alpha_Two']));
      expect(await names({ Filters: filters(['SecretName', ['PHA-O']]) })).toEqual(['alpha-one']);
    });

    it('an _ in the needle matches only a literal _', async () => {
      expect(await names({ Filters: filters(['SecretName', ['_']]) })).toEqual(sorted(['Alpha_Two', 'gamma_4']));
      expect(await names({ Filters: filters(['Description', ['under_score']]) })).toEqual(['delta-5']);
      expect(await names({ Filters: filters(['Description', ['payment_db']]) })).toEqual([]); // '_' as a wildcard would match 'Payment DB'
    });

    it('a % in the needle matches only a literal %', async () => {
      expect(await names({ Filters: filters(['Description', ['50%']]) })).toEqual(['alpha-one']);
      expect(await names({ Filters: filters(['Description', ['%']]) })).toEqual(['alpha-one']);
    });

    it('Description is a case-insensitive substring match', async () => {
      expect(await names({ Filters: filters(['Description', ['iam KEY']]) })).toEqual(['beta-three']);
    });

    it('Trn is a case-insensitive substring match', async () => {
      expect(await names({ Filters: filters(['Trn', ['SECRETS/BETA']]) })).toEqual(['beta-three']);
      expect(await names({ Filters: filters(['Trn', [`:${t.handle.credentials.accountId}:`]]) })).toHaveLength(ALL.length);
    });

    it('values of one key are ORed', async () => {
      expect(await names({ Filters: filters(['SecretName', ['beta', 'gamma']]) })).toEqual(sorted(['beta-three', 'gamma_4']));
      expect(await names({ Filters: filters(['SecretType', ['RDS', 'Redis']]) })).toEqual(sorted(['gamma_4', 'delta-5']));
    });

    it('different keys are ANDed', async () => {
      expect(await names({ Filters: filters(['SecretName', ['a']], ['SecretType', ['IAM']]) })).toEqual(['beta-three']);
      expect(await names({ Filters: filters(['SecretName', ['alpha']], ['SecretType', ['IAM']]) })).toEqual([]);
      expect(await names({ Filters: filters(['SecretName', ['alpha']]), ProjectName: 'team-b' })).toEqual(['Alpha_Two']);
    });

    it('SecretType is exact and case-sensitive', async () => {
      expect(await names({ Filters: filters(['SecretType', ['ECS']]) })).toEqual(['echo-6']);
      const error = await t.sdk.fail('DescribeSecrets', { Filters: filters(['SecretType', ['rds']]) });
      expect(error.Message).toMatch(/^The request parameter Filters is invalid\. .*rds/);
    });

    it('SecretState is exact', async () => {
      expect(await names({ Filters: filters(['SecretState', ['PendingDelete']]) })).toEqual(['echo-6']);
      expect(await names({ Filters: filters(['SecretState', ['Enable']]) })).toEqual(sorted(ALL.filter((n) => n !== 'echo-6')));
      expect(await names({ Filters: filters(['SecretState', ['Disable']]) })).toEqual([]);
    });

    it('RotationState is exact', async () => {
      expect(await names({ Filters: filters(['RotationState', ['Enable']]) })).toEqual(['beta-three']);
      expect(await names({ Filters: filters(['RotationState', ['Disable']]) })).toEqual(sorted(['gamma_4', 'delta-5', 'echo-6']));
      expect(await names({ Filters: filters(['RotationState', ['None']]) })).toHaveLength(ALL.length - 4);
    });

    it('ManagedState selects by the Managed flag', async () => {
      expect(await names({ Filters: filters(['ManagedState', ['false']]) })).toHaveLength(ALL.length);
      expect(await names({ Filters: filters(['ManagedState', ['true']]) })).toEqual([]);
    });

    it('CreationDateRange takes [start, end] in Unix seconds, inclusive', async () => {
      const b = GROUP_B.map((n) => created.get(n)!.CreationDate);
      const range = [String(Math.min(...b)), String(Math.max(...b))];
      expect(await names({ Filters: filters(['CreationDateRange', range]) })).toEqual(sorted(GROUP_B));
      const a = GROUP_A.map((n) => created.get(n)!.CreationDate);
      expect(await names({ Filters: filters(['CreationDateRange', ['', String(Math.max(...a))]]) })).toEqual(sorted(GROUP_A));
      expect(await names({ Filters: filters(['CreationDateRange', [String(Math.max(...a) + 50), String(Math.max(...b))]]) })).toEqual(
        sorted(GROUP_B),
      );
    });

    it('UpdateDateRange follows the last change', async () => {
      const updated = (await t.sdk.ok('DescribeSecret', { SecretName: 'alpha-one' })).Secret as WireSecret;
      expect(updated.UpdateDate).toBeGreaterThan(created.get('alpha-one')!.UpdateDate);
      expect(await names({ Filters: filters(['UpdateDateRange', [String(Math.floor(updated.UpdateDate / 1000)), '']]) })).toEqual(['alpha-one']);
    });

    it('a date range combines with other keys', async () => {
      const b = GROUP_B.map((n) => created.get(n)!.CreationDate);
      const range = [String(Math.min(...b)), String(Math.max(...b))];
      expect(await names({ Filters: filters(['CreationDateRange', range], ['SecretName', ['_']]) })).toEqual(['gamma_4']);
    });

    it.each<Mode>(['get', 'form'])('arrives intact as a text parameter (%s)', async (mode) => {
      expect(await names({ Filters: filters(['SecretName', ['alpha']], ['Description', ['50%']]) }, mode)).toEqual(['alpha-one']);
    });

    it('an empty Filters string means no filter', async () => {
      expect(await names({ Filters: '' })).toHaveLength(ALL.length);
    });

    it.each([
      ['not JSON', 'SecretName=alpha'],
      ['a JSON object instead of an array', json({ Key: 'SecretName', Values: ['alpha'] })],
      ['an unknown Key', filters(['Color', ['red']])],
      ['more than 10 values', filters(['SecretName', Array.from({ length: 11 }, (_, i) => `n${i}`)])],
      ['no values', filters(['SecretName', []])],
      ['values that are not strings', json([{ Key: 'SecretName', Values: [1, 2] }])],
      ['an entry without Values', json([{ Key: 'SecretName' }])],
      ['a Key given twice', filters(['SecretName', ['a']], ['SecretName', ['b']])],
      ['a malformed date range', filters(['CreationDateRange', ['yesterday', 'today']])],
      ['a range with three bounds', filters(['CreationDateRange', ['1', '2', '3']])],
      ['an unknown ManagedState', filters(['ManagedState', ['maybe']])],
    ])('%s is refused naming Filters', async (_label, text) => {
      const error = await t.sdk.fail('DescribeSecrets', { Filters: text });
      expect(error.Code).toBe('InvalidParameter');
      expect(error.Message).toMatch(/^The request parameter Filters is invalid\. \S/);
    });

    it('a refused Filters answers 400', async () => {
      const res = await t.raw({ query: [['Action', 'DescribeSecrets'], ['Version', '2021-02-18'], ['Filters', 'oops']] });
      expect(res.status).toBe(400);
    });

    it('10 values are accepted', async () => {
      const values = ['alpha', ...Array.from({ length: 9 }, (_, i) => `zz${i}`)];
      expect(await names({ Filters: filters(['SecretName', values]) })).toEqual(sorted(['alpha-one', 'Alpha_Two']));
    });
  });
});
