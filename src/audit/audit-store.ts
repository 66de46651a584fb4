/**
 * Where the audit log keeps its entries: an interface, so that src/audit knows no SQL. The store
 * implements it (src/store/audit-records.ts) for SQLite and PostgreSQL alike.
 */
import type { AuditEntry, AuditFilter, NewAuditEntry } from './audit-entry';

export interface AuditStore {
  /**
   * Appends the entries and prunes, in one transaction: the newest `maxRows` entries of identified
   * callers are kept, and separately the newest `maxRefusedRows` of requests nobody could be identified
   * for (refused signatures, unparsable requests), so a flood of those never evicts a real caller's.
   */
  append(entries: readonly NewAuditEntry[], maxRows: number, maxRefusedRows?: number): Promise<void>;
  query(filter: AuditFilter): Promise<AuditEntry[]>;
  count(): Promise<number>;
  clear(): Promise<void>;
}
