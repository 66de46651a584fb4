/**
 * The audit table's writer (src/store/audit-records.ts) on a real SQLite database: a batch of any
 * size is written by precompiled INSERTs of 128, 64, ... 1 rows, and must come back whole, in order,
 * every column in its place (nulls included).
 */
import type { NewAuditEntry } from '../../src/audit/audit-entry';
import { KyselyAuditStore } from '../../src/store/audit-records';
import { MEMORY, openDatabase, type OpenedDatabase } from '../../src/store/sqlite/database';

function entry(i: number): NewAuditEntry {
  const refused = i % 7 === 3;
  return {
    at: 1_700_000_000_000 + i,
    clockAt: 1_800_000_000_000 + i,
    requestId: `req-${i}`,
    method: i % 2 ? 'GET' : 'POST',
    accessKeyId: refused ? null : `AK${i % 5}`,
    accountId: refused ? null : `21000000${i % 3}`,
    region: refused ? null : 'cn-beijing',
    action: i % 11 === 0 ? null : 'GetSecretValue',
    version: '2021-02-18',
    secretName: i % 4 === 0 ? null : `secret-${i}`,
    status: refused ? 401 : 200,
    errorCode: refused ? 'SignatureDoesNotMatch' : null,
    durationMs: i / 8,
  };
}

describe('audit records (SQLite)', () => {
  let opened: OpenedDatabase;
  let store: KyselyAuditStore;
  beforeEach(async () => {
    opened = await openDatabase(MEMORY);
    store = new KyselyAuditStore(opened.db);
  });
  afterEach(() => opened.close());

  it.each([1, 2, 127, 128, 300])('writes a batch of %i entries whole and in order, every column in its place', async (n) => {
    const entries = Array.from({ length: n }, (_, i) => entry(i));
    await store.append(entries, 10_000);
    const read = await store.query({ order: 'oldest', limit: 1000 });
    expect(read.map(({ seq: _seq, ...rest }) => rest)).toEqual(entries);
  });

  it('keeps the newest maxRows identified and maxRefusedRows refused entries after a write', async () => {
    await store.append(Array.from({ length: 70 }, (_, i) => entry(i)), 20, 5);
    const read = await store.query({ order: 'oldest', limit: 1000 });
    expect(read.filter((e) => e.accountId !== null)).toHaveLength(20);
    expect(read.filter((e) => e.accountId === null)).toHaveLength(5);
    expect(read[read.length - 1].requestId).toBe('req-69');
  });
});
