/**
 * Group commit (src/store/sqlite/group-commit.ts): the server's SQLite units of work that arrive in
 * one event-loop turn share a transaction and its fsync, each in a savepoint. What a caller depends
 * on: its write is committed before it hears success, a failing neighbour does not undo it, and its
 * own failure undoes only its own writes.
 */
import { MEMORY, openDatabase, type OpenedDatabase } from '../../src/store/sqlite/database';
import { SqliteUnitOfWork } from '../../src/store/sqlite/unit-of-work';
import { FIXTURE_SCOPE, secretFixture } from '../support/secret-fixture';

const scope = FIXTURE_SCOPE;
const secret = secretFixture;

describe('group commit (SQLite units of work in the server)', () => {
  let opened: OpenedDatabase;
  let uow: SqliteUnitOfWork;
  let commits: number;
  let failCommit: boolean;
  /** the savepoint statement fails on this call (1-based), as a broken connection would make it */
  let failSavepointAt: number;

  beforeEach(async () => {
    opened = await openDatabase(MEMORY);
    commits = 0;
    failCommit = false;
    failSavepointAt = 0;
    let savepoints = 0;
    const { transaction } = opened.direct;
    uow = new SqliteUnitOfWork(opened.db, {
      ...opened.direct,
      transaction: {
        ...transaction,
        savepoint: () => {
          if (++savepoints === failSavepointAt) throw new Error('savepoint failed');
          transaction.savepoint();
        },
        commit: () => {
          if (failCommit) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
          commits++;
          transaction.commit();
        },
      },
    });
  });
  afterEach(() => opened.close());

  const stored = async (name: string) => (await uow.reader.findSecret(scope, name)) !== undefined;
  const create = (name: string) => uow.run(async (repo) => (await repo.insertSecret(secret(name)), name));

  it('commits the units of one turn together, and each caller hears its own result after the commit', async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(create));
    expect(results).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(commits).toBe(1);
    for (const name of results) expect(await stored(name)).toBe(true);
  });

  it('commits a unit that arrives after the last commit in a transaction of its own', async () => {
    await create('first');
    await create('second');
    expect(commits).toBe(2);
    expect(opened.sqlite.inTransaction).toBe(false);
  });

  it('runs the units one after another, each seeing the writes of those before it', async () => {
    const [, seen] = await Promise.all([create('x'), uow.run(async (repo) => (await repo.findSecret(scope, 'x'))?.id)]);
    expect(seen).toBe('id-x');
  });

  it('rolls back a failing unit alone: its neighbours in the same commit keep their writes', async () => {
    const outcomes = await Promise.allSettled([
      create('kept-1'),
      uow.run(async (repo) => {
        await repo.insertSecret(secret('undone'));
        throw new Error('changed my mind');
      }),
      create('kept-2'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('changed my mind');
    expect(commits).toBe(1);
    expect([await stored('kept-1'), await stored('undone'), await stored('kept-2')]).toEqual([true, false, true]);
  });

  it('fails every unit of a batch whose commit fails, and stores none of it', async () => {
    failCommit = true;
    const outcomes = await Promise.allSettled([create('p'), create('q')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    failCommit = false;
    expect([await stored('p'), await stored('q')]).toEqual([false, false]);
    // and the store goes on
    await create('r');
    expect(await stored('r')).toBe(true);
  });

  it('fails the whole batch when SQLite ends the transaction under a unit (as it does on a full disk)', async () => {
    const outcomes = await Promise.allSettled([
      create('before'),
      uow.run(async () => {
        opened.sqlite.exec('rollback'); // what SQLite does by itself on SQLITE_FULL or an I/O error
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }),
      create('after'),
    ]);
    // the first unit's write went with the transaction: it must not hear success
    expect(outcomes[0].status).toBe('rejected');
    expect(outcomes[1].status).toBe('rejected');
    expect(await stored('before')).toBe(false);
    // the unit queued behind them runs in a new transaction
    expect(outcomes[2].status).toBe('fulfilled');
    expect(await stored('after')).toBe(true);
  });

  it('fails the whole batch when a savepoint cannot be taken or undone, and goes on with the next', async () => {
    failSavepointAt = 2;
    const outcomes = await Promise.allSettled([create('s1'), create('s2')]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect([await stored('s1'), await stored('s2')]).toEqual([false, false]);
    expect(opened.sqlite.inTransaction).toBe(false);
    await create('s3');
    expect(await stored('s3')).toBe(true);
  });

  it('puts at most 64 units in one commit', async () => {
    await Promise.all(Array.from({ length: 100 }, (_, i) => create(`n${i}`)));
    expect(commits).toBe(2);
    expect(await stored('n99')).toBe(true);
  });
});
