import { newRequestId } from '../../src/http/envelope';

describe('newRequestId', () => {
  it('is the Beijing-time stamp followed by 18 upper-case hex characters', () => {
    const id = newRequestId(Date.UTC(2024, 7, 8, 1, 31, 35, 900));
    expect(id).toMatch(/^20240808093135[0-9A-F]{18}$/);
  });

  it('follows the clock from one second to the next', () => {
    const t = Date.UTC(2024, 0, 1, 15, 59, 59, 999);
    expect(newRequestId(t).slice(0, 14)).toBe('20240101235959');
    expect(newRequestId(t + 1).slice(0, 14)).toBe('20240102000000');
    expect(newRequestId(t).slice(0, 14)).toBe('20240101235959');
  });

  it('never repeats, across many refills of its random pool', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newRequestId()));
    expect(ids.size).toBe(5000);
  });
});
