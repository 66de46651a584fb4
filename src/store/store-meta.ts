/**
 * store_meta: small named values the database carries about itself. The master key's check value
 * is claimed with insert-if-absent, which both dialects run atomically.
 */
import type { Kysely } from 'kysely';
import type { MasterKeyCheckStore } from './store';
import type { Database } from './tables';

const MASTER_KEY_CHECK = 'master_key_check';

export function masterKeyCheckStore(db: Kysely<Database>): MasterKeyCheckStore {
  const read = async (): Promise<string | undefined> => {
    const row = await db.selectFrom('store_meta').select('value').where('key', '=', MASTER_KEY_CHECK).executeTakeFirst();
    return row?.value;
  };
  return {
    read,
    claim: async (check) => {
      await db
        .insertInto('store_meta')
        .values({ key: MASTER_KEY_CHECK, value: check })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      return (await read()) ?? check;
    },
  };
}
