/**
 * PostgreSQL: secrets and their versions, as db/migrations/sqlite/0001_secrets.ts builds them for
 * SQLite. Differences: `bytea` for the sealed blobs, and the same names for constraints and indexes.
 * Epoch-millisecond columns are `bigint` (the pool parses int8 back into numbers: they stay below 2^53).
 */
import type { Kysely } from 'kysely';

// Migrations see the database as it was, not as the current table types describe it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('secrets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('trn', 'text', (c) => c.notNull())
    .addColumn('project_name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_before_deletion', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('encryption_key', 'text', (c) => c.notNull())
    .addColumn('extended_config', 'text', (c) => c.notNull())
    .addColumn('managed', 'integer', (c) => c.notNull())
    .addColumn('owning_service', 'text', (c) => c.notNull())
    .addColumn('rotation_state', 'text', (c) => c.notNull())
    .addColumn('rotation_interval_s', 'integer', (c) => c.notNull())
    .addColumn('last_rotated_at', 'bigint')
    .addColumn('next_rotation_at', 'bigint')
    .addColumn('delete_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('secrets_scope_name', ['account_id', 'region', 'name'])
    .execute();
  await db.schema.createIndex('secrets_scope_created').on('secrets').columns(['account_id', 'region', 'created_at']).execute();
  await db.schema.createIndex('secrets_delete_at').on('secrets').column('delete_at').execute();
  await db.schema.createIndex('secrets_next_rotation_at').on('secrets').column('next_rotation_at').execute();

  await db.schema
    .createTable('secret_versions')
    .addColumn('secret_id', 'text', (c) => c.notNull().references('secrets.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', 'bytea', (c) => c.notNull())
    .addColumn('iv', 'bytea', (c) => c.notNull())
    .addColumn('ciphertext', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('secret_versions_pk', ['secret_id', 'id'])
    .addUniqueConstraint('secret_versions_name', ['secret_id', 'name'])
    .addUniqueConstraint('secret_versions_sequence', ['secret_id', 'sequence'])
    .execute();
  await db.schema.createIndex('secret_versions_stage').on('secret_versions').columns(['secret_id', 'stage']).execute();

  await db.schema
    .createTable('store_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('secret_versions').execute();
  await db.schema.dropTable('secrets').execute();
  await db.schema.dropTable('store_meta').execute();
}
