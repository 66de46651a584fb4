import { ConfigError, resolveConfig } from '../../src/config';
import { parseDuration, MAX_DURATION_MS } from '../../src/control/duration';
import { isLoopbackAddress } from '../../src/control/loopback';
import { findOperation } from '../../src/control/operations';

describe('control API durations', () => {
  it.each([
    ['8d', 8 * 86_400_000],
    ['36h', 36 * 3_600_000],
    ['1d12h', 36 * 3_600_000],
    ['2w', 14 * 86_400_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['1m30s', 90_000],
    ['1500', 1500],
    [1500, 1500],
    [' 3d ', 3 * 86_400_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'd', '8 d', '8days', '-1d', '1.5d', 'd8', '1d-2h', '3651d', -5, 1.5, Number.NaN])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('accepts up to ten years', () => {
    expect(parseDuration('3650d')).toBe(MAX_DURATION_MS);
  });
});

describe('loopback check', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])('%s is loopback', (a) => expect(isLoopbackAddress(a)).toBe(true));
  it.each(['192.0.2.2', '::ffff:192.0.2.2', '10.0.0.1', 'fe80::1', '', undefined, '128.0.0.1'])('%s is not', (a) => expect(isLoopbackAddress(a)).toBe(false));
});

describe('control operation table', () => {
  it('finds operations by method and path, with path parameters decoded', () => {
    expect(findOperation('POST', '/clock/advance')?.operation.name).toBe('AdvanceClock');
    expect(findOperation('POST', '/clock/advance/')?.operation.name).toBe('AdvanceClock');
    expect(findOperation('GET', '/clock/advance')).toBeNull();
    expect(findOperation('POST', '/snapshots/before%20test/restore')).toMatchObject({ operation: { name: 'RestoreSnapshot' }, path: { name: 'before test' } });
    expect(findOperation('DELETE', '/faults/fault-3')).toMatchObject({ operation: { name: 'RemoveFault' }, path: { id: 'fault-3' } });
    expect(findOperation('DELETE', '/faults')?.operation.name).toBe('ClearFaults');
    expect(findOperation('GET', '/nothing')).toBeNull();
    expect(findOperation('DELETE', '/faults/%E0%A4%A')).toBeNull();
  });
});

describe('audit log size configuration', () => {
  it('VOLC_SECRETS_AUDIT_MAX_ROWS sets the bound (default 10000); nonsense is refused', () => {
    expect(resolveConfig({}).auditMaxRows).toBe(10_000);
    expect(resolveConfig({ VOLC_SECRETS_AUDIT_MAX_ROWS: '250' }).auditMaxRows).toBe(250);
    for (const bad of ['0', '-1', 'many', '1.5']) {
      expect(() => resolveConfig({ VOLC_SECRETS_AUDIT_MAX_ROWS: bad })).toThrow(ConfigError);
    }
  });
});
