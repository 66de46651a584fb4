/**
 * The hot path's precompiled statements as each dialect runs them, side by side: one kysely
 * definition (src/store/secret-queries.ts) compiles to SQLite's and PostgreSQL's SQL, and the
 * compiled form is kept per database, so a process using both never sends one dialect's text to the other.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Dialect,
} from 'kysely';
import type { PrecompiledQuery } from '../../src/store/compiled-query';
import * as Q from '../../src/store/secret-queries';
import type { Database } from '../../src/store/tables';

function offline(dialect: Omit<Dialect, 'createDriver'>): Kysely<Database> {
  return new Kysely<Database>({ dialect: { ...dialect, createDriver: () => new DummyDriver() } });
}

const sqlite = offline({ createAdapter: () => new SqliteAdapter(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() });
const postgres = offline({ createAdapter: () => new PostgresAdapter(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() });

const VERSION_COLUMNS = `"v"."id" as "v_id", "v"."name" as "v_name", "v"."stage" as "v_stage", "v"."sequence" as "v_sequence", "v"."created_at" as "v_created_at", "v"."kind" as "v_kind", "v"."wrapped_key" as "v_wrapped_key", "v"."iv" as "v_iv", "v"."ciphertext" as "v_ciphertext"`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const SIDE_BY_SIDE: Array<[string, PrecompiledQuery<any, unknown>, string, string]> = [
  [
    'FIND_SECRET',
    Q.FIND_SECRET,
    'select * from "secrets" where "account_id" = ? and "region" = ? and "name" = ?',
    'select * from "secrets" where "account_id" = $1 and "region" = $2 and "name" = $3',
  ],
  [
    'FIND_SECRET_WITH_VERSION.byStage (GetSecretValue)',
    Q.FIND_SECRET_WITH_VERSION.byStage,
    `select "secrets".*, ${VERSION_COLUMNS} from "secrets" left join "secret_versions" as "v" on "v"."secret_id" = "secrets"."id" and "v"."stage" = ? where "secrets"."account_id" = ? and "secrets"."region" = ? and "secrets"."name" = ?`,
    `select "secrets".*, ${VERSION_COLUMNS} from "secrets" left join "secret_versions" as "v" on "v"."secret_id" = "secrets"."id" and "v"."stage" = $1 where "secrets"."account_id" = $2 and "secrets"."region" = $3 and "secrets"."name" = $4`,
  ],
  [
    'FIND_VERSION.byName',
    Q.FIND_VERSION.byName,
    'select * from "secret_versions" where "secret_id" = ? and "name" = ?',
    'select * from "secret_versions" where "secret_id" = $1 and "name" = $2',
  ],
  [
    'DEMOTE_CURRENT',
    Q.DEMOTE_CURRENT,
    'update "secret_versions" set "stage" = ? where "secret_id" = ? and "stage" = ?',
    'update "secret_versions" set "stage" = $1 where "secret_id" = $2 and "stage" = $3',
  ],
  [
    'LAST_VERSION_SEQUENCE',
    Q.LAST_VERSION_SEQUENCE,
    'select max("sequence") as "max" from "secret_versions" where "secret_id" = ?',
    'select max("sequence") as "max" from "secret_versions" where "secret_id" = $1',
  ],
  [
    'SECRETS_DUE_FOR_DELETION',
    Q.SECRETS_DUE_FOR_DELETION,
    'select * from "secrets" where "delete_at" <= ? and "state" = ? order by "delete_at" limit cast(? as bigint)',
    'select * from "secrets" where "delete_at" <= $1 and "state" = $2 order by "delete_at" limit cast($3 as bigint)',
  ],
  [
    'LIST_IN_SCOPE',
    Q.LIST_IN_SCOPE,
    'select * from "secrets" where "account_id" = ? and "region" = ? order by "created_at" desc, "name" asc limit cast(? as bigint) offset cast(? as bigint)',
    'select * from "secrets" where "account_id" = $1 and "region" = $2 order by "created_at" desc, "name" asc limit cast($3 as bigint) offset cast($4 as bigint)',
  ],
  [
    'LIST_IN_PROJECT',
    Q.LIST_IN_PROJECT,
    'select * from "secrets" where "account_id" = ? and "region" = ? and "project_name" = ? order by "created_at" desc, "name" asc limit cast(? as bigint) offset cast(? as bigint)',
    'select * from "secrets" where "account_id" = $1 and "region" = $2 and "project_name" = $3 order by "created_at" desc, "name" asc limit cast($4 as bigint) offset cast($5 as bigint)',
  ],
  [
    'COUNT_IN_PROJECT',
    Q.COUNT_IN_PROJECT,
    'select "n" as "total" from "secret_counts" where "account_id" = ? and "region" = ? and "project_name" = ?',
    'select "n" as "total" from "secret_counts" where "account_id" = $1 and "region" = $2 and "project_name" = $3',
  ],
];

describe('precompiled statements, SQLite and PostgreSQL side by side', () => {
  it.each(SIDE_BY_SIDE)('%s', (_name, query, sqliteSql, postgresSql) => {
    expect(query.compile(sqlite).query.sql).toBe(sqliteSql);
    expect(query.compile(postgres).query.sql).toBe(postgresSql);
    // compiled once per database: asking again gives the same compiled form
    expect(query.compile(sqlite)).toBe(query.compile(sqlite));
  });

  it('the write path binds every column in both dialects', () => {
    for (const db of [sqlite, postgres]) {
      expect(Q.INSERT_SECRET.compile(db).query.parameters).toHaveLength(21);
      expect(Q.UPDATE_SECRET.compile(db).query.parameters).toHaveLength(21);
      expect(Q.INSERT_VERSION.compile(db).query.parameters).toHaveLength(10);
    }
  });
});
