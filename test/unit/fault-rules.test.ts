import { FaultRegistry } from '../../src/faults/fault-registry';
import { FaultRuleError, parseFaultRule, parseFaultRules } from '../../src/faults/fault-rule';
import { INJECTABLE_ERROR_CODES } from '../../src/faults/injectable-errors';
import { seededRandom } from '../../src/faults/random';
import { ERROR_CATALOGUE } from '../../src/error-catalogue';

const call = (action: string, secretName: string | null = null) => ({ action, secretName, accessKeyId: 'AKTEST' });

function problem(input: unknown): FaultRuleError {
  try {
    parseFaultRule(input);
  } catch (e) {
    if (e instanceof FaultRuleError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('fault rule checking', () => {
  it('accepts the documented shapes and fills the absent fields', () => {
    expect(parseFaultRule({ action: 'GetSecretValue', error: 'Reject.Throttling.Action', count: 2 })).toEqual({
      action: 'GetSecretValue',
      secretName: null,
      error: 'Reject.Throttling.Action',
      count: 2,
      probability: null,
      delayMs: 0,
      seed: null,
    });
    expect(parseFaultRule({ action: '*', delayMs: 200 })).toMatchObject({ action: '*', error: null, delayMs: 200 });
    expect(parseFaultRule({ action: 'GetSecretValue', secretName: 'db', error: 'UndefinedError', probability: 0.5, seed: 7 })).toMatchObject({
      secretName: 'db',
      probability: 0.5,
      seed: 7,
    });
  });

  it.each([
    [{}, 'action', 'missing'],
    [{ action: 'GetSecretValue' }, 'error', 'missing'],
    [{ action: 'GetSecretValue', delayMs: 0 }, 'error', 'missing'],
    [{ action: 'GetSecretValues', error: 'UndefinedError' }, 'action', 'invalid'],
    [{ action: 'GetSecretValue', error: 'NoSuchCode' }, 'error', 'invalid'],
    [{ action: 'GetSecretValue', error: 'InvalidParameter' }, 'error', 'invalid'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', count: 0 }, 'count', 'invalid'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', count: 1.5 }, 'count', 'invalid'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', count: '2' }, 'count', 'invalid'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', probability: 0 }, 'probability', 'invalid'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', probability: 1.5 }, 'probability', 'invalid'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', count: 1, probability: 0.5 }, 'probability', 'invalid'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', seed: 3 }, 'seed', 'invalid'],
    [{ action: 'GetSecretValue', delayMs: 60_001 }, 'delayMs', 'invalid'],
    [{ action: 'GetSecretValue', delayMs: -1 }, 'delayMs', 'invalid'],
    [{ action: 'GetSecretValue', secretName: '', error: 'UndefinedError' }, 'secretName', 'invalid'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', times: 2 }, 'times', 'invalid'],
  ])('refuses %j naming %s', (input, field, kind) => {
    const e = problem(input);
    expect(e.field).toBe(field);
    expect(e.problem).toBe(kind);
    expect(e.message).toMatch(new RegExp(`^${field}: `));
  });

  it('refuses what is not an object', () => {
    for (const input of [null, 'GetSecretValue', 3, ['GetSecretValue']]) expect(problem(input).field).toBe('rule');
  });

  it('names the source, the entry and the field for a list (seed files)', () => {
    expect(() => parseFaultRules([{ action: 'GetSecretValue', error: 'UndefinedError' }, { action: 'GetSecretValue', count: 0, error: 'UndefinedError' }], 'seed file s.yaml')).toThrow(
      'seed file s.yaml: faults[1] (GetSecretValue): count: must be a whole number from 1 to 1000000',
    );
    expect(() => parseFaultRules([{ error: 'UndefinedError' }], 'seed')).toThrow('seed: faults[0]: action: is required');
  });

  it('only offers errors of the catalogue', () => {
    for (const code of INJECTABLE_ERROR_CODES) expect(Object.keys(ERROR_CATALOGUE)).toContain(code);
  });
});

describe('fault registry', () => {
  it('fails the next N matching calls, then removes the rule', () => {
    const faults = new FaultRegistry();
    const rule = faults.add({ action: 'GetSecretValue', error: 'Reject.Throttling.Action', count: 2 });
    expect(rule).toMatchObject({ remaining: 2, fired: 0 });
    expect(faults.decide(call('DescribeSecret'))).toBeNull();
    const first = faults.decide(call('GetSecretValue', 'a'));
    expect(first?.error).toMatchObject({ code: 'Reject.Throttling.Action', status: 403, message: 'The request of Action: GetSecretValue upper limit is exceeded.' });
    expect(faults.list()[0]).toMatchObject({ id: rule.id, remaining: 1, fired: 1, matched: 1 });
    expect(faults.decide(call('GetSecretValue'))?.error?.code).toBe('Reject.Throttling.Action');
    expect(faults.list()).toEqual([]);
    expect(faults.decide(call('GetSecretValue'))).toBeNull();
  });

  it('matches one SecretName when the rule names one, and every Action with *', () => {
    const faults = new FaultRegistry();
    faults.add({ action: 'GetSecretValue', secretName: 'db', error: 'Not Found' });
    expect(faults.decide(call('GetSecretValue', 'other'))).toBeNull();
    expect(faults.decide(call('GetSecretValue', null))).toBeNull();
    expect(faults.decide(call('GetSecretValue', 'db'))?.error?.message).toBe('Not found secret [db].');
    faults.clear();
    faults.add({ action: '*', error: 'FlowLimitExceeded' });
    for (const action of ['CreateSecret', 'DescribeSecrets', 'BatchGetSecretValue']) {
      expect(faults.decide(call(action))?.error).toMatchObject({ code: 'FlowLimitExceeded', status: 429, codeN: 100018 });
    }
  });

  it('fails the fraction a seeded random source decides, the same way on every run', () => {
    const run = () => {
      const faults = new FaultRegistry();
      faults.add({ action: 'GetSecretValue', error: 'UndefinedError', probability: 0.3, seed: 42 });
      return Array.from({ length: 1000 }, () => faults.decide(call('GetSecretValue')) !== null);
    };
    const outcome = run();
    expect(run()).toEqual(outcome);
    const random = seededRandom(42);
    expect(outcome).toEqual(Array.from({ length: 1000 }, () => random() < 0.3));
    const failures = outcome.filter(Boolean).length;
    expect(failures).toBeGreaterThan(250);
    expect(failures).toBeLessThan(350);
  });

  it('adds up the delays of firing rules and stops at the first that fails', () => {
    const faults = new FaultRegistry();
    faults.add({ action: '*', delayMs: 100 });
    faults.add({ action: 'GetSecretValue', delayMs: 50, error: 'ServiceUnavailableTemp', count: 1 });
    const later = faults.add({ action: 'GetSecretValue', error: 'UndefinedError', count: 1 });
    expect(faults.decide(call('GetSecretValue'))).toMatchObject({ delayMs: 150, error: { code: 'ServiceUnavailableTemp', status: 503 } });
    // the later rule was not consumed by the call the earlier one failed
    expect(faults.get(later.id)).toMatchObject({ remaining: 1, fired: 0 });
    expect(faults.decide(call('GetSecretValue'))).toMatchObject({ delayMs: 100, error: { code: 'UndefinedError' } });
    expect(faults.decide(call('GetSecretValue'))).toMatchObject({ delayMs: 100, error: null });
  });

  it('removes rules one by one by id, and all at once', () => {
    const faults = new FaultRegistry();
    const a = faults.add({ action: 'GetSecretValue', error: 'UndefinedError' });
    const b = faults.add({ action: 'CreateSecret', error: 'UndefinedError' });
    expect(a.id).not.toBe(b.id);
    expect(faults.remove(a.id)).toBe(true);
    expect(faults.remove(a.id)).toBe(false);
    expect(faults.list().map((r) => r.id)).toEqual([b.id]);
    faults.add({ action: 'DescribeSecret', error: 'UndefinedError' });
    expect(faults.clear()).toBe(2);
    expect(faults.list()).toEqual([]);
    // ids are never reused
    expect(faults.add({ action: 'GetSecretValue', error: 'UndefinedError' }).id).not.toBe(a.id);
  });

  it('never lets two concurrent calls share the last unit of a count', async () => {
    const faults = new FaultRegistry();
    faults.add({ action: 'GetSecretValue', error: 'UndefinedError', count: 3, delayMs: 5 });
    const caller = { accessKeyId: 'AKTEST', accountId: '1', region: 'cn-beijing' };
    const results = await Promise.all(Array.from({ length: 20 }, () => faults.beforeAction({ caller, action: 'GetSecretValue', secretName: 'x' })));
    expect(results.filter((r) => r !== null)).toHaveLength(3);
  });
});
