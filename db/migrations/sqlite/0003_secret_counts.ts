/**
 * How many secrets each (account, region, project) holds, kept current by triggers, so that a
 * DescribeSecrets page does not count 100,000 rows to report its TotalCount. Triggers rather than
 * bookkeeping in the repository: every writer keeps the count right (snapshot restore, reset, a
 * second connection), and a count never drifts from the rows it counts. The trigger bodies are
 * SQLite's dialect; db/migrations/postgres/0003_secret_counts.ts is the PostgreSQL version.
 *
 * Also an index for the page of one project, newest first.
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
    create trigger secrets_count_insert after insert on secrets begin
      insert into secret_counts (account_id, region, project_name, n) values (new.account_id, new.region, new.project_name, 1)
        on conflict (account_id, region, project_name) do update set n = n + 1;
    end
  `.execute(db);
  await sql`
    create trigger secrets_count_delete after delete on secrets begin
      update secret_counts set n = n - 1
        where account_id = old.account_id and region = old.region and project_name = old.project_name;
    end
  `.execute(db);
  await sql`
    create trigger secrets_count_move after update of account_id, region, project_name on secrets
    when old.account_id is not new.account_id or old.region is not new.region or old.project_name is not new.project_name
    begin
      update secret_counts set n = n - 1
        where account_id = old.account_id and region = old.region and project_name = old.project_name;
      insert into secret_counts (account_id, region, project_name, n) values (new.account_id, new.region, new.project_name, 1)
        on conflict (account_id, region, project_name) do update set n = n + 1;
    end
  `.execute(db);
  await db.schema
    .createIndex('secrets_scope_project_created')
    .on('secrets')
    .columns(['account_id', 'region', 'project_name', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('secrets_scope_project_created').execute();
  await sql`drop trigger secrets_count_move`.execute(db);
  await sql`drop trigger secrets_count_delete`.execute(db);
  await sql`drop trigger secrets_count_insert`.execute(db);
  await db.schema.dropTable('secret_counts').execute();
}
