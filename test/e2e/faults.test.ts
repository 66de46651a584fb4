/**
 * Fault injection observed through the official SDK: rules set through the control API, in-process,
 * from startServer options and from a seed document.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../src';
import { seededRandom } from '../../src/faults/random';
import { controlClient, type ControlClient } from '../support/control';
import { actionQuery, startTestServer, type TestServer } from '../support/server';

describe('fault injection', () => {
  let t: TestServer;
  let control: ControlClient;
  beforeAll(async () => {
    t = await startTestServer();
    control = controlClient(t.sdk.service);
    for (const name of ['db', 'cache', 'slow', 'fast']) {
      await t.sdk.ok('CreateSecret', { SecretName: name, SecretType: 'Generic', SecretValue: `value-of-${name}` });
    }
  });
  afterEach(() => {
    t.handle.faults.clear();
  });
  afterAll(() => t.handle.close());

  it('fails the next N matching calls with the chosen catalogue error, then lets calls through', async () => {
    const { rule } = await control.ok('POST', '/faults', { action: 'GetSecretValue', error: 'Reject.Throttling.Action', count: 2 });
    expect(rule).toMatchObject({ id: expect.any(String), action: 'GetSecretValue', error: 'Reject.Throttling.Action', count: 2, remaining: 2 });

    for (let i = 0; i < 2; i++) {
      const e = await t.sdk.fail('GetSecretValue', { SecretName: 'db' });
      expect(e).toEqual({ CodeN: 0, Code: 'Reject.Throttling.Action', Message: 'The request of Action: GetSecretValue upper limit is exceeded.' });
    }
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'db' })).SecretValue).toBe('value-of-db');
    // the used-up rule is gone
    expect((await control.ok('GET', '/faults')).rules).toEqual([]);
  });

  it('answers with the error’s HTTP status', async () => {
    await control.ok('POST', '/faults', { action: 'GetSecretValue', error: 'UndefinedError', count: 1 });
    await control.ok('POST', '/faults', { action: 'DescribeSecret', error: 'FlowLimitExceeded', count: 1 });
    const internal = await t.raw({ query: actionQuery('GetSecretValue', { SecretName: 'db' }) });
    expect(internal.status).toBe(500);
    expect(internal.body.ResponseMetadata.Error).toMatchObject({ Code: 'UndefinedError' });
    const flow = await t.raw({ query: actionQuery('DescribeSecret', { SecretName: 'db' }) });
    expect(flow.status).toBe(429);
    expect(flow.body.ResponseMetadata.Error).toEqual({ CodeN: 100018, Code: 'FlowLimitExceeded', Message: 'Flow limit exceeded, please retry later.' });
  });

  it('fails the fraction of calls its seeded random source picks', async () => {
    const { rule } = await control.ok('POST', '/faults', { action: 'GetSecretValue', error: 'ServiceUnavailableTemp', probability: 0.5, seed: 2024 });
    const random = seededRandom(2024);
    const expected = Array.from({ length: 40 }, () => random() < 0.5);
    const observed: boolean[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await t.sdk.call('GetSecretValue', { SecretName: 'db' });
      const error = res.ResponseMetadata.Error;
      if (error) expect(error.Code).toBe('ServiceUnavailableTemp');
      observed.push(error !== undefined);
    }
    expect(observed).toEqual(expected);
    const failures = observed.filter(Boolean).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
    const [listed] = (await control.ok('GET', '/faults')).rules;
    expect(listed).toMatchObject({ id: rule.id, matched: 40, fired: failures, remaining: null });
  });

  it('answers after a delay (and only the delayed call waits)', async () => {
    await control.ok('POST', '/faults', { action: 'GetSecretValue', secretName: 'slow', delayMs: 400 });
    const finished: string[] = [];
    const read = async (name: string) => {
      const value = (await t.sdk.ok('GetSecretValue', { SecretName: name })).SecretValue;
      finished.push(name);
      return value;
    };
    const slow = read('slow');
    await new Promise((r) => setTimeout(r, 20));
    expect(await read('fast')).toBe('value-of-fast');
    expect(await slow).toBe('value-of-slow');
    expect(finished).toEqual(['fast', 'slow']);
    const [entry] = await t.handle.audit.query({ action: 'GetSecretValue', secretName: 'slow', limit: 1 });
    expect(entry.status).toBe(200);
    expect(entry.durationMs).toBeGreaterThanOrEqual(399);
  });

  it('delays then fails when a rule has both', async () => {
    await control.ok('POST', '/faults', { action: 'SetSecretValue', error: 'FlowLimitExceeded', delayMs: 150, count: 1 });
    const e = await t.sdk.fail('SetSecretValue', { SecretName: 'db', SecretValue: 'never-stored' });
    expect(e.Code).toBe('FlowLimitExceeded');
    const [entry] = await t.handle.audit.query({ action: 'SetSecretValue', limit: 1 });
    expect(entry.durationMs).toBeGreaterThanOrEqual(149);
    // the refused call changed nothing
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'db' })).SecretValue).toBe('value-of-db');
  });

  it('scoped to one secret: other secrets and other Actions on it are untouched', async () => {
    await control.ok('POST', '/faults', { action: 'GetSecretValue', secretName: 'db', error: 'UndefinedError' });
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'cache' })).SecretValue).toBe('value-of-cache');
    expect((await t.sdk.ok('DescribeSecret', { SecretName: 'db' })).Secret.SecretName).toBe('db');
    for (const mode of ['json', 'get', 'form'] as const) {
      expect((await t.sdk.fail('GetSecretValue', { SecretName: 'db' }, mode)).Code).toBe('UndefinedError');
    }
  });

  it('"*" matches every Action', async () => {
    await control.ok('POST', '/faults', { action: '*', error: 'AccessDenied', count: 2 });
    expect((await t.sdk.fail('DescribeSecrets', {})).Code).toBe('AccessDenied');
    expect((await t.sdk.fail('BatchGetSecretValue', { SecretNames: ['db'] })).Code).toBe('AccessDenied');
    expect((await t.sdk.ok('DescribeSecrets', {})).Secrets.length).toBeGreaterThan(0);
  });

  it('does not touch refused requests: validation and signatures come first', async () => {
    await control.ok('POST', '/faults', { action: 'GetSecretValue', error: 'UndefinedError', count: 1 });
    expect((await t.sdk.fail('GetSecretValue', {})).Code).toBe('MissingParameter');
    const unsigned = await t.raw({ query: actionQuery('GetSecretValue', { SecretName: 'db' }), sign: false });
    expect(unsigned.body.ResponseMetadata.Error?.Code).toBe('MissingAuthenticationToken');
    // the one count is still there for the next valid call
    expect((await t.sdk.fail('GetSecretValue', { SecretName: 'db' })).Code).toBe('UndefinedError');
  });

  it('removes rules one by one, and clears them all', async () => {
    const a = (await control.ok('POST', '/faults', { action: 'GetSecretValue', error: 'UndefinedError' })).rule;
    const b = (await control.ok('POST', '/faults', { action: 'DescribeSecret', error: 'UndefinedError' })).rule;
    await control.ok('POST', '/faults', { action: 'DescribeSecrets', error: 'UndefinedError' });
    expect(await control.ok('DELETE', `/faults/${a.id}`)).toEqual({ id: a.id, removed: true });
    expect((await t.sdk.ok('GetSecretValue', { SecretName: 'db' })).SecretValue).toBe('value-of-db');
    expect((await t.sdk.fail('DescribeSecret', { SecretName: 'db' })).Code).toBe('UndefinedError');
    expect((await control.fail('DELETE', `/faults/${a.id}`)).Code).toBe('Not Found');
    expect((await control.ok('GET', '/faults')).rules.map((r: { id: string }) => r.id)).toContain(b.id);
    expect(await control.ok('DELETE', '/faults')).toEqual({ removed: 2 });
    expect((await t.sdk.ok('DescribeSecret', { SecretName: 'db' })).Secret.SecretName).toBe('db');
  });

  it('are available in-process', async () => {
    const rule = t.handle.faults.add({ action: 'GetSecretValue', secretName: 'cache', error: 'Not Found', count: 1 });
    expect(t.handle.faults.list()).toEqual([expect.objectContaining({ id: rule.id, remaining: 1 })]);
    expect(await t.sdk.fail('GetSecretValue', { SecretName: 'cache' })).toEqual({ CodeN: 0, Code: 'Not Found', Message: 'Not found secret [cache].' });
    expect(t.handle.faults.list()).toEqual([]);
    t.handle.faults.add({ action: 'GetSecretValue', error: 'UndefinedError' });
    expect(t.handle.faults.clear()).toBe(1);
    expect(() => t.handle.faults.add({ action: 'GetSecretValue', error: 'Nope' })).toThrow(/^error: must be one of: /);
  });

  it.each([
    [{ error: 'UndefinedError' }, 'MissingParameter', 'The request is missing action parameter.'],
    [{ action: 'GetSecretValue' }, 'MissingParameter', 'The request is missing error parameter.'],
    [{ action: 'GetSecretValue', error: 'Nope' }, 'InvalidParameter', /^The request parameter error is invalid\. error must be one of: Reject\.Throttling\.Action, /],
    [{ action: 'GetSecretValues', error: 'UndefinedError' }, 'InvalidParameter', /^The request parameter action is invalid\./],
    [{ action: 'GetSecretValue', error: 'UndefinedError', count: 'two' }, 'InvalidParameter', 'The request parameter count is invalid. count must be a number.'],
    [{ action: 'GetSecretValue', error: 'UndefinedError', count: 2, probability: 0.5 }, 'InvalidParameter', /^The request parameter probability is invalid\./],
    [{ action: 'GetSecretValue', error: 'UndefinedError', times: 2 }, 'InvalidParameter', /^The request parameter times is invalid\. This operation has no parameter times\./],
  ])('refuses the rule %j with %s and adds nothing', async (params, code, message) => {
    const e = await control.fail('POST', '/faults', params);
    expect(e.Code).toBe(code);
    expect(e.Message).toMatch(message);
    expect(t.handle.faults.list()).toEqual([]);
  });

  it('accepts a rule as a form or in the query (text numbers)', async () => {
    const form = await t.raw({ method: 'POST', path: '/_local/faults', body: 'action=GetSecretValue&error=UndefinedError&count=3', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(200);
    expect(form.body.Result.rule).toMatchObject({ count: 3 });
    const query = await t.raw({ method: 'POST', path: '/_local/faults', query: [['action', 'DescribeSecret'], ['delayMs', '10']] });
    expect(query.body.Result.rule).toMatchObject({ action: 'DescribeSecret', delayMs: 10, error: null });
  });
});

describe('fault rules at start', () => {
  it('come from startServer options and from a seed document', async () => {
    const handle = await startServer({
      seed: { faults: [{ action: 'DescribeSecrets', error: 'Reject.Throttling.Action', count: 1 }] },
      faults: [{ action: 'GetSecretValue', error: 'UndefinedError' }],
    });
    try {
      expect(handle.faults.list().map((r) => r.action)).toEqual(['DescribeSecrets', 'GetSecretValue']);
      const { sdkClient } = await import('../support/server');
      const sdk = sdkClient(handle, { credentials: handle.credentials });
      expect((await sdk.fail('DescribeSecrets', {})).Code).toBe('Reject.Throttling.Action');
      expect((await sdk.ok('DescribeSecrets', {})).Secrets).toEqual([]);
      expect((await sdk.fail('GetSecretValue', { SecretName: 'x1' })).Code).toBe('UndefinedError');
    } finally {
      await handle.close();
    }
  });

  it('come from a YAML seed file, and a wrong one names the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-faults-'));
    try {
      const good = path.join(dir, 'good.yaml');
      fs.writeFileSync(good, 'faults:\n  - action: GetSecretValue\n    secretName: db\n    error: FlowLimitExceeded\n    count: 2\n  - action: "*"\n    delayMs: 5\n    probability: 0.5\n    seed: 42\n');
      const handle = await startServer({ seed: good });
      try {
        expect(handle.faults.list()).toEqual([
          expect.objectContaining({ action: 'GetSecretValue', secretName: 'db', error: 'FlowLimitExceeded', remaining: 2 }),
          expect.objectContaining({ action: '*', error: null, delayMs: 5, probability: 0.5, seed: 42 }),
        ]);
      } finally {
        await handle.close();
      }
      const bad = path.join(dir, 'bad.yaml');
      fs.writeFileSync(bad, 'faults:\n  - action: GetSecretValue\n    error: FlowLimitExceeded\n    count: 0\n');
      await expect(startServer({ seed: bad })).rejects.toThrow(`seed file ${bad}: faults[0] (GetSecretValue): count: must be a whole number from 1 to 1000000`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a wrong rule in a seed or in the options stops the start, naming entry and field', async () => {
    await expect(startServer({ seed: { faults: [{ action: 'GetSecretValue', error: 'UndefinedError' }, { action: 'GetSecretValue', error: 'Boom' }] } })).rejects.toThrow(
      /^seed: faults\[1\] \(GetSecretValue\): error: must be one of: /,
    );
    await expect(startServer({ faults: [{ action: 'GetSecretValue', error: 'UndefinedError', count: -1 }] })).rejects.toThrow(
      'startServer options: faults[0] (GetSecretValue): count: must be a whole number from 1 to 1000000',
    );
  });
});
