/**
 * The store as the server sees it: one interface, two implementations (sqlite/, postgres/). The
 * server wires these ports and never learns which database is behind them; the few behaviours that
 * differ (who else may share the database, how an exclusive task is locked) are said here.
 */
import type { SecretLocations } from './secret-locations';
import type { AuditStore } from '../audit/audit-store';
import type { UnitOfWork } from '../domain/ports';
import type { DatabaseLocation } from './database-url';
import type { StoreSnapshot } from './store-snapshot';

export interface SnapshotStore {
  /** every secret and version, read in one transaction */
  capture(): Promise<StoreSnapshot>;
  /** replaces every secret and version with the snapshot's, atomically */
  restore(snapshot: StoreSnapshot): Promise<void>;
  /** removes every secret and version; returns how many secrets there were */
  clear(): Promise<number>;
}

/** The check value of the master key the database was first opened with (store_meta). */
export interface MasterKeyCheckStore {
  read(): Promise<string | undefined>;
  /**
   * Records `check` unless a check is already stored, atomically (two instances starting together
   * cannot both record theirs); returns the check now stored.
   */
  claim(check: string): Promise<string>;
}

/**
 * How far the secrets' clock runs ahead of real time, kept in the database when several servers
 * share it, so that they all agree on "now".
 */
export interface ClockOffsetStore {
  read(): Promise<number>;
  /** adds `ms` and returns the new offset (atomic: two advances both count) */
  advance(ms: number): Promise<number>;
}

/** Work that must run on one server at a time, whichever of the servers sharing the database. */
export type ExclusiveTask = 'sweep';

export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false };

export interface Store {
  readonly location: DatabaseLocation;
  /** the database as named to a person (a PostgreSQL URL without its password) */
  readonly label: string;
  readonly uow: UnitOfWork;
  /** the cross-region reads of the region hint and the ready line */
  readonly locations: SecretLocations;
  readonly audit: AuditStore;
  readonly snapshots: SnapshotStore;
  readonly masterKeyCheck: MasterKeyCheckStore;
  /** set when other server processes may share the database (PostgreSQL); SQLite's clock stays in the process */
  readonly sharedClock: ClockOffsetStore | undefined;
  /**
   * Runs `work` while holding the task's lock across every server on the database. `wait: false`
   * gives up at once when another server holds it (the sweeper's timer); `wait: true` waits, like a
   * write waits for the write lock.
   */
  exclusive<T>(task: ExclusiveTask, work: () => Promise<T>, options: { wait: boolean }): Promise<ExclusiveOutcome<T>>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL only: connections in the pool (default 10) */
  poolSize?: number;
  /** PostgreSQL only: an idle connection failed (logged; the pool replaces it) */
  onIdleError?: (error: Error) => void;
}

/** Opens (and migrates) the database a location names. */
export async function openStore(location: DatabaseLocation, options: OpenStoreOptions = {}): Promise<Store> {
  if (location.kind === 'sqlite') {
    const { openSqliteStore } = await import('./sqlite/store');
    return openSqliteStore(location);
  }
  const { openPostgresStore } = await import('./postgres/store');
  return openPostgresStore(location, { size: options.poolSize, onIdleError: options.onIdleError });
}
