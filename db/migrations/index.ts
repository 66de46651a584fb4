/**
 * Every migration of each dialect, in order. Listed statically (not read from the directory at run
 * time) so that the bundled single binary carries them too. The two lists keep the same names and
 * build the same tables; only the SQL each database needs differs (types, auto-increment, triggers).
 */
import type { Migration } from 'kysely';
import * as sqlite0001 from './sqlite/0001_secrets';
import * as sqlite0002 from './sqlite/0002_audit_log';
import * as sqlite0003 from './sqlite/0003_secret_counts';
import * as postgres0001 from './postgres/0001_secrets';
import * as postgres0002 from './postgres/0002_audit_log';
import * as postgres0003 from './postgres/0003_secret_counts';

export const SQLITE_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_secrets': sqlite0001,
  '0002_audit_log': sqlite0002,
  '0003_secret_counts': sqlite0003,
};

export const POSTGRES_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_secrets': postgres0001,
  '0002_audit_log': postgres0002,
  '0003_secret_counts': postgres0003,
};
