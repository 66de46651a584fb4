/**
 * The operations of the local control API, callable in-process (the server handle) and over HTTP
 * (routes.ts): reset, the clock, snapshots of the store, the audit log and the fault rules.
 * Refusals are ApiErrors so that both doors report them the same way.
 */
import type { AuditLog } from '../audit/audit-log';
import { representable } from '../domain/clock';
import type { SweepReport } from '../domain/secrets-service';
import type { FaultRegistry } from '../faults/fault-registry';
import { ApiError, apiError, invalidParameter } from '../error-catalogue';
import type { StoreSnapshot } from '../store/store-snapshot';
import type { ResetReport } from './control-reports';
import { MAX_SNAPSHOTS, SNAPSHOT_NAME_PATTERN, SnapshotShelf, type SnapshotInfo } from './snapshot-shelf';

export type { ResetReport } from './control-reports';

export interface ClockState {
  /** the secrets' time, epoch ms */
  now: number;
  /** the same, ISO 8601 */
  time: string;
  /** how far the secrets' clock is ahead of real time, ms */
  offsetMs: number;
}

export interface LocalControlDeps {
  clock: { now(): number; readonly offset: number };
  /** moves the clock forward and runs the sweeper */
  advanceClock(ms: number): Promise<SweepReport>;
  sweep(): Promise<SweepReport>;
  store: {
    capture(): Promise<StoreSnapshot>;
    restore(snapshot: StoreSnapshot): Promise<void>;
    /** removes every secret; returns how many there were */
    clear(): Promise<number>;
  };
  audit: AuditLog;
  faults: FaultRegistry;
  wallClock?: () => number;
}

export class LocalControl {
  private readonly shelf = new SnapshotShelf();
  private readonly wallClock: () => number;

  constructor(private readonly deps: LocalControlDeps) {
    this.wallClock = deps.wallClock ?? Date.now;
  }

  get audit(): AuditLog {
    return this.deps.audit;
  }

  get faults(): FaultRegistry {
    return this.deps.faults;
  }

  /** Removes every secret, audit entry and fault rule. Snapshots, credentials and the clock stay. */
  async reset(): Promise<ResetReport> {
    const faultsRemoved = this.deps.faults.clear();
    const auditEntriesRemoved = await this.deps.audit.count();
    await this.deps.audit.clear();
    const secretsRemoved = await this.deps.store.clear();
    return { secretsRemoved, auditEntriesRemoved, faultsRemoved };
  }

  clock(): ClockState {
    const offsetMs = this.deps.clock.offset;
    const now = this.deps.clock.now();
    return { now, time: new Date(representable(now)).toISOString(), offsetMs };
  }

  async advanceClock(ms: number): Promise<ClockState & { sweep: SweepReport }> {
    const sweep = await this.deps.advanceClock(ms);
    return { ...this.clock(), sweep };
  }

  sweep(): Promise<SweepReport> {
    return this.deps.sweep();
  }

  /** Copies the whole store under `name` (a fresh name when omitted; an existing name is replaced). */
  async snapshot(name?: string): Promise<SnapshotInfo> {
    if (name !== undefined && !SNAPSHOT_NAME_PATTERN.test(name)) {
      throw invalidParameter('name', 'name must be 1 to 64 characters of A-Z, a-z, 0-9, _ . -');
    }
    if (name === undefined || !this.shelf.has(name)) {
      if (this.shelf.isFull()) {
        throw new ApiError('InvalidParameter', `The request parameter name is invalid. At most ${MAX_SNAPSHOTS} snapshots are kept: delete one first.`);
      }
    }
    const data = await this.deps.store.capture();
    return this.shelf.put(name ?? this.shelf.freshName(), data, this.wallClock());
  }

  /** Replaces every secret and version with those of the snapshot `name`. */
  async restore(name: string): Promise<SnapshotInfo> {
    const found = this.shelf.get(name);
    if (!found) throw apiError('Not Found', 'snapshot', name);
    await this.deps.store.restore(found.data);
    return { ...found.info };
  }

  snapshots(): SnapshotInfo[] {
    return this.shelf.list();
  }

  deleteSnapshot(name: string): boolean {
    return this.shelf.delete(name);
  }
}
