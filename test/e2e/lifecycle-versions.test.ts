/**
 * Versions and stages through the official SDK: SetSecretValue moves CURRENT, older versions stay
 * readable by id and by name, listing pages, retention, and one CURRENT under 50 concurrent writers.
 */
import { DAY_MS, ROTATABLE, allVersions, createParams } from '../support/lifecycle';
import { startTestServer, type TestServer } from '../support/server';

describe('secret versions and stages', () => {
  let t: TestServer;
  beforeAll(async () => {
    // the background sweeper stays out of the way; tests call it through clock.advance
    t = await startTestServer({ sweepSeconds: 3600 });
  });
  afterAll(() => t.handle.close());

  const generic = (name: string, value = 'v1', extra: Record<string, unknown> = {}) =>
    t.sdk.ok('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: value, ...extra });

  it('CreateSecret makes the first version CURRENT', async () => {
    await generic('ver-first', 'first', { VersionName: 'v-one' });
    const versions = await allVersions(t.sdk, 'ver-first');
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ VersionStage: 'CURRENT', VersionName: 'v-one' });
    const got = await t.sdk.ok('GetSecretValue', { SecretName: 'ver-first' }, 'get');
    expect(got).toMatchObject({ SecretValue: 'first', VersionID: versions[0].VersionID, VersionName: 'v-one', VersionStage: 'CURRENT' });
  });

  it('moves the stages over three SetSecretValue calls: newest CURRENT, all others OLDER', async () => {
    await generic('ver-stages', 'v0');
    const set: Array<{ VersionID: string; VersionName: string; VersionStage: string; CreationDate: number }> = [];
    for (let i = 1; i <= 3; i++) {
      const r = await t.sdk.ok('SetSecretValue', { SecretName: 'ver-stages', SecretValue: `v${i}`, VersionName: `name-${i}` });
      expect(r).toEqual({ VersionID: expect.any(String), VersionName: `name-${i}`, VersionStage: 'CURRENT', CreationDate: expect.any(Number) });
      set.push(r);

      const versions = await allVersions(t.sdk, 'ver-stages');
      expect(versions).toHaveLength(i + 1);
      expect(versions.filter((v) => v.VersionStage === 'CURRENT').map((v) => v.VersionID)).toEqual([r.VersionID]);
      expect(versions.filter((v) => v.VersionStage === 'OLDER')).toHaveLength(i);
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'ver-stages' })).SecretValue).toBe(`v${i}`);
    }
    expect(new Set(set.map((s) => s.VersionID)).size).toBe(3);
    // newest first
    const versions = await allVersions(t.sdk, 'ver-stages');
    expect(versions.slice(0, 3).map((v) => v.VersionID)).toEqual(set.map((s) => s.VersionID).reverse());
  });

  it('reads an OLDER version by VersionID and by VersionName, with its stage', async () => {
    await generic('ver-older', 'old-value', { VersionName: 'first' });
    const first = (await allVersions(t.sdk, 'ver-older'))[0];
    await t.sdk.ok('SetSecretValue', { SecretName: 'ver-older', SecretValue: 'new-value', VersionName: 'second' });

    const byId = await t.sdk.ok('GetSecretValue', { SecretName: 'ver-older', VersionID: first.VersionID }, 'get');
    expect(byId).toMatchObject({ SecretValue: 'old-value', VersionID: first.VersionID, VersionName: 'first', VersionStage: 'OLDER' });
    const byName = await t.sdk.ok('GetSecretValue', { SecretName: 'ver-older', VersionName: 'first' });
    expect(byName).toMatchObject({ SecretValue: 'old-value', VersionID: first.VersionID, VersionStage: 'OLDER' });
    const both = await t.sdk.ok('GetSecretValue', { SecretName: 'ver-older', VersionID: first.VersionID, VersionName: 'first' });
    expect(both.SecretValue).toBe('old-value');
    const current = await t.sdk.ok('GetSecretValue', { SecretName: 'ver-older', VersionName: 'second' });
    expect(current).toMatchObject({ SecretValue: 'new-value', VersionStage: 'CURRENT' });
  });

  it('refuses a VersionID and VersionName that name different versions, and unknown versions', async () => {
    await generic('ver-disagree', 'a', { VersionName: 'va' });
    const b = await t.sdk.ok('SetSecretValue', { SecretName: 'ver-disagree', SecretValue: 'b', VersionName: 'vb' });
    const e = await t.sdk.fail('GetSecretValue', { SecretName: 'ver-disagree', VersionID: b.VersionID, VersionName: 'va' });
    expect(e.Code).toBe('InvalidParameter');
    expect(e.Message).toContain('VersionName');

    const byId = await t.sdk.fail('GetSecretValue', { SecretName: 'ver-disagree', VersionID: 'no-such-version' });
    expect(byId).toMatchObject({ Code: 'Not Found', Message: 'Not found version [no-such-version].' });
    const byName = await t.sdk.fail('GetSecretValue', { SecretName: 'ver-disagree', VersionName: 'vz' });
    expect(byName).toMatchObject({ Code: 'Not Found', Message: 'Not found version [vz].' });
  });

  it('keeps VersionName unique within a secret (409 Conflict) and adds nothing on refusal', async () => {
    await generic('ver-unique', 'a', { VersionName: 'taken' });
    const e = await t.sdk.fail('SetSecretValue', { SecretName: 'ver-unique', SecretValue: 'b', VersionName: 'taken' });
    expect(e).toMatchObject({ Code: 'Conflict', Message: 'The version resource taken is conflict.' });
    expect(await allVersions(t.sdk, 'ver-unique')).toHaveLength(1);
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'ver-unique' })).SecretValue).toBe('a');
    // the same name in another secret is fine
    await generic('ver-unique-2', 'c', { VersionName: 'taken' });
  });

  it('refuses SetSecretValue on every non-Generic type with InvalidSecretType', async () => {
    for (const f of ROTATABLE.filter((x) => x.subType === 'SingleUser' || x.type === 'IAM' || x.subType === 'Password')) {
      const name = `ver-typed-${f.type}`;
      await t.sdk.ok('CreateSecret', createParams(name, f));
      const e = await t.sdk.fail('SetSecretValue', { SecretName: name, SecretValue: JSON.stringify(f.value) });
      expect(e).toMatchObject({ Code: 'InvalidSecretType', Message: `The secret type [${f.type}] does not allow to perform this action.` });
      expect(await allVersions(t.sdk, name)).toHaveLength(1);
    }
  });

  it('reports each version with its real creation date (the secrets clock, in seconds)', async () => {
    await generic('ver-dates', 'a');
    const before = Math.floor(t.handle.clock.now() / 1000);
    await t.handle.clock.advance(DAY_MS);
    const set = await t.sdk.ok('SetSecretValue', { SecretName: 'ver-dates', SecretValue: 'b' });
    const [newest, oldest] = await allVersions(t.sdk, 'ver-dates');
    expect(newest.CreationDate).toBe(set.CreationDate);
    expect(Math.abs(oldest.CreationDate - before)).toBeLessThanOrEqual(2);
    expect(newest.CreationDate - oldest.CreationDate).toBeGreaterThanOrEqual(86_400);
    expect(newest.CreationDate - oldest.CreationDate).toBeLessThan(86_400 + 60);
  });

  it('pages DescribeSecretVersions with CurrentPage/PageSize and accepts PageNumber as an alias', async () => {
    await generic('ver-pages', 'v0');
    for (let i = 1; i <= 4; i++) await t.sdk.ok('SetSecretValue', { SecretName: 'ver-pages', SecretValue: `v${i}` });
    const all = await allVersions(t.sdk, 'ver-pages');
    expect(all).toHaveLength(5);

    const p2 = await t.sdk.ok('DescribeSecretVersions', { SecretName: 'ver-pages', CurrentPage: 2, PageSize: 2 });
    expect(p2.PageInfo).toEqual({ Count: 2, CurrentPage: 2, PageSize: 2, TotalCount: 5 });
    expect(p2.SecretVersions.map((v: { VersionID: string }) => v.VersionID)).toEqual(all.slice(2, 4).map((v) => v.VersionID));

    const alias = await t.sdk.ok('DescribeSecretVersions', { SecretName: 'ver-pages', PageNumber: 3, PageSize: 2 }, 'get');
    expect(alias.PageInfo).toEqual({ Count: 1, CurrentPage: 3, PageSize: 2, TotalCount: 5 });
    expect(alias.SecretVersions[0].VersionID).toBe(all[4].VersionID);
  });

  it('keeps the newest 100 versions of a Generic secret; the oldest one goes', async () => {
    const created = await generic('ver-retention', 'v0', { VersionName: 'zero' });
    expect(created.Secret.SecretName).toBe('ver-retention');
    for (let i = 1; i <= 100; i++) await t.sdk.ok('SetSecretValue', { SecretName: 'ver-retention', SecretValue: `v${i}` });
    const versions = await allVersions(t.sdk, 'ver-retention');
    expect(versions).toHaveLength(100);
    expect(versions.filter((v) => v.VersionStage === 'CURRENT')).toHaveLength(1);
    expect(versions.some((v) => v.VersionName === 'zero')).toBe(false);
    const gone = await t.sdk.fail('GetSecretValue', { SecretName: 'ver-retention', VersionName: 'zero' });
    expect(gone.Code).toBe('Not Found');
    // the oldest kept is v1
    const oldest = versions[versions.length - 1];
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'ver-retention', VersionID: oldest.VersionID })).SecretValue).toBe('v1');
  });

  it('50 concurrent SetSecretValue calls: 51 versions, exactly one CURRENT, none lost', async () => {
    await generic('ver-concurrent', 'v0');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.sdk.ok('SetSecretValue', { SecretName: 'ver-concurrent', SecretValue: `parallel-${i}` })),
    );
    const returnedIds = results.map((r) => r.VersionID as string);
    expect(new Set(returnedIds).size).toBe(50);

    const versions = await allVersions(t.sdk, 'ver-concurrent');
    expect(versions).toHaveLength(51);
    const current = versions.filter((v) => v.VersionStage === 'CURRENT');
    expect(current).toHaveLength(1);
    // every version a writer was told about exists
    const listed = new Set(versions.map((v) => v.VersionID));
    for (const id of returnedIds) expect(listed.has(id)).toBe(true);
    // CURRENT is the newest, and reading it gives that writer's value
    expect(versions[0].VersionID).toBe(current[0].VersionID);
    const writer = returnedIds.indexOf(current[0].VersionID);
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'ver-concurrent' })).SecretValue).toBe(`parallel-${writer}`);
    // each value is readable under its own version
    for (const [i, id] of returnedIds.entries()) {
      if (i % 10 !== 0) continue;
      expect((await t.sdk.ok('GetSecretValue', { SecretName: 'ver-concurrent', VersionID: id })).SecretValue).toBe(`parallel-${i}`);
    }
  });
});
