/**
 * Every migration, in order. Listed statically (not read from the directory at run time) so that the
 * bundled single binary carries them too.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_secrets';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_secrets': m0001,
};
