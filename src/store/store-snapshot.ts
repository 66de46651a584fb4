/**
 * A copy of every secret and version row, taken in one read transaction and put back in one write
 * transaction. Values stay as stored (encrypted under the same master key); works the same on a
 * file, on `:memory:` and on PostgreSQL. The audit log and store_meta are not part of it. The
 * dialect's store decides which transaction these run in (PostgreSQL's takes the write lock).
 */
import type { Selectable, Transaction } from 'kysely';
import type { Database, SecretVersionsTable, SecretsTable } from './tables';

export interface StoreSnapshot {
  secrets: ReadonlyArray<Selectable<SecretsTable>>;
  versions: ReadonlyArray<Selectable<SecretVersionsTable>>;
}

/** Rows per INSERT: secrets have 21 columns, well below both databases' bound-parameter limits at this size. */
const ROWS_PER_STATEMENT = 200;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

export async function captureRows(trx: Transaction<Database>): Promise<StoreSnapshot> {
  const secrets = await trx.selectFrom('secrets').selectAll().orderBy('id').execute();
  const versions = await trx.selectFrom('secret_versions').selectAll().orderBy('secret_id').orderBy('sequence').execute();
  return { secrets, versions };
}

/** Removes every secret and version; returns how many secrets there were. */
export async function deleteAllSecrets(trx: Transaction<Database>): Promise<number> {
  await trx.deleteFrom('secret_versions').execute();
  const result = await trx.deleteFrom('secrets').executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Replaces every secret and version with the snapshot's (inside the caller's transaction). */
export async function replaceRows(trx: Transaction<Database>, snapshot: StoreSnapshot): Promise<void> {
  await deleteAllSecrets(trx);
  for (const rows of chunks(snapshot.secrets)) await trx.insertInto('secrets').values(rows).execute();
  for (const rows of chunks(snapshot.versions)) await trx.insertInto('secret_versions').values(rows).execute();
}
