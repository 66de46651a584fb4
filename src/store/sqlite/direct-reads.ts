/**
 * The hot path's reads (the precompiled queries of ../secret-queries.ts) run on better-sqlite3 at once
 * rather than through kysely's connection queue, when no transaction is open on the connection.
 *
 * Rows come back as arrays and are made into objects by a maker compiled once per statement: every row
 * of a statement is then one object literal of the same shape (V8 gives them one hidden class from
 * birth), where better-sqlite3's own row objects are built key by key: half the cost for the 30-column
 * row of GetSecretValue, and faster to read afterwards.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { DirectReader } from '../compiled-query';

type RowMaker = (values: unknown[]) => Record<string, unknown>;

interface DirectStatement {
  statement: BetterSqlite3.Statement<unknown[], unknown[]>;
  make: RowMaker;
}

/**
 * `{ "col": v[0], ... }` for the statement's columns. The names are those of our own schema's SQL
 * (never input); JSON.stringify quotes them.
 */
function rowMaker(columns: readonly string[]): RowMaker {
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as RowMaker;
}

export function directReader(sqlite: BetterSqlite3.Database): DirectReader {
  // one entry per precompiled read (a fixed set of SQL texts), so it needs no bound
  const statements = new Map<string, DirectStatement | null>();
  const statementFor = (sql: string): DirectStatement | null => {
    let entry = statements.get(sql);
    if (entry === undefined) {
      const statement = sqlite.prepare<unknown[], unknown[]>(sql);
      // a write is kysely's to run (it runs in a transaction anyway)
      entry = statement.reader ? { statement: statement.raw(true), make: rowMaker(statement.columns().map((c) => c.name)) } : null;
      statements.set(sql, entry);
    }
    return entry;
  };
  return (sql, parameters) => {
    // inside a transaction a read outside it would see its uncommitted rows: kysely's path waits for it
    if (sqlite.inTransaction) return undefined;
    const entry = statementFor(sql);
    if (entry === null) return undefined;
    const rows = entry.statement.all(parameters as unknown[]);
    for (let i = 0; i < rows.length; i++) (rows as unknown[])[i] = entry.make(rows[i]);
    return rows;
  };
}
