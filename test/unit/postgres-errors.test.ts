/**
 * How PostgreSQL's failures reach the domain: a lost or refused connection and a restarting server are
 * StoreUnavailableError, a lock or statement timeout StoreBusyError (both answered 503
 * ServiceUnavailableTemp), anything else unchanged; serialization failures and deadlocks are retried.
 */
import { StoreBusyError, StoreUnavailableError } from '../../src/domain/errors';
import { isConnectionFailure, translatePgError } from '../../src/store/postgres/connection';
import { ATTEMPTS, retryingConflicts } from '../../src/store/postgres/unit-of-work';

function pgError(code: string, message = 'failed'): Error {
  return Object.assign(new Error(message), { code });
}

describe('PostgreSQL failures as domain errors', () => {
  it.each([
    ['connection refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', pgError('ECONNRESET')],
    ['admin shutdown (server restarting)', pgError('57P01', 'terminating connection due to administrator command')],
    ['cannot connect now (starting up)', pgError('57P03', 'the database system is starting up')],
    ['connection exception class 08', pgError('08006')],
    ['too many connections', pgError('53300')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['pg: pool wait timed out', new Error('timeout exceeded when trying to connect')],
  ])('%s → StoreUnavailableError (a StoreBusyError: 503)', (_label, error) => {
    expect(isConnectionFailure(error)).toBe(true);
    const translated = translatePgError(error);
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect(translated).toBeInstanceOf(StoreBusyError);
  });

  it.each([
    ['lock_timeout', '55P03'],
    ['statement_timeout', '57014'],
  ])('%s → StoreBusyError', (_label, code) => {
    const translated = translatePgError(pgError(code));
    expect(translated).toBeInstanceOf(StoreBusyError);
    expect(translated).not.toBeInstanceOf(StoreUnavailableError);
  });

  it('other failures pass unchanged (a unique violation, a syntax error)', () => {
    for (const e of [pgError('23505', 'duplicate key'), pgError('42601', 'syntax error'), new TypeError('x')]) expect(translatePgError(e)).toBe(e);
  });
});

describe('serialization failures are retried inside the server', () => {
  const noPause = () => Promise.resolve();

  it('a serialization failure or a deadlock is run again, and the attempt that succeeds answers', async () => {
    const failures = [pgError('40001'), pgError('40P01')];
    let calls = 0;
    const result = await retryingConflicts(async () => {
      calls++;
      const next = failures.shift();
      if (next) throw next;
      return 'committed';
    }, noPause);
    expect({ result, calls }).toEqual({ result: 'committed', calls: 3 });
  });

  it(`after ${ATTEMPTS} failed attempts the request gets the retryable StoreBusyError`, async () => {
    let calls = 0;
    const outcome = retryingConflicts(async () => {
      calls++;
      throw pgError('40001');
    }, noPause);
    await expect(outcome).rejects.toBeInstanceOf(StoreBusyError);
    expect(calls).toBe(ATTEMPTS);
  });

  it('any other failure is not retried', async () => {
    let calls = 0;
    const unique = pgError('23505');
    await expect(
      retryingConflicts(async () => {
        calls++;
        throw unique;
      }, noPause),
    ).rejects.toBe(unique);
    expect(calls).toBe(1);
  });
});
