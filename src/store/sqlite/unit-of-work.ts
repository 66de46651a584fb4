/**
 * SQLite transactions. SQLite has one writer; kysely serialises on its one connection.
 */
import { sql, type Kysely } from 'kysely';
import { StoreBusyError } from '../../domain/errors';
import { allowDirectExecution } from '../compiled-query';
import type { SecretRepository, UnitOfWork } from '../../domain/ports';
import { KyselySecretRepository } from '../secret-repository';
import type { Database } from '../tables';
import type { DirectStatements } from './direct-statements';

/**
 * Each unit of work takes the write lock when it begins (BEGIN IMMEDIATE), not at its first write:
 * a deferred transaction that reads and then writes fails at once with SQLITE_BUSY (no busy_timeout
 * wait) when another connection to the file (a tool, a second process) committed in between.
 */
export class SqliteUnitOfWork implements UnitOfWork {
  readonly reader: SecretRepository;

  /**
   * With `direct` (the store's), the transaction's statements run on better-sqlite3 at once on the
   * connection the unit of work holds (direct-statements.ts); without it, all through kysely.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly direct?: Pick<DirectStatements, 'insideOwnTransaction' | 'transaction'>,
  ) {
    this.reader = new KyselySecretRepository(db);
  }

  run<T>(work: (repo: SecretRepository) => Promise<T>): Promise<T> {
    // holding kysely's connection keeps every other query on it waiting until this returns
    return this.db.connection().execute(async (conn) => {
      const direct = this.direct;
      try {
        if (direct) direct.transaction.begin();
        else await sql`begin immediate`.execute(conn);
      } catch (e) {
        // still locked by another connection after busy_timeout: a retryable refusal, not an internal error
        if ((e as { code?: unknown }).code === 'SQLITE_BUSY') throw new StoreBusyError();
        throw e;
      }
      // the connection is this unit of work's alone until it returns: its statements may run directly
      if (direct) allowDirectExecution(conn, direct.insideOwnTransaction);
      let result: T;
      try {
        result = await work(new KyselySecretRepository(conn));
        if (direct) direct.transaction.commit();
        else await sql`commit`.execute(conn);
      } catch (e) {
        // a failed statement may already have ended the transaction; the first error is the one to report
        try {
          if (direct) direct.transaction.rollback();
          else await sql`rollback`.execute(conn);
        } catch {
          // no transaction left to roll back
        }
        throw e;
      }
      return result;
    });
  }
}
