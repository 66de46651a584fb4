/**
 * Every migration, in order. Listed statically (not read from the directory at run time) so that the
 * bundled single binary carries them too.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_secrets';
import * as m0002 from './0002_audit_log';
import * as m0003 from './0003_secret_counts';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_secrets': m0001,
  '0002_audit_log': m0002,
  '0003_secret_counts': m0003,
};
