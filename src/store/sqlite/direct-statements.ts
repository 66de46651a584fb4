/**
 * The precompiled statements of ../secret-queries.ts run on better-sqlite3 at once, rather than
 * through kysely's connection queue and driver, in two situations:
 *
 * - reads on the root database, when no transaction is open on the connection (the hot path's
 *   lookups: GetSecretValue, DescribeSecret, the common DescribeSecrets page). While a transaction is
 *   open a read outside it would see its uncommitted rows, so it declines and kysely's path waits;
 * - every statement, reads and writes, of the units of work, on the connection they hold inside their
 *   transaction (group-commit.ts): kysely has handed that connection to them alone, so running their
 *   statements directly changes nothing but the cost (CreateSecret runs seven). The transaction's own
 *   statements (BEGIN IMMEDIATE, the savepoints, COMMIT) are prepared once here too.
 *
 * Rows come back as arrays and are made into objects by a maker compiled once per statement: every row
 * of a statement is then one object literal of the same shape (V8 gives them one hidden class from
 * birth), where better-sqlite3's own row objects are built key by key: half the cost for the 30-column
 * row of GetSecretValue, and faster to read afterwards.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { DirectExecutor } from '../compiled-query';

type RowMaker = (values: unknown[]) => Record<string, unknown>;

type DirectStatement =
  | { reader: true; statement: BetterSqlite3.Statement<unknown[], unknown[]>; make: RowMaker }
  | { reader: false; statement: BetterSqlite3.Statement<unknown[], unknown> };

/**
 * `{ "col": v[0], ... }` for the statement's columns. The names are those of our own schema's SQL
 * (never input); JSON.stringify quotes them.
 */
function rowMaker(columns: readonly string[]): RowMaker {
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as RowMaker;
}

/** The transaction statements of the units of work (group-commit.ts), on the connection they hold. */
export interface TransactionControl {
  /** BEGIN IMMEDIATE: the write lock is taken up front */
  begin(): void;
  commit(): void;
  rollback(): void;
  /** one unit's savepoint inside the shared transaction */
  savepoint(): void;
  /** keeps the unit's writes (they commit with the transaction) */
  release(): void;
  /** undoes the unit's writes, and only them */
  rollbackToSavepoint(): void;
}

export interface DirectStatements {
  /** for the root database: reads only, and only outside a transaction */
  readsOutsideTransactions: DirectExecutor;
  /** for a unit of work's own connection, inside its transaction: every statement */
  insideOwnTransaction: DirectExecutor;
  transaction: TransactionControl;
  /** whether a transaction is open on the connection (SQLite ends one on its own after some errors) */
  inTransaction: () => boolean;
}

export function directStatements(sqlite: BetterSqlite3.Database): DirectStatements {
  // one entry per precompiled statement (a fixed set of SQL texts), so it needs no bound
  const statements = new Map<string, DirectStatement>();
  const statementFor = (sql: string): DirectStatement => {
    let entry = statements.get(sql);
    if (entry === undefined) {
      const statement = sqlite.prepare<unknown[], unknown[]>(sql);
      entry = statement.reader
        ? { reader: true, statement: statement.raw(true), make: rowMaker(statement.columns().map((c) => c.name)) }
        : { reader: false, statement };
      statements.set(sql, entry);
    }
    return entry;
  };
  const run = (entry: DirectStatement, parameters: readonly unknown[]): unknown[] => {
    if (!entry.reader) {
      entry.statement.run(parameters as unknown[]);
      // callers of a precompiled write read no rows (kysely's answer to an INSERT or UPDATE is none too)
      return [];
    }
    const rows = entry.statement.all(parameters as unknown[]);
    for (let i = 0; i < rows.length; i++) (rows as unknown[])[i] = entry.make(rows[i]);
    return rows;
  };
  const control = (text: string) => {
    const statement = sqlite.prepare(text);
    return (): void => void statement.run();
  };
  const release = control('release unit');
  const rollbackTo = control('rollback to unit');
  return {
    inTransaction: () => sqlite.inTransaction,
    transaction: {
      begin: control('begin immediate'),
      commit: control('commit'),
      rollback: control('rollback'),
      savepoint: control('savepoint unit'),
      release,
      rollbackToSavepoint: () => {
        rollbackTo();
        release();
      },
    },
    readsOutsideTransactions: (sql, parameters) => {
      if (sqlite.inTransaction) return undefined;
      const entry = statementFor(sql);
      // a write is kysely's to run (it runs in a transaction anyway)
      return entry.reader ? run(entry, parameters) : undefined;
    },
    insideOwnTransaction: (sql, parameters) => {
      // only ever registered for the connection the units of work hold, once their transaction has begun
      if (!sqlite.inTransaction) return undefined;
      return run(statementFor(sql), parameters);
    },
  };
}
