/**
 * The audit_log table through kysely (both dialects): batched inserts with pruning, and filtered
 * reads. On PostgreSQL every instance appends to the same table, so the log is one log; `seq` is the
 * order in which rows were committed.
 */
import type { Kysely, Selectable } from 'kysely';
import { PrecompiledQuery } from './compiled-query';
import { DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT, type AuditEntry, type AuditFilter, type NewAuditEntry } from '../audit/audit-entry';
import type { AuditStore } from '../audit/audit-store';
import { rowCount } from './row-count';
import type { AuditLogTable, Database } from './tables';

/** Every column an INSERT writes (complete by type; `seq` is the database's), as secret-queries.ts lists its tables'. */
const AUDIT_COLUMN_SET: Readonly<Record<keyof Omit<AuditLogTable, 'seq'>, true>> = {
  at: true,
  clock_at: true,
  request_id: true,
  method: true,
  access_key_id: true,
  account_id: true,
  region: true,
  action: true,
  version: true,
  secret_name: true,
  status: true,
  error_code: true,
  duration_ms: true,
};

/** The same columns in the order of an INSERT's parameters. */
const AUDIT_COLUMNS = Object.keys(AUDIT_COLUMN_SET) as Array<keyof Omit<AuditLogTable, 'seq'>>;

/**
 * INSERTs of 128, 64, ... 1 rows, built and compiled once per database (compiled-query.ts); a batch
 * of n rows is written by the chunks of n's binary digits (and 128s), where building a kysely INSERT
 * of the batch's own size on every flush cost more than writing it. The parameters of a chunk are
 * its rows' values one row after another, in AUDIT_COLUMNS order. 128 rows of 13 values stay far
 * below both databases' bound-parameter limits.
 */
const INSERT_CHUNKS = [128, 64, 32, 16, 8, 4, 2, 1].map((rows) => ({
  rows,
  query: new PrecompiledQuery<unknown[], unknown>((db, slot) =>
    db.insertInto('audit_log').values(
      Array.from({ length: rows }, (_, r) =>
        Object.fromEntries(AUDIT_COLUMNS.map((column, c) => [column, slot(r * AUDIT_COLUMNS.length + c)])),
      ) as unknown as Array<Omit<AuditLogTable, 'seq'>>,
    ),
  ),
}));

/** Writes `rows` with as few statements as the chunk sizes allow. */
async function insertRows(trx: Kysely<Database>, rows: ReadonlyArray<Omit<AuditLogTable, 'seq'>>): Promise<void> {
  let next = 0;
  for (const chunk of INSERT_CHUNKS) {
    while (rows.length - next >= chunk.rows) {
      const values: unknown[] = [];
      for (let r = next; r < next + chunk.rows; r++) for (const column of AUDIT_COLUMNS) values.push(rows[r][column]);
      await chunk.query.execute(trx, values);
      next += chunk.rows;
    }
  }
}

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
      await insertRows(trx, entries.map(toRow));
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
