/**
 * PostgreSQL transactions: READ COMMITTED, each beginning with the write lock (locks.ts), so writes
 * from every server on the database run one after another. A serialization failure or a deadlock
 * (possible only with writers outside this server, e.g. a tool) is retried here, a few times, before
 * the request is answered 503.
 */
import type { Kysely, Transaction } from 'kysely';
import { StoreBusyError } from '../../domain/errors';
import type { SecretRepository, UnitOfWork } from '../../domain/ports';
import { KyselySecretRepository } from '../secret-repository';
import type { Database } from '../tables';
import { LOCKS, lockForTransaction } from './locks';

const RETRYABLE = new Set(['40001', '40P01']);
export const ATTEMPTS = 5;

export function isRetryable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Runs `attempt` again when it failed with a serialization failure or a deadlock (its transaction
 * was rolled back whole, so running it again is safe); after ATTEMPTS tries the caller gets the
 * retryable StoreBusyError. Any other failure passes through at once.
 */
export async function retryingConflicts<T>(attempt: () => Promise<T>, pause: (ms: number) => Promise<void> = sleep): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isRetryable(e)) throw e;
      if (n >= ATTEMPTS) throw new StoreBusyError();
      // a short, growing, jittered pause so that the transactions that collided do not collide again
      await pause(n * 5 + Math.random() * 10);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `work` in a transaction holding the write lock, retrying on serialization failures. */
export function writeTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return retryingConflicts(() =>
    db.transaction().execute(async (trx) => {
      await lockForTransaction(trx, LOCKS.write);
      return work(trx);
    }),
  );
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
