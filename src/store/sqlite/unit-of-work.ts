/**
 * SQLite transactions. SQLite has one writer; kysely serialises on its one connection.
 */
import { sql, type Kysely } from 'kysely';
import { StoreBusyError } from '../../domain/errors';
import type { SecretRepository, UnitOfWork } from '../../domain/ports';
import { KyselySecretRepository } from '../secret-repository';
import type { Database } from '../tables';
import type { DirectStatements } from './direct-statements';
import { GroupCommit } from './group-commit';

/** Still locked by another connection after busy_timeout: a retryable refusal, not an internal error. */
function busyOrSame(e: unknown): unknown {
  return (e as { code?: unknown }).code === 'SQLITE_BUSY' ? new StoreBusyError() : e;
}

/**
 * Each transaction takes the write lock when it begins (BEGIN IMMEDIATE), not at its first write:
 * a deferred transaction that reads and then writes fails at once with SQLITE_BUSY (no busy_timeout
 * wait) when another connection to the file (a tool, a second process) committed in between.
 *
 * The server's store gives `direct`: its units of work then run their statements on better-sqlite3
 * at once, and the units of one event-loop turn commit together (group-commit.ts). Without it
 * (tools, tests of kysely's path), each unit is its own transaction through kysely.
 */
export class SqliteUnitOfWork implements UnitOfWork {
  readonly reader: SecretRepository;
  private readonly group: GroupCommit | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    direct?: DirectStatements,
  ) {
    this.reader = new KyselySecretRepository(db);
    this.group = direct && new GroupCommit({ db, ...direct, beginFailed: busyOrSame });
  }

  run<T>(work: (repo: SecretRepository) => Promise<T>): Promise<T> {
    if (this.group) return this.group.run(work);
    return this.db.connection().execute(async (conn) => {
      try {
        await sql`begin immediate`.execute(conn);
      } catch (e) {
        throw busyOrSame(e);
      }
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
