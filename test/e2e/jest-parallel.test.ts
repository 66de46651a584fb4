/**
 * The jest pattern under parallel workers: four spec files (test/fixtures/jest-parallel) of eight
 * tests each, run with --maxWorkers=4, line up inside every test and reset, move the clock and
 * inject faults while the others are between two calls. Each worker has its own server, so none
 * of them sees another's doings (with one shared server most of these 32 tests fail).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnvironment, runJest, userProject } from '../support/jest-user-project';

describe('volc-secrets-local/jest with test files in parallel', () => {
  it('keeps four spec files that reset, move the clock and inject faults at once apart (--maxWorkers=4)', () => {
    const dir = userProject('jest-parallel');
    const syncDir = path.join(dir, 'sync');
    fs.mkdirSync(syncDir);
    const run = runJest(dir, ['--maxWorkers=4'], cleanEnvironment({ PARALLEL_SYNC_DIR: syncDir }));
    expect(run).toEqual({ status: 0, output: expect.stringContaining('Tests:       32 passed, 32 total') });
    // the four files really ran in four workers, each against its own server
    const endpoints = [0, 1, 2, 3].map((p) => fs.readFileSync(path.join(syncDir, `endpoint.${p}`), 'utf8'));
    expect(new Set(endpoints).size).toBe(4);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
