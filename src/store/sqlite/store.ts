/**
 * The store on one SQLite file (or memory). One process owns the file: the clock stays in the
 * process and an exclusive task needs no lock beyond the server's own (it runs one sweep at a time).
 */
import { SecretLocations } from '../secret-locations';
import { KyselyAuditStore } from '../audit-records';
import type { DatabaseLocation } from '../database-url';
import { masterKeyCheckStore } from '../store-meta';
import { captureRows, deleteAllSecrets, replaceRows } from '../store-snapshot';
import type { Store } from '../store';
import { openDatabase } from './database';
import { SqliteUnitOfWork } from './unit-of-work';

export async function openSqliteStore(location: Extract<DatabaseLocation, { kind: 'sqlite' }>): Promise<Store> {
  const opened = await openDatabase(location.file);
  const { db } = opened;
  return {
    location,
    label: location.file,
    uow: new SqliteUnitOfWork(db, opened.direct),
    locations: new SecretLocations(db),
    audit: new KyselyAuditStore(db),
    snapshots: {
      capture: () => db.transaction().execute(captureRows),
      restore: (snapshot) => db.transaction().execute((trx) => replaceRows(trx, snapshot)),
      clear: () => db.transaction().execute(deleteAllSecrets),
    },
    masterKeyCheck: masterKeyCheckStore(db),
    sharedClock: undefined,
    exclusive: async (_task, work) => ({ ran: true, value: await work() }),
    close: () => opened.close(),
  };
}
