/**
 * PostgreSQL: secrets per account, region and project, kept by a trigger (the SQLite version,
 * db/migrations/sqlite/0003_secret_counts.ts, says why triggers). One PL/pgSQL function handles
 * insert, delete and a move between scopes. Concurrent inserts into one scope from several instances
 * meet on the count row: `on conflict do update` serialises them on that row, so no increment is lost.
 */
import { sql, type Kysely } from 'kysely';

// Migrations see the database as it was, not as the current table types describe it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('secret_counts')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('project_name', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('secret_counts_pk', ['account_id', 'region', 'project_name'])
    .execute();
  await sql`
    insert into secret_counts (account_id, region, project_name, n)
    select account_id, region, project_name, count(*) from secrets group by account_id, region, project_name
  `.execute(db);
  await sql`
    create function secrets_count_keep() returns trigger language plpgsql as $$
    begin
      if tg_op in ('DELETE', 'UPDATE') then
        update secret_counts set n = n - 1
          where account_id = old.account_id and region = old.region and project_name = old.project_name;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into secret_counts (account_id, region, project_name, n) values (new.account_id, new.region, new.project_name, 1)
          on conflict (account_id, region, project_name) do update set n = secret_counts.n + 1;
      end if;
      return null;
    end
    $$
  `.execute(db);
  await sql`create trigger secrets_count_insert after insert on secrets for each row execute function secrets_count_keep()`.execute(db);
  await sql`create trigger secrets_count_delete after delete on secrets for each row execute function secrets_count_keep()`.execute(db);
  await sql`
    create trigger secrets_count_move after update of account_id, region, project_name on secrets for each row
    when (old.account_id is distinct from new.account_id or old.region is distinct from new.region or old.project_name is distinct from new.project_name)
    execute function secrets_count_keep()
  `.execute(db);
  await db.schema
    .createIndex('secrets_scope_project_created')
    .on('secrets')
    .columns(['account_id', 'region', 'project_name', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('secrets_scope_project_created').execute();
  await sql`drop trigger secrets_count_move on secrets`.execute(db);
  await sql`drop trigger secrets_count_delete on secrets`.execute(db);
  await sql`drop trigger secrets_count_insert on secrets`.execute(db);
  await sql`drop function secrets_count_keep()`.execute(db);
  await db.schema.dropTable('secret_counts').execute();
}
