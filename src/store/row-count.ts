/**
 * LIMIT and OFFSET values, bound as parameters but wrapped in `cast(? as bigint)`.
 *
 * Why: SQLite (3.53, as better-sqlite3 ships it) looks at the value bound to a bare `LIMIT ?` while
 * planning, and marks the statement to be planned again whenever that parameter is bound anew, which
 * better-sqlite3 does on every execution: each run of such a statement paid a full re-prepare (12 µs
 * for the sweeper's lookup of due deletions instead of 1.3; 46 instead of 28 for a DescribeSecrets
 * page, measured in a loop). Behind a cast the value is an expression computed when the statement
 * runs, so the plan stays, and the SQL text stays one text (a literal would make one per page). The
 * cast is plain SQL: PostgreSQL runs it unchanged (bigint: a far page's offset can pass 2^31).
 */
import { sql, type RawBuilder } from 'kysely';

export function rowCount(value: number): RawBuilder<number> {
  return sql<number>`cast(${value} as bigint)`;
}
