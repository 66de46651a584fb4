/**
 * Units of work against a file another connection keeps locked: they wait for the lock
 * (busy_timeout) and, when it is held too long, fail with the domain's retryable StoreBusyError,
 * which the Volcengine door answers 503 ServiceUnavailableTemp, not 500 UndefinedError.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { toApiError } from '../../src/actions/domain-errors';
import { StoreBusyError } from '../../src/domain/errors';
import { toHuaweiError } from '../../src/huawei/domain-errors';
import { openDatabase, type OpenedDatabase } from '../../src/store/sqlite/database';
import { SqliteUnitOfWork } from '../../src/store/sqlite/unit-of-work';

describe('a unit of work while another connection holds the write lock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-busy-'));
  const file = path.join(dir, 'busy.db');
  let opened: OpenedDatabase;
  let other: BetterSqlite3.Database;
  beforeAll(async () => {
    opened = await openDatabase(file);
    opened.sqlite.pragma('busy_timeout = 100'); // the server waits 5 s; the test need not
    other = new BetterSqlite3(file);
  });
  afterAll(async () => {
    other.close();
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const unitOfWork = (o: OpenedDatabase) => new SqliteUnitOfWork(o.db, o.direct);

  it('fails with StoreBusyError when the lock is not released in time, and runs none of its work', async () => {
    other.exec('BEGIN IMMEDIATE');
    let ran = false;
    try {
      await expect(
        unitOfWork(opened).run(async () => {
          ran = true;
        }),
      ).rejects.toBeInstanceOf(StoreBusyError);
    } finally {
      other.exec('ROLLBACK');
    }
    expect(ran).toBe(false);
  });

  it('runs once the lock is free again', async () => {
    await expect(unitOfWork(opened).run(async (repo) => repo.secretIdInUse('x'))).resolves.toBe(false);
  });

  it('takes the lock up front: a commit by another connection between its read and its write does not fail it', async () => {
    const uow = unitOfWork(opened);
    const result = await uow.run(async (repo) => {
      await repo.secretIdInUse('x'); // a read first
      // another connection wants to write now: it must wait for us (it gives up quickly here)
      other.pragma('busy_timeout = 50');
      expect(() => other.exec("insert into store_meta(key, value) values ('k', 'v')")).toThrow(/database is locked/);
      return 'written';
    });
    expect(result).toBe('written');
  });

  it('is answered 503 ServiceUnavailableTemp on the Volcengine wire', () => {
    const error = toApiError(new StoreBusyError());
    expect({ code: error.code, status: error.status, codeN: error.codeN }).toEqual({ code: 'ServiceUnavailableTemp', status: 503, codeN: 100014 });
  });

  it('is answered 503 CSMS.0099 (retryable, not a 500) on the Huawei wire', () => {
    const error = toHuaweiError(new StoreBusyError());
    expect({ code: error.errorCode, status: error.status }).toEqual({ code: 'CSMS.0099', status: 503 });
  });
});
