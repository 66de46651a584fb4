/**
 * PostgreSQL transactions: READ COMMITTED, each beginning with the write lock (locks.ts), so writes
 * from every server on the database run one after another. A serialization failure or a deadlock
 * (possible only with writers outside this server, e.g. a tool) is retried here, a few times, before
 * the request is answered 503.
 */
import type { Kysely } from 'kysely';
import { StoreBusyError } from '../../domain/errors';
import type { SecretRepository, UnitOfWork } from '../../domain/ports';
import { KyselySecretRepository } from '../secret-repository';
import type { Database } from '../tables';
import { LOCKS, lockForTransaction } from './locks';

const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;

export function isRetryable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/** Runs `work` in a transaction holding the write lock, retrying on serialization failures. */
export async function writeTransaction<T>(db: Kysely<Database>, work: (trx: import('kysely').Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        await lockForTransaction(trx, LOCKS.write);
        return work(trx);
      });
    } catch (e) {
      if (!isRetryable(e)) throw e;
      if (attempt >= ATTEMPTS) throw new StoreBusyError();
      // a short, growing, jittered pause so that the transactions that collided do not collide again
      await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.random() * 10));
    }
  }
}

export class PostgresUnitOfWork implements UnitOfWork {
  readonly reader: SecretRepository;

  constructor(private readonly db: Kysely<Database>) {
    this.reader = new KyselySecretRepository(db);
  }

  run<T>(work: (repo: SecretRepository) => Promise<T>): Promise<T> {
    return writeTransaction(this.db, (trx) => work(new KyselySecretRepository(trx)));
  }
}
