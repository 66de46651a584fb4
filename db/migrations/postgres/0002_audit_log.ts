/**
 * PostgreSQL: the audit log (see db/migrations/sqlite/0002_audit_log.ts). `seq` is an identity
 * column; every instance on the database appends to this one table.
 */
import type { Kysely } from 'kysely';

// Migrations see the database as it was, not as the current table types describe it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('clock_at', 'bigint', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text')
    .addColumn('access_key_id', 'text')
    .addColumn('account_id', 'text')
    .addColumn('region', 'text')
    .addColumn('action', 'text')
    .addColumn('version', 'text')
    .addColumn('secret_name', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('duration_ms', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
}
