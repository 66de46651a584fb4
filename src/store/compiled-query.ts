/**
 * Queries built and compiled once, executed many times with new values. Building a kysely query and
 * compiling it to SQL costs more per call than running it against SQLite for the small indexed
 * lookups of the hot path (GetSecretValue, DescribeSecret...), so those are compiled on first use
 * with named slots in place of their values; each execution only fills the slots in. The SQL text
 * stays the same, so the statement cache prepares it once too.
 */
import type { CompiledQuery, Compilable, Kysely } from 'kysely';
import type { Database } from './tables';

/** A value to be given at execution time, standing in the built query where the value goes. */
class Slot<P> {
  constructor(readonly name: keyof P) {}
}

/** Gives a slot typed as the value it stands for, so the builder type-checks as with a real value. */
export type SlotOf<P> = <K extends keyof P>(name: K) => P[K];

export class PrecompiledQuery<P extends object, R> {
  private compiled: { query: CompiledQuery<R>; sources: ReadonlyArray<Slot<P> | { constant: unknown }> } | null = null;

  /** `build` must use `slot(name)` for every value that changes between executions. */
  constructor(private readonly build: (db: Kysely<Database>, slot: SlotOf<P>) => Compilable<R>) {}

  async execute(db: Kysely<Database>, params: P): Promise<R[]> {
    const { query, sources } = this.compile(db);
    const parameters = sources.map((s) => (s instanceof Slot ? params[s.name] : s.constant));
    const result = await db.executeQuery<R>({ ...query, parameters });
    return result.rows;
  }

  async executeTakeFirst(db: Kysely<Database>, params: P): Promise<R | undefined> {
    return (await this.execute(db, params))[0];
  }

  private compile(db: Kysely<Database>) {
    if (!this.compiled) {
      const slot = <K extends keyof P>(name: K): P[K] => new Slot<P>(name) as unknown as P[K];
      const query = this.build(db, slot).compile();
      const sources = query.parameters.map((p) => (p instanceof Slot ? (p as Slot<P>) : { constant: p }));
      this.compiled = { query, sources };
    }
    return this.compiled;
  }
}
