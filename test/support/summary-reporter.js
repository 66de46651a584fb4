/**
 * Prints the closing line CI reads, `N passed, N failed` (`, N skipped` added when tests were
 * skipped, so a skip is never silent), after jest's own summary, and writes it to
 * $VOLC_SECRETS_SUMMARY_FILE when set. Suites that fail to run count their tests as failed (at least 1).
 */
const fs = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    let failed = results.numFailedTests;
    for (const suite of results.testResults) {
      if (suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0 && suite.numPassingTests === 0)) failed += 1;
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.VOLC_SECRETS_SUMMARY_FILE) fs.writeFileSync(process.env.VOLC_SECRETS_SUMMARY_FILE, line + '\n');
  }
}

module.exports = SummaryReporter;
