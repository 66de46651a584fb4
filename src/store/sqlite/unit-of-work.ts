/**
 * SQLite transactions. SQLite has one writer; kysely serialises on its one connection.
 */
import type { Kysely } from 'kysely';
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
 * Units of work run their statements on better-sqlite3 at once (direct-statements.ts), and the units
 * of one event-loop turn commit together (group-commit.ts). Each transaction takes the write lock when
 * it begins (BEGIN IMMEDIATE), not at its first write: a deferred transaction that reads and then
 * writes fails at once with SQLITE_BUSY (no busy_timeout wait) when another connection to the file (a
 * tool, a second process) committed in between.
 */
export class SqliteUnitOfWork implements UnitOfWork {
  readonly reader: SecretRepository;
  private readonly group: GroupCommit;

  constructor(db: Kysely<Database>, direct: DirectStatements) {
    this.reader = new KyselySecretRepository(db);
    this.group = new GroupCommit({ db, direct, beginFailed: busyOrSame });
  }

  run<T>(work: (repo: SecretRepository) => Promise<T>): Promise<T> {
    return this.group.run(work);
  }
}
