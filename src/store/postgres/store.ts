/**
 * The store on a PostgreSQL database, which any number of servers may share. What they share lives
 * in the database: secrets, the audit log, the master key's check value, the clock's offset; the
 * write lock and the sweeper's lock are advisory locks (locks.ts). Migrations run under kysely's own
 * advisory lock, so servers starting together migrate once.
 */
import { SecretLocations } from '../secret-locations';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import { POSTGRES_MIGRATIONS } from '../../../db/migrations';
import { KyselyAuditStore } from '../audit-records';
import { DatabaseOpenError } from '../database-open-error';
import type { DatabaseLocation } from '../database-url';
import { masterKeyCheckStore } from '../store-meta';
import { captureRows, deleteAllSecrets, replaceRows } from '../store-snapshot';
import type { ClockOffsetStore, Store } from '../store';
import type { Database } from '../tables';
import { createPool, type PoolOptions } from './connection';
import { LOCKS, lockSession, unlockSession } from './locks';
import { PostgresUnitOfWork, writeTransaction } from './unit-of-work';

class StaticMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...POSTGRES_MIGRATIONS };
  }
}

const CLOCK_OFFSET = 'clock_offset_ms';

function clockOffsetStore(db: Kysely<Database>): ClockOffsetStore {
  return {
    read: async () => {
      const row = await db.selectFrom('store_meta').select('value').where('key', '=', CLOCK_OFFSET).executeTakeFirst();
      return row === undefined ? 0 : Number(row.value);
    },
    advance: async (ms) => {
      const row = await db
        .insertInto('store_meta')
        .values({ key: CLOCK_OFFSET, value: String(ms) })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ value: sql<string>`cast(cast(store_meta.value as bigint) + cast(excluded.value as bigint) as text)` }),
        )
        .returning('value')
        .executeTakeFirstOrThrow();
      return Number(row.value);
    },
  };
}

/** The reason a connection attempt failed, without anything from the URL (the password stays out). */
function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function openPostgresStore(location: Extract<DatabaseLocation, { kind: 'postgres' }>, options: PoolOptions = {}): Promise<Store> {
  const pool = createPool(location.url, options);
  // The first connection is made on the raw pool: at start a failure is reported as it is
  // (wrong password, no such database), not as the retryable 503 it is once the server runs.
  try {
    const client = await pool.pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(`cannot connect to PostgreSQL database ${location.label}: ${reason(e)}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const { error, results } = await new Migrator({ db, provider: new StaticMigrations() }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new DatabaseOpenError(`database ${location.label}: migration ${failed} failed: ${reason(error)}`);
  }
  return {
    location,
    label: location.label,
    uow: new PostgresUnitOfWork(db),
    locations: new SecretLocations(db),
    audit: new KyselyAuditStore(db),
    snapshots: {
      capture: () => db.transaction().setIsolationLevel('repeatable read').execute(captureRows),
      restore: (snapshot) => writeTransaction(db, (trx) => replaceRows(trx, snapshot)),
      clear: () => writeTransaction(db, deleteAllSecrets),
    },
    masterKeyCheck: masterKeyCheckStore(db),
    sharedClock: clockOffsetStore(db),
    exclusive: (task, work, { wait }) =>
      // a session lock on a connection held for the task; the work itself uses other connections.
      // Should the connection break, PostgreSQL releases the lock with it.
      db.connection().execute(async (conn) => {
        const lock = LOCKS[task];
        if (!(await lockSession(conn, lock, wait))) return { ran: false };
        try {
          return { ran: true, value: await work() };
        } finally {
          await unlockSession(conn, lock).catch(() => undefined);
        }
      }),
    close: () => db.destroy(),
  };
}
