/**
 * The jest helpers as a user consumes them: a separate jest project (test/fixtures/jest-user) whose
 * config names `volc-secrets-local/jest/global-setup`, resolved through a node_modules link to this
 * package (its package.json "exports"), run as a real jest process.
 */
import fs from 'node:fs';
import { runJest, userProject } from '../support/jest-user-project';

describe('volc-secrets-local/jest in a user project', () => {
  it('starts one server, publishes it to the SDK, resets to the seed, moves time and injects faults', () => {
    const dir = userProject('jest-user');
    const run = runJest(dir, ['--runInBand']);
    expect(run).toEqual({ status: 0, output: expect.stringContaining('Tests:       4 passed, 4 total') });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
