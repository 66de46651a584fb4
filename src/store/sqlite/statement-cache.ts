/**
 * Prepared statements, kept. kysely's SQLite driver calls `prepare(sql)` for every query it runs,
 * and preparing costs more than running a simple indexed lookup; handing kysely this cache instead
 * of the raw handle makes each distinct SQL text be prepared once. Statements stay valid across
 * schema changes (SQLite re-prepares them itself), and kysely runs one query at a time on the one
 * connection, so a statement is never in use twice at once.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept; queries with `in (?, ?, ...)` lists of many lengths must not grow it forever. */
const DEFAULT_LIMIT = 500;

export class StatementCache implements SqliteDatabase {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  prepare(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.sqlite.prepare(sql);
      if (this.statements.size >= this.limit) {
        // drop the oldest entry (Map keeps insertion order)
        const oldest = this.statements.keys().next();
        if (!oldest.done) this.statements.delete(oldest.value);
      }
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.sqlite.close();
  }
}
