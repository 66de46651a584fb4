import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { PrecompiledQuery, allowDirectExecution } from '../../src/store/compiled-query';
import { MEMORY, openDatabase } from '../../src/store/sqlite/database';
import { directStatements } from '../../src/store/sqlite/direct-statements';
import { SqliteUnitOfWork } from '../../src/store/sqlite/unit-of-work';
import { secretFixture } from '../support/secret-fixture';
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

describe('direct reads (SQLite, outside a transaction)', () => {
  const byKey = new PrecompiledQuery<{ key: string }, { key: string; value: string }>((k, slot) =>
    k.selectFrom('store_meta').selectAll().where('key', '>=', slot('key')).orderBy('key'),
  );

  async function withDirectReads() {
    const opened = openMemory();
    await sql`create table store_meta (key text primary key, value text not null)`.execute(opened.db);
    await opened.db.insertInto('store_meta').values([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]).execute();
    const reads: string[] = [];
    const direct = directStatements(opened.sqlite).readsOutsideTransactions;
    allowDirectExecution(opened.db, (text, parameters) => {
      const rows = direct(text, parameters);
      reads.push(rows === undefined ? 'kysely' : 'direct');
      return rows;
    });
    return { ...opened, reads };
  }

  it('gives the rows kysely gives, as plain objects with the columns in order', async () => {
    const { db, reads } = await withDirectReads();
    const rows = await byKey.execute(db, { key: 'a' });
    expect(reads).toEqual(['direct']);
    expect(rows).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(Object.keys(rows[1])).toEqual(['key', 'value']);
    await db.destroy();
  });

  it('never sees a transaction’s uncommitted rows: while one is open, the read waits for it on kysely’s path', async () => {
    const { db, reads } = await withDirectReads();
    let readDuring: Promise<unknown[]> | undefined;
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('store_meta').values({ key: 'c', value: '3' }).execute();
      // the root database, not the transaction: a reader that is not part of it
      readDuring = byKey.execute(db, { key: 'a' });
      await new Promise((resolve) => setImmediate(resolve));
      await trx.deleteFrom('store_meta').where('key', '=', 'c').execute();
    });
    expect(await readDuring).toHaveLength(2);
    expect(reads).toEqual(['kysely']);
    await db.destroy();
  });

  it('leaves writes and transactions to kysely', async () => {
    const { db, reads } = await withDirectReads();
    const insert = new PrecompiledQuery<{ key: string }, unknown>((k, slot) => k.insertInto('store_meta').values({ key: slot('key'), value: 'x' }));
    await insert.execute(db, { key: 'z' });
    await db.transaction().execute((trx) => byKey.execute(trx, { key: 'a' }));
    // the write was offered and declined; the transaction's own read was never offered
    expect(reads).toEqual(['kysely']);
    expect(await byKey.execute(db, { key: 'z' })).toEqual([{ key: 'z', value: 'x' }]);
    await db.destroy();
  });
});

describe('direct statements inside a unit of work (SQLite)', () => {
  const secret = secretFixture;

  async function recordingUnitOfWork() {
    const opened = await openDatabase(MEMORY);
    const inside = opened.direct.insideOwnTransaction;
    const runs: string[] = [];
    const uow = new SqliteUnitOfWork(opened.db, {
      ...opened.direct,
      insideOwnTransaction: (text, parameters) => {
        const rows = inside(text, parameters);
        runs.push(`${rows === undefined ? 'kysely' : 'direct'} ${text.split(' ')[0]}`);
        return rows;
      },
    });
    return { opened, uow, runs };
  }

  it('runs the precompiled writes and reads of a unit of work directly, each read seeing the writes before it', async () => {
    const { opened, uow, runs } = await recordingUnitOfWork();
    const found = await uow.run(async (repo) => {
      await repo.insertSecret(secret('a'));
      return repo.findSecret(secret('a'), 'a');
    });
    expect(found?.id).toBe('id-a');
    expect(runs).toEqual(['direct insert', 'direct select']);
    // committed: the root database reads it
    expect((await uow.reader.findSecret(secret('a'), 'a'))?.id).toBe('id-a');
    await opened.close();
  });

  it('rolls a direct write back with the unit of work that fails', async () => {
    const { opened, uow, runs } = await recordingUnitOfWork();
    await expect(
      uow.run(async (repo) => {
        await repo.insertSecret(secret('b'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(runs).toEqual(['direct insert']);
    expect(await uow.reader.findSecret(secret('b'), 'b')).toBeUndefined();
    expect(opened.sqlite.inTransaction).toBe(false);
    await opened.close();
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
