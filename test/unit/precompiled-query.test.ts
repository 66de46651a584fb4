import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { PrecompiledQuery } from '../../src/store/compiled-query';
import { StatementCache } from '../../src/store/sqlite/statement-cache';
import type { Database } from '../../src/store/tables';

function openMemory() {
  const sqlite = new BetterSqlite3(':memory:');
  const cache = new StatementCache(sqlite, 3);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cache }) });
  return { sqlite, cache, db };
}

describe('PrecompiledQuery', () => {
  it('binds new values on every execution and keeps the constants written into the query', async () => {
    const { db } = openMemory();
    await sql`create table store_meta (key text primary key, value text not null)`.execute(db);
    await db.insertInto('store_meta').values([{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]).execute();
    const byKey = new PrecompiledQuery<{ key: string }, { value: string }>((k, slot) =>
      k.selectFrom('store_meta').select('value').where('key', '=', slot('key')).where('value', '!=', '3'),
    );
    expect(await byKey.executeTakeFirst(db, { key: 'a' })).toEqual({ value: '1' });
    expect(await byKey.executeTakeFirst(db, { key: 'b' })).toEqual({ value: '2' });
    // the constant '3' stays in the compiled query: c is filtered out
    expect(await byKey.executeTakeFirst(db, { key: 'c' })).toBeUndefined();
    await db.destroy();
  });

  it('runs on a transaction as on the database, seeing the transaction’s own writes', async () => {
    const { db } = openMemory();
    await sql`create table store_meta (key text primary key, value text not null)`.execute(db);
    const insert = new PrecompiledQuery<{ key: string; value: string }, unknown>((k, slot) =>
      k.insertInto('store_meta').values({ key: slot('key'), value: slot('value') }),
    );
    const count = new PrecompiledQuery<Record<string, never>, { n: number }>((k) =>
      k.selectFrom('store_meta').select((eb) => eb.fn.countAll<number>().as('n')),
    );
    await expect(
      db.transaction().execute(async (trx) => {
        await insert.execute(trx, { key: 'x', value: 'y' });
        expect((await count.executeTakeFirst(trx, {}))?.n).toBe(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await count.executeTakeFirst(db, {}))?.n).toBe(0);
    await db.destroy();
  });
});

describe('StatementCache', () => {
  it('prepares each SQL text once and keeps at most its limit', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const cache = new StatementCache(sqlite, 2);
    const first = cache.prepare('select 1');
    expect(cache.prepare('select 1')).toBe(first);
    cache.prepare('select 2');
    cache.prepare('select 3'); // the oldest (select 1) goes
    expect(cache.prepare('select 1')).not.toBe(first);
    expect((cache.prepare('select 3') as unknown as BetterSqlite3.Statement).get()).toEqual({ 3: 3 });
    cache.close();
    expect(sqlite.open).toBe(false);
  });
});
