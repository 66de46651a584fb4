/**
 * The store as `volc-secrets export` sees it: one read transaction over a database opened read-only,
 * beside a server that may be writing it (WAL lets a reader see one consistent snapshot while the
 * writer carries on).
 */
import type { SecretRepository, UnitOfWork } from '../domain/ports';
import type { Scope } from '../domain/types';
import { openDatabaseReadOnly } from './sqlite/database';
import { KyselySecretRepository } from './secret-repository';

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
  /** runs `work` in one read transaction: everything it reads belongs to the same moment */
  read<T>(work: (view: StoreView) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function readOnlyUnitOfWork(reader: SecretRepository): UnitOfWork {
  return { reader, run: () => Promise.reject(new Error('the database is open read-only')) };
}

export async function openReadOnlyStore(file: string): Promise<ReadOnlyStore> {
  const db = await openDatabaseReadOnly(file);
  return {
    read: (work) =>
      db.transaction().execute((trx) =>
        work({
          uow: readOnlyUnitOfWork(new KyselySecretRepository(trx)),
          scopes: async () => {
            const rows = await trx.selectFrom('secrets').select(['account_id', 'region']).distinct().orderBy('account_id').orderBy('region').execute();
            return rows.map((r) => ({ accountId: r.account_id, region: r.region }));
          },
          masterKeyCheck: async () => {
            const row = await trx.selectFrom('store_meta').select('value').where('key', '=', 'master_key_check').executeTakeFirst();
            return row?.value;
          },
        }),
      ),
    close: () => db.destroy(),
  };
}
