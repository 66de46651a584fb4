/**
 * Every migration, in order. Listed statically (not read from the directory at run time) so that the
 * bundled single binary carries them too.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_secrets';
import * as m0002 from './0002_audit_log';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_secrets': m0001,
  '0002_audit_log': m0002,
};
