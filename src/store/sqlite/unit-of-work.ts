/**
 * SQLite transactions. SQLite has one writer; kysely serialises on its one connection.
 */
import { sql, type Kysely } from 'kysely';
import { StoreBusyError } from '../../domain/errors';
import { allowDirectExecution, type DirectExecutor } from '../compiled-query';
import type { SecretRepository, UnitOfWork } from '../../domain/ports';
import { KyselySecretRepository } from '../secret-repository';
import type { Database } from '../tables';

/**
 * Each unit of work takes the write lock when it begins (BEGIN IMMEDIATE), not at its first write:
 * a deferred transaction that reads and then writes fails at once with SQLITE_BUSY (no busy_timeout
 * wait) when another connection to the file (a tool, a second process) committed in between.
 */
export class SqliteUnitOfWork implements UnitOfWork {
  readonly reader: SecretRepository;

  /** `inside` runs the precompiled statements on the held connection, inside its transaction (direct-statements.ts) */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly inside?: DirectExecutor,
  ) {
    this.reader = new KyselySecretRepository(db);
  }

  run<T>(work: (repo: SecretRepository) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (conn) => {
      try {
        await sql`begin immediate`.execute(conn);
      } catch (e) {
        // still locked by another connection after busy_timeout: a retryable refusal, not an internal error
        if ((e as { code?: unknown }).code === 'SQLITE_BUSY') throw new StoreBusyError();
        throw e;
      }
      // the connection is this unit of work's alone until it returns: its statements may run directly
      if (this.inside) allowDirectExecution(conn, this.inside);
      let result: T;
      try {
        result = await work(new KyselySecretRepository(conn));
        await sql`commit`.execute(conn);
      } catch (e) {
        // a failed statement may already have ended the transaction; the first error is the one to report
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw e;
      }
      return result;
    });
  }
}
