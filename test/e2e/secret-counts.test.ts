/**
 * DescribeSecrets' TotalCount comes from counts kept by triggers (db/migrations/0003), not from
 * counting rows. Whatever changes the secrets (create, force delete, a deletion window ending,
 * snapshot restore, reset), the kept counts must equal the rows, and TotalCount must agree with
 * what a filtered query (which still counts rows) reports for the same set.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import * as m0001 from '../../db/migrations/sqlite/0001_secrets';
import * as m0002 from '../../db/migrations/sqlite/0002_audit_log';
import { sdkClient, startTestServer, type TestServer } from '../support/server';

const DAY_MS = 86_400_000;

function rowsAndCounts(file: string) {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const rows = db
      .prepare('select account_id, region, project_name, count(*) as n from secrets group by 1, 2, 3 order by 1, 2, 3')
      .all() as Array<Record<string, unknown>>;
    const kept = db
      .prepare('select account_id, region, project_name, n from secret_counts where n > 0 order by 1, 2, 3')
      .all() as Array<Record<string, unknown>>;
    return { rows, kept };
  } finally {
    db.close();
  }
}

describe('kept secret counts', () => {
  let dir: string;
  let t: TestServer;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-counts-'));
    t = await startTestServer({ db: path.join(dir, 's.db'), sweepSeconds: 3600 });
  });

  afterEach(async () => {
    await t.handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function totals(projectName?: string): Promise<{ kept: number; counted: number }> {
    const params = projectName === undefined ? {} : { ProjectName: projectName };
    const kept = (await t.sdk.ok('DescribeSecrets', { ...params, PageSize: 1 })).PageInfo.TotalCount;
    // a Type filter makes the server count rows instead of reading the kept count
    const counted = (await t.sdk.ok('DescribeSecrets', { ...params, PageSize: 1, Filters: JSON.stringify([{ Key: 'SecretType', Values: ['Generic'] }]) }))
      .PageInfo.TotalCount;
    return { kept, counted };
  }

  it('follows creates, deletions, ended windows, snapshot restore and reset', async () => {
    const file = path.join(dir, 's.db');
    const create = (name: string, project?: string) =>
      t.sdk.ok('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: 'v', ...(project ? { ProjectName: project } : {}) });
    for (let i = 0; i < 5; i++) await create(`a-${i}`);
    for (let i = 0; i < 3; i++) await create(`b-${i}`, 'blue');
    expect(await totals()).toEqual({ kept: 8, counted: 8 });
    expect(await totals('blue')).toEqual({ kept: 3, counted: 3 });

    const snapshot = await t.handle.snapshot('eight');

    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'a-0', ForceDelete: true });
    await t.sdk.ok('ScheduleSecretDeletion', { SecretName: 'b-0', PendingWindowInDays: 7 });
    // pending deletion: still a secret, still counted
    expect(await totals('blue')).toEqual({ kept: 3, counted: 3 });
    await t.handle.clock.advance(8 * DAY_MS);
    expect(await totals()).toEqual({ kept: 6, counted: 6 });
    expect(await totals('blue')).toEqual({ kept: 2, counted: 2 });
    expect(rowsAndCounts(file).kept).toEqual(rowsAndCounts(file).rows);

    await t.handle.restore(snapshot.name);
    expect(await totals()).toEqual({ kept: 8, counted: 8 });
    expect(rowsAndCounts(file).kept).toEqual(rowsAndCounts(file).rows);

    await t.handle.reset();
    expect(await totals()).toEqual({ kept: 0, counted: 0 });
    expect(rowsAndCounts(file).kept).toEqual([]);
  });

  it('keeps counts per account and region apart', async () => {
    await t.sdk.ok('CreateSecret', { SecretName: 'xx', SecretType: 'Generic', SecretValue: 'v' });
    const other = sdkClient(t.handle, { credentials: t.handle.credentials, region: 'cn-shanghai' });
    expect((await other.ok('DescribeSecrets', {})).PageInfo.TotalCount).toBe(0);
    await other.ok('CreateSecret', { SecretName: 'xx', SecretType: 'Generic', SecretValue: 'v' });
    expect((await other.ok('DescribeSecrets', {})).PageInfo.TotalCount).toBe(1);
    expect((await t.sdk.ok('DescribeSecrets', {})).PageInfo.TotalCount).toBe(1);
  });
});

describe('the counts migration on a database that already holds secrets', () => {
  it('starts from the rows already there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-counts-'));
    const file = path.join(dir, 'old.db');
    try {
      // a database as the two earlier migrations left it, with secrets in two projects
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(file) }) });
      const earlier: Record<string, Migration> = { '0001_secrets': m0001, '0002_audit_log': m0002 };
      const { error } = await new Migrator({ db, provider: { getMigrations: async () => earlier } }).migrateToLatest();
      expect(error).toBeUndefined();
      await db.destroy();
      const raw = new BetterSqlite3(file);
      const insert = raw.prepare(
        `insert into secrets (id, account_id, region, name, trn, project_name, type, state, description, encryption_key, extended_config,
           managed, owning_service, rotation_state, rotation_interval_s, created_at, updated_at)
         values (?, '2100000001', 'cn-beijing', ?, 'trn', ?, 'Generic', 'Enable', '', '', '', 0, '', 'None', 0, 0, 0)`,
      );
      for (let i = 0; i < 4; i++) insert.run(`id-${i}`, `s-${i}`, i < 3 ? 'default' : 'blue');
      raw.close();

      const t = await startTestServer({ db: file, credentials: [{ accessKeyId: 'AKLTcounts', secretAccessKey: 'c2VjcmV0', accountId: '2100000001' }] });
      try {
        expect((await t.sdk.ok('DescribeSecrets', {})).PageInfo.TotalCount).toBe(4);
        expect((await t.sdk.ok('DescribeSecrets', { ProjectName: 'blue' })).PageInfo.TotalCount).toBe(1);
      } finally {
        await t.handle.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
