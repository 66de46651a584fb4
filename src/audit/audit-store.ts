/**
 * Where the audit log keeps its entries: an interface, so that src/audit knows no SQL. The store
 * implements it (src/store/audit-records.ts) for SQLite and PostgreSQL alike.
 */
import type { AuditEntry, AuditFilter, NewAuditEntry } from './audit-entry';

export interface AuditStore {
  /** Appends the entries and keeps only the newest `maxRows`, in one transaction. */
  append(entries: readonly NewAuditEntry[], maxRows: number): Promise<void>;
  query(filter: AuditFilter): Promise<AuditEntry[]>;
  count(): Promise<number>;
  clear(): Promise<void>;
}
