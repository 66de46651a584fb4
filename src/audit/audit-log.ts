/**
 * The audit log as the server uses it: `record()` is synchronous and only appends to a buffer, so a
 * request never waits for the disk; the buffer is written in one transaction every `flushMs` (or at
 * once when `batchSize` entries are waiting), and on close. Each write prunes the table to the newest
 * `maxRows` entries. Reads flush first, so a caller sees its own requests.
 */
import type { Clock } from '../domain/clock';
import type { DispatchRecord } from '../http/dispatcher';
import { DEFAULT_AUDIT_MAX_ROWS, type AuditEntry, type AuditFilter, type NewAuditEntry } from './audit-entry';
import type { AuditStore } from './audit-store';

/** What the HTTP edge reports about one answered request. */
export type RequestObservation = DispatchRecord & { method: string; durationMs: number };

export interface AuditLogOptions {
  /** rows of identified callers kept in the table (the oldest are pruned); default 10,000 */
  maxRows?: number;
  /**
   * rows of unidentified requests (refused signatures, unparsable requests) kept, separately, so that
   * unsigned traffic cannot push real entries out; default a tenth of maxRows (at least 1)
   */
  maxRefusedRows?: number;
  /** longest time an entry waits in memory, ms; default 100 */
  flushMs?: number;
  /** entries that trigger an immediate write; default 500 */
  batchSize?: number;
  /** the secrets' clock, recorded beside wall-clock time */
  clock: Clock;
  wallClock?: () => number;
  /** a failed write (the entries are kept for the next attempt, up to maxRows) */
  onError?: (error: unknown) => void;
}

/** Request fields come from the caller: bound them so a hostile request cannot bloat the table. */
const FIELD_LIMITS = { method: 16, accessKeyId: 128, accountId: 64, region: 64, action: 128, version: 32, secretName: 128, errorCode: 64 } as const;

/** Bounded, and without U+0000 (PostgreSQL cannot store it in text; one such entry would fail its whole batch). */
function bounded(value: string | null, limit: number): string | null {
  return value === null ? null : value.slice(0, limit).replace(/\u0000/g, '\ufffd');
}

export class AuditLog {
  private buffer: NewAuditEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  readonly maxRows: number;
  readonly maxRefusedRows: number;
  private readonly flushMs: number;
  private readonly batchSize: number;
  private readonly wallClock: () => number;

  constructor(
    private readonly store: AuditStore,
    private readonly options: AuditLogOptions,
  ) {
    this.maxRows = options.maxRows ?? DEFAULT_AUDIT_MAX_ROWS;
    if (!Number.isInteger(this.maxRows) || this.maxRows < 1) throw new RangeError('audit maxRows must be a whole number >= 1');
    this.maxRefusedRows = options.maxRefusedRows ?? Math.max(1, Math.ceil(this.maxRows / 10));
    if (!Number.isInteger(this.maxRefusedRows) || this.maxRefusedRows < 1) throw new RangeError('audit maxRefusedRows must be a whole number >= 1');
    this.flushMs = options.flushMs ?? 100;
    this.batchSize = options.batchSize ?? 500;
    this.wallClock = options.wallClock ?? Date.now;
  }

  /** Records one answered request (never its parameters beyond SecretName, never a value). */
  record(r: RequestObservation): void {
    if (this.closed) return;
    const now = this.wallClock();
    const elapsed = Math.max(0, r.durationMs);
    this.buffer.push({
      at: Math.round(now - elapsed),
      clockAt: Math.round(this.options.clock.now() - elapsed),
      requestId: r.requestId,
      method: bounded(r.method || null, FIELD_LIMITS.method),
      accessKeyId: bounded(r.accessKeyId, FIELD_LIMITS.accessKeyId),
      accountId: bounded(r.accountId, FIELD_LIMITS.accountId),
      region: bounded(r.region, FIELD_LIMITS.region),
      action: bounded(r.action, FIELD_LIMITS.action),
      version: bounded(r.version, FIELD_LIMITS.version),
      secretName: bounded(r.secretName, FIELD_LIMITS.secretName),
      status: r.status,
      errorCode: bounded(r.errorCode, FIELD_LIMITS.errorCode),
      durationMs: Math.round(elapsed * 1000) / 1000,
    });
    // entries beyond the bounds would be pruned anyway: never hold more than that in memory
    if (this.buffer.length > this.maxRows + this.maxRefusedRows) this.buffer = this.trimmed(this.buffer);
    if (this.buffer.length >= this.batchSize) this.schedule(0);
    else this.schedule(this.flushMs);
  }

  /** Writes every buffered entry now. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // one write at a time, in order
    this.writing = this.writing.then(() => this.writeBuffered());
    return this.writing;
  }

  async query(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    await this.flush();
    return this.store.query(filter);
  }

  async count(): Promise<number> {
    await this.flush();
    return this.store.count();
  }

  /** Forgets every entry, buffered and stored. */
  async clear(): Promise<void> {
    this.buffer = [];
    await this.flush();
    await this.store.clear();
  }

  /** Stops the timer and writes what is buffered; later records are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** The newest maxRows identified and maxRefusedRows unidentified entries of `entries`, in order. */
  private trimmed(entries: NewAuditEntry[]): NewAuditEntry[] {
    let identified = 0;
    let refused = 0;
    const kept: NewAuditEntry[] = [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (e.accountId !== null ? identified++ < this.maxRows : refused++ < this.maxRefusedRows) kept.push(e);
    }
    return kept.reverse();
  }

  private schedule(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(() => undefined);
    }, delayMs);
    this.timer.unref();
  }

  private async writeBuffered(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.store.append(batch, this.maxRows, this.maxRefusedRows);
    } catch (e) {
      // keep them for the next attempt (newest maxRows at most), and say so once per failure
      this.buffer = this.trimmed([...batch, ...this.buffer]);
      this.options.onError?.(e);
      if (!this.closed) this.schedule(this.flushMs * 10);
    }
  }
}
