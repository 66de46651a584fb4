/**
 * The connection pool to PostgreSQL (the `pg` package) as kysely's PostgresDialect wants it, with
 * the database's failures turned into the domain's retryable errors at the one place every query
 * passes: a lost connection, a restarting server or a full pool become StoreUnavailableError, a
 * lock held too long StoreBusyError; both are answered 503 ServiceUnavailableTemp. The pool drops a
 * broken connection and opens a new one on the next request, so the server recovers by itself.
 */
import pg from 'pg';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { StoreBusyError, StoreUnavailableError } from '../../domain/errors';

export interface PoolOptions {
  /** connections kept at most; default 10 (at least 2: the sweeper holds one while it works) */
  size?: number;
  /** longest wait for a connection (from the pool or a new one), ms; default 5000 */
  connectTimeoutMs?: number;
  /** longest wait for a lock (the write lock, a row), ms; default 5000, like SQLite's busy_timeout */
  lockTimeoutMs?: number;
  /** longest a single statement may run, ms; default 30000 */
  statementTimeoutMs?: number;
  /** an idle connection failed (the server went away): logged, the pool replaces it */
  onIdleError?: (error: Error) => void;
}

export const DEFAULT_POOL_SIZE = 10;

/** int8 (bigint: epoch ms, counts) as a JS number: every value stored stays far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** SQLSTATE classes and codes that mean "the database is not there right now". */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** `pg` reports some connection failures by message only. */
const UNAVAILABLE_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /Connection ended/i];
/** lock_timeout (55P03), statement_timeout (57014) */
const BUSY_CODES = new Set(['55P03', '57014']);

export function isConnectionFailure(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code) || NETWORK_CODES.has(code))) return true;
  return UNAVAILABLE_MESSAGES.some((m) => m.test(e.message));
}

/** The domain's error for a database failure that is worth retrying later; anything else unchanged. */
export function translatePgError(e: unknown): unknown {
  if (e instanceof StoreBusyError) return e;
  if (isConnectionFailure(e)) return new StoreUnavailableError();
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && BUSY_CODES.has(code)) return new StoreBusyError();
  return e;
}

/** A checked-out connection that breaks between queries must not crash the process (an 'error' event without listener). */
const ignoreCheckedOutError = (): void => undefined;

class GuardedClient implements PostgresPoolClient {
  constructor(private readonly client: pg.PoolClient) {
    client.on('error', ignoreCheckedOutError);
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') return this.client.query(sqlOrCursor as never) as PostgresCursor<R>;
    return (this.client.query(sqlOrCursor, parameters as unknown[]) as unknown as Promise<PostgresQueryResult<R>>).catch((e: unknown) => {
      throw translatePgError(e);
    });
  }

  release(): void {
    this.client.off('error', ignoreCheckedOutError);
    this.client.release();
  }
}

/** kysely's pool interface over a pg.Pool whose failures arrive as domain errors. */
export class GuardedPool implements PostgresPool {
  constructor(readonly pool: pg.Pool) {}

  async connect(): Promise<PostgresPoolClient> {
    try {
      return new GuardedClient(await this.pool.connect());
    } catch (e) {
      throw translatePgError(e);
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

export function createPool(url: string, options: PoolOptions = {}): GuardedPool {
  const size = Math.max(2, options.size ?? DEFAULT_POOL_SIZE);
  const lockTimeoutMs = options.lockTimeoutMs ?? 5000;
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types,
    application_name: 'volc-secrets',
  });
  // Every connection waits for locks as long as SQLite's busy_timeout, and no statement runs forever.
  // Queries on one client run in order, so this runs before anything kysely sends.
  pool.on('connect', (client) => {
    client.query(`set lock_timeout = ${lockTimeoutMs}; set statement_timeout = ${statementTimeoutMs}`).catch(() => undefined);
  });
  // An idle connection that breaks (the server restarted) must not crash the process: the pool
  // removes it and the next checkout opens a fresh one.
  pool.on('error', (e) => options.onIdleError?.(e));
  return new GuardedPool(pool);
}
