/**
 * The advisory locks that make several servers on one PostgreSQL database behave as one. Advisory
 * locks are scoped to the database, so servers on other databases of the same cluster never meet.
 * Keys are (namespace, lock): the namespace spells "volc" so that other applications' keys don't clash.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../tables';

const NAMESPACE = 0x766f6c63;

export const LOCKS = {
  /**
   * Every write transaction takes it first, so writes are serialised across all servers, as SQLite
   * serialises them in one file: each writer reads what the previous one committed, so "exactly one
   * CURRENT", "a name created once" and "retention applied once" hold as they do on SQLite.
   */
  write: 1,
  /** the sweeper (purges, automatic rotations): one server at a time */
  sweep: 2,
} as const;

/** Waits (up to lock_timeout) for `lock` until the transaction ends. */
export async function lockForTransaction(trx: Transaction<Database>, lock: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(NAMESPACE)}, ${sql.lit(lock)})`.execute(trx);
}

/** Session-level lock on the connection `conn`; false when another session holds it (try) . */
export async function lockSession(conn: Kysely<Database>, lock: number, wait: boolean): Promise<boolean> {
  if (wait) {
    await sql`select pg_advisory_lock(${sql.lit(NAMESPACE)}, ${sql.lit(lock)})`.execute(conn);
    return true;
  }
  const result = await sql<{ got: boolean }>`select pg_try_advisory_lock(${sql.lit(NAMESPACE)}, ${sql.lit(lock)}) as got`.execute(conn);
  return result.rows[0]?.got === true;
}

export async function unlockSession(conn: Kysely<Database>, lock: number): Promise<void> {
  await sql`select pg_advisory_unlock(${sql.lit(NAMESPACE)}, ${sql.lit(lock)})`.execute(conn);
}
