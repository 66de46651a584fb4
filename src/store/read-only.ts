/**
 * The store as `volc-secrets export` sees it: one read transaction over a database opened for
 * reading only, beside servers that may be writing it. SQLite: opened read-only (WAL lets a reader
 * see one consistent snapshot while the writer carries on). PostgreSQL: a READ ONLY, REPEATABLE READ
 * transaction, the same one snapshot.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { SecretRepository, UnitOfWork } from '../domain/ports';
import type { Scope } from '../domain/types';
import { DatabaseOpenError } from './database-open-error';
import { DatabaseLocationError, parseDatabaseLocation, type DatabaseLocation } from './database-url';
import { KyselySecretRepository } from './secret-repository';
import type { Database } from './tables';

/** What one read transaction sees. */
export interface StoreView {
  /** the domain's unit of work over the snapshot: its reader reads, `run` refuses */
  uow: UnitOfWork;
  /** every account and region that holds a secret, sorted */
  scopes(): Promise<Scope[]>;
  /** the stored check value of the master key the database was created with */
  masterKeyCheck(): Promise<string | undefined>;
}

export interface ReadOnlyStore {
  /** the database as named to a person (no password) */
  label: string;
  location: DatabaseLocation;
  /** runs `work` in one read transaction: everything it reads belongs to the same moment */
  read<T>(work: (view: StoreView) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function readOnlyUnitOfWork(reader: SecretRepository): UnitOfWork {
  return { reader, run: () => Promise.reject(new Error('the database is open read-only')) };
}

function viewOf(trx: Transaction<Database>): StoreView {
  return {
    uow: readOnlyUnitOfWork(new KyselySecretRepository(trx)),
    scopes: async () => {
      const rows = await trx.selectFrom('secrets').select(['account_id', 'region']).distinct().orderBy('account_id').orderBy('region').execute();
      return rows.map((r) => ({ accountId: r.account_id, region: r.region }));
    },
    masterKeyCheck: async () => {
      const row = await trx.selectFrom('store_meta').select('value').where('key', '=', 'master_key_check').executeTakeFirst();
      return row?.value;
    },
  };
}

async function openPostgresReadOnly(location: Extract<DatabaseLocation, { kind: 'postgres' }>): Promise<Kysely<Database>> {
  const [{ Kysely: KyselyClass, Migrator, PostgresDialect }, { createPool }, { POSTGRES_MIGRATIONS }] = await Promise.all([
    import('kysely'),
    import('./postgres/connection'),
    import('../../db/migrations'),
  ]);
  const pool = createPool(location.url, { size: 2 });
  try {
    (await pool.pool.connect()).release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(`cannot connect to PostgreSQL database ${location.label}: ${(e as Error).message}`);
  }
  const db = new KyselyClass<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    const provider = { getMigrations: async () => ({ ...POSTGRES_MIGRATIONS }) };
    const pending = (await new Migrator({ db, provider }).getMigrations()).filter((m) => !m.executedAt);
    if (pending.length > 0) throw new DatabaseOpenError(`database ${location.label} lacks migration ${pending.map((m) => m.name).join(', ')}; start the server on it once`);
  } catch (e) {
    await db.destroy();
    throw e instanceof DatabaseOpenError ? e : new DatabaseOpenError(`cannot read database ${location.label}: ${(e as Error).message}`);
  }
  return db;
}

export async function openReadOnlyStore(value: string): Promise<ReadOnlyStore> {
  let location: DatabaseLocation;
  try {
    location = parseDatabaseLocation(value);
  } catch (e) {
    throw e instanceof DatabaseLocationError ? new DatabaseOpenError(e.message) : e;
  }
  if (location.kind === 'sqlite') {
    const { openDatabaseReadOnly } = await import('./sqlite/database');
    const db = await openDatabaseReadOnly(location.file);
    return {
      label: location.file,
      location,
      read: (work) => db.transaction().execute((trx) => work(viewOf(trx))),
      close: () => db.destroy(),
    };
  }
  const db = await openPostgresReadOnly(location);
  return {
    label: location.label,
    location,
    read: (work) =>
      db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          await sql`set transaction read only`.execute(trx);
          return work(viewOf(trx));
        }),
    close: () => db.destroy(),
  };
}
