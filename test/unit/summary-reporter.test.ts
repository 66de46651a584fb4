/**
 * The closing line CI reads: `N passed, N failed`, with `, N skipped` whenever a test was skipped (the
 * single-binary suite skips when the binary is not built; that must show).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SummaryReporter = require('../support/summary-reporter.js') as new () => { onRunComplete(c: unknown, r: unknown): void };

function lineFor(results: Record<string, unknown>): string {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    new SummaryReporter().onRunComplete([], { numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [], ...results });
  } finally {
    spy.mockRestore();
  }
  return written.join('').trim();
}

describe('the summary line', () => {
  it('says how many were skipped', () => {
    expect(lineFor({ numPassedTests: 10, numPendingTests: 6 })).toBe('10 passed, 0 failed, 6 skipped');
  });

  it('stays `N passed, N failed` when nothing was skipped', () => {
    expect(lineFor({ numPassedTests: 10, numFailedTests: 1 })).toBe('10 passed, 1 failed');
  });
});
