/**
 * The audit_log table through kysely (both dialects): batched inserts with pruning, and filtered
 * reads. On PostgreSQL every instance appends to the same table, so the log is one log; `seq` is the
 * order in which rows were committed.
 */
import type { Kysely, Selectable } from 'kysely';
import { DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT, type AuditEntry, type AuditFilter, type NewAuditEntry } from '../audit/audit-entry';
import type { AuditStore } from '../audit/audit-store';
import { rowCount } from './row-count';
import type { AuditLogTable, Database } from './tables';

/** Rows per INSERT statement: 14 columns each stays far below both databases' bound-parameter limits. */
const ROWS_PER_STATEMENT = 200;

function toRow(e: NewAuditEntry): Omit<AuditLogTable, 'seq'> {
  return {
    at: e.at,
    clock_at: e.clockAt,
    request_id: e.requestId,
    method: e.method,
    access_key_id: e.accessKeyId,
    account_id: e.accountId,
    region: e.region,
    action: e.action,
    version: e.version,
    secret_name: e.secretName,
    status: e.status,
    error_code: e.errorCode,
    duration_ms: e.durationMs,
  };
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    clockAt: row.clock_at,
    requestId: row.request_id,
    method: row.method,
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    region: row.region,
    action: row.action,
    version: row.version,
    secretName: row.secret_name,
    status: row.status,
    errorCode: row.error_code,
    durationMs: row.duration_ms,
  };
}

export class KyselyAuditStore implements AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Appends the entries and prunes, in one transaction: the newest `maxRows` entries of identified
   * callers are kept, and separately the newest `maxRefusedRows` of requests nobody could be identified
   * for (refused signatures, unparsable requests), so a flood of those never evicts a real caller's.
   */
  async append(entries: readonly NewAuditEntry[], maxRows: number, maxRefusedRows = maxRows): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
        await trx
          .insertInto('audit_log')
          .values(entries.slice(i, i + ROWS_PER_STATEMENT).map(toRow))
          .execute();
      }
      for (const [identified, keep] of [[true, maxRows], [false, maxRefusedRows]] as const) {
        const oldestGone = await trx
          .selectFrom('audit_log')
          .select('seq')
          .where('account_id', identified ? 'is not' : 'is', null)
          .orderBy('seq', 'desc')
          .offset(rowCount(keep))
          .limit(1)
          .executeTakeFirst();
        if (oldestGone) {
          await trx.deleteFrom('audit_log').where('account_id', identified ? 'is not' : 'is', null).where('seq', '<=', oldestGone.seq).execute();
        }
      }
    });
  }

  async query(filter: AuditFilter): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<=', filter.to);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    if (filter.secretName !== undefined) q = q.where('secret_name', '=', filter.secretName);
    if (filter.accessKeyId !== undefined) q = q.where('access_key_id', '=', filter.accessKeyId);
    if (filter.accountId !== undefined) q = q.where('account_id', '=', filter.accountId);
    if (filter.requestId !== undefined) q = q.where('request_id', '=', filter.requestId);
    if (filter.outcome === 'success') q = q.where('error_code', 'is', null);
    else if (filter.outcome === 'error') q = q.where('error_code', 'is not', null);
    else if (filter.outcome !== undefined) q = q.where('error_code', '=', filter.outcome);
    const limit = Math.min(filter.limit ?? DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT);
    const rows = await q
      .orderBy('seq', filter.order === 'oldest' ? 'asc' : 'desc')
      .limit(rowCount(limit))
      .execute();
    return rows.map(toEntry);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async clear(): Promise<void> {
    await this.db.deleteFrom('audit_log').execute();
  }
}
