import type { NewAuditEntry } from '../../src/audit/audit-entry';
import { AuditLog, type RequestObservation } from '../../src/audit/audit-log';
import type { AuditStore } from '../../src/audit/audit-store';

/** A store that keeps what it is given, and can be told to fail. */
class FakeStore {
  batches: NewAuditEntry[][] = [];
  failing = false;
  async append(entries: readonly NewAuditEntry[]): Promise<void> {
    if (this.failing) throw new Error('disk full');
    this.batches.push([...entries]);
  }
  async query() {
    return [];
  }
  async count() {
    return this.batches.flat().length;
  }
  async clear() {
    this.batches = [];
  }
  get written(): string[] {
    return this.batches.flat().map((e) => e.requestId);
  }
}

const observation = (requestId: string, extra: Partial<RequestObservation> = {}): RequestObservation => ({
  requestId,
  method: 'POST',
  action: 'GetSecretValue',
  version: '2021-02-18',
  accessKeyId: 'AKTEST',
  accountId: '2100000001',
  region: 'cn-beijing',
  secretName: 'db',
  status: 200,
  errorCode: null,
  durationMs: 2.5,
  ...extra,
});

function makeLog(options: Partial<ConstructorParameters<typeof AuditLog>[1]> = {}) {
  const store = new FakeStore();
  const log = new AuditLog(store as unknown as AuditStore, { clock: { now: () => 5_000_000 }, wallClock: () => 1_000_000, flushMs: 60_000, ...options });
  return { store, log };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('audit log buffering', () => {
  it('records without touching the store, then writes everything in one batch', async () => {
    const { store, log } = makeLog();
    log.record(observation('r1'));
    log.record(observation('r2', { status: 404, errorCode: 'Not Found' }));
    await tick();
    expect(store.batches).toEqual([]);
    await log.flush();
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0][0]).toEqual({
      at: Math.round(1_000_000 - 2.5),
      clockAt: Math.round(5_000_000 - 2.5),
      requestId: 'r1',
      method: 'POST',
      accessKeyId: 'AKTEST',
      accountId: '2100000001',
      region: 'cn-beijing',
      action: 'GetSecretValue',
      version: '2021-02-18',
      secretName: 'db',
      status: 200,
      errorCode: null,
      durationMs: 2.5,
    });
    await log.close();
  });

  it('writes at once when a batch is full', async () => {
    const { store, log } = makeLog({ batchSize: 3 });
    for (const id of ['a', 'b', 'c']) log.record(observation(id));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(store.written).toEqual(['a', 'b', 'c']);
    await log.close();
  });

  it('writes on its timer', async () => {
    const { store, log } = makeLog({ flushMs: 10 });
    log.record(observation('timed'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.written).toEqual(['timed']);
    await log.close();
  });

  it('keeps entries across a failed write and reports the failure', async () => {
    const errors: unknown[] = [];
    const { store, log } = makeLog({ onError: (e) => errors.push(e) });
    store.failing = true;
    log.record(observation('kept-1'));
    await log.flush();
    expect(errors).toHaveLength(1);
    log.record(observation('kept-2'));
    store.failing = false;
    await log.flush();
    expect(store.written).toEqual(['kept-1', 'kept-2']);
    await log.close();
  });

  it('never holds more than maxRows entries in memory (the newest)', async () => {
    const { store, log } = makeLog({ maxRows: 3, batchSize: 1000 });
    store.failing = true;
    for (let i = 1; i <= 10; i++) log.record(observation(`r${i}`));
    await log.flush();
    store.failing = false;
    await log.flush();
    expect(store.written).toEqual(['r8', 'r9', 'r10']);
    await log.close();
  });

  it('in memory too, unidentified (refused) entries never push out identified ones', async () => {
    const { store, log } = makeLog({ maxRows: 3, maxRefusedRows: 2, batchSize: 1000 });
    store.failing = true;
    log.record(observation('real-1'));
    log.record(observation('real-2'));
    for (let i = 1; i <= 50; i++) log.record(observation(`unsigned-${i}`, { accountId: null, accessKeyId: null, errorCode: 'MissingAuthenticationToken' }));
    await log.flush();
    store.failing = false;
    await log.flush();
    expect(store.written).toEqual(['real-1', 'real-2', 'unsigned-49', 'unsigned-50']);
    await log.close();
  });

  it('bounds caller-controlled fields, and writes what is left on close (later records are ignored)', async () => {
    const { store, log } = makeLog();
    log.record(observation('long', { action: 'A'.repeat(5000), region: 'r'.repeat(500), method: '' }));
    await log.close();
    log.record(observation('after-close'));
    await log.flush();
    expect(store.written).toEqual(['long']);
    const [entry] = store.batches[0];
    expect(entry.action).toHaveLength(128);
    expect(entry.region).toHaveLength(64);
    expect(entry.method).toBeNull();
  });

  it('refuses a bound that is not a whole number >= 1', () => {
    expect(() => makeLog({ maxRows: 0 })).toThrow(RangeError);
    expect(() => makeLog({ maxRows: 2.5 })).toThrow(RangeError);
  });
});
