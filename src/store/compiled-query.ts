/**
 * Queries built and compiled once, executed many times with new values. Building a kysely query and
 * compiling it to SQL costs more per call than running it against SQLite for the small indexed
 * lookups of the hot path (GetSecretValue, DescribeSecret...), so those are compiled on first use
 * with named slots in place of their values; each execution only fills the slots in. The SQL text
 * stays the same, so SQLite's statement cache prepares it once too.
 *
 * The SQL text depends on the dialect (`?` or `$1`, quoting), so the compiled form is kept per
 * database (per kysely adapter): one query definition serves SQLite and PostgreSQL alike.
 */
import type { CompiledQuery, Compilable, DialectAdapter, Kysely } from 'kysely';
import type { Database } from './tables';

/** A value to be given at execution time, standing in the built query where the value goes. */
class Slot<P> {
  constructor(readonly name: keyof P) {}
}

/** Gives a slot typed as the value it stands for, so the builder type-checks as with a real value. */
export type SlotOf<P> = <K extends keyof P>(name: K) => P[K];

interface Compiled<P, R> {
  query: CompiledQuery<R>;
  sources: ReadonlyArray<Slot<P> | { constant: unknown }>;
}

/**
 * Runs a statement's SQL at once on the dialect's own handle, bypassing kysely's connection queue, or
 * answers undefined when it must not (see sqlite/direct-statements.ts for when: a read on the root
 * database while a transaction is open must wait for it on kysely's path).
 */
export type DirectExecutor = (sql: string, parameters: readonly unknown[]) => unknown[] | undefined;

/**
 * Keyed by kysely instance: the root database (its reads), and the instance of the connection the units
 * of work hold (all their statements, while they hold it). A weak map: the latter go with their transaction.
 */
const directExecutors = new WeakMap<Kysely<Database>, DirectExecutor>();

/** Lets the precompiled statements executed on `db` run through `executor` (when it accepts them). */
export function allowDirectExecution(db: Kysely<Database>, executor: DirectExecutor): void {
  directExecutors.set(db, executor);
}

export class PrecompiledQuery<P extends object, R> {
  private readonly compiled = new WeakMap<DialectAdapter, Compiled<P, R>>();

  /** `build` must use `slot(name)` for every value that changes between executions. */
  constructor(private readonly build: (db: Kysely<Database>, slot: SlotOf<P>) => Compilable<R>) {}

  async execute(db: Kysely<Database>, params: P): Promise<R[]> {
    const { query, sources } = this.compile(db);
    const parameters = sources.map((s) => (s instanceof Slot ? params[s.name] : s.constant));
    const direct = directExecutors.get(db)?.(query.sql, parameters);
    if (direct !== undefined) return direct as R[];
    const result = await db.executeQuery<R>({ ...query, parameters });
    return result.rows;
  }

  async executeTakeFirst(db: Kysely<Database>, params: P): Promise<R | undefined> {
    return (await this.execute(db, params))[0];
  }

  /** The SQL text and where each parameter comes from, as this database's dialect writes them. */
  compile(db: Kysely<Database>): Compiled<P, R> {
    const adapter = db.getExecutor().adapter;
    let compiled = this.compiled.get(adapter);
    if (!compiled) {
      const slot = <K extends keyof P>(name: K): P[K] => new Slot<P>(name) as unknown as P[K];
      const query = this.build(db, slot).compile();
      const sources = query.parameters.map((p) => (p instanceof Slot ? (p as Slot<P>) : { constant: p }));
      compiled = { query, sources };
      this.compiled.set(adapter, compiled);
    }
    return compiled;
  }
}
