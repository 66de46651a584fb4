/**
 * Which master key a server uses, and the guarantee that a database is only ever opened with the key
 * it was first sealed with (its check value is kept in store_meta). On PostgreSQL every instance
 * must be given the same key file; one with another key refuses to start.
 */
import fs from 'node:fs';
import { defaultMasterKeyPath, ephemeralMasterKey, loadOrCreateMasterKey, masterKeyCheck, type LoadedMasterKey } from '../crypto/master-key';
import { MEMORY, type DatabaseLocation } from '../store/database-url';
import type { MasterKeyCheckStore } from '../store/store';

export class MasterKeyBindingError extends Error {}

/**
 * The default key when none was given: fresh for memory; for a file database, the key file beside
 * it, created on first start. A database that already holds sealed values never gets a new key: that
 * key could open nothing. A PostgreSQL database has no "beside": its key file must be given.
 */
export function loadDefaultMasterKey(location: DatabaseLocation, databaseHasKey: boolean): LoadedMasterKey {
  if (location.kind === 'postgres') {
    throw new MasterKeyBindingError(
      `a PostgreSQL database needs a master key file, the same on every instance: give VOLC_SECRETS_MASTER_KEY_FILE (--master-key-file)`,
    );
  }
  const db = location.file;
  if (db === MEMORY) return ephemeralMasterKey();
  const file = defaultMasterKeyPath(db);
  if (databaseHasKey && !fs.existsSync(file)) {
    throw new MasterKeyBindingError(
      `database ${db} was sealed with a master key, but its key file ${file} is missing; put it back or give VOLC_SECRETS_MASTER_KEY_FILE`,
    );
  }
  return loadOrCreateMasterKey(file);
}

/**
 * The given key (or the default one) bound to the database: the first server to open it records the
 * key's check value; every later one must match it.
 */
export async function bindMasterKey(
  store: MasterKeyCheckStore,
  location: DatabaseLocation,
  label: string,
  given: LoadedMasterKey | undefined,
): Promise<LoadedMasterKey> {
  const stored = await store.read();
  const key = given ?? loadDefaultMasterKey(location, stored !== undefined);
  const check = masterKeyCheck(key.key);
  const bound = stored ?? (await store.claim(check));
  if (bound !== check) {
    throw new MasterKeyBindingError(`database ${label} was created with a different master key; give the matching VOLC_SECRETS_MASTER_KEY_FILE`);
  }
  return key;
}
