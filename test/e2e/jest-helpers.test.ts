/**
 * The jest helpers as a user consumes them: a separate jest project (test/fixtures/jest-user) whose
 * config names `volc-secrets-local/jest/global-setup`, resolved through a node_modules link to this
 * package (its package.json "exports"), run as a real jest process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function userProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-jest-user-'));
  for (const f of fs.readdirSync(path.join(ROOT, 'test/fixtures/jest-user'))) {
    fs.copyFileSync(path.join(ROOT, 'test/fixtures/jest-user', f), path.join(dir, f));
  }
  fs.mkdirSync(path.join(dir, 'node_modules/@volcengine'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules/volc-secrets-local'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules/@volcengine/openapi'), path.join(dir, 'node_modules/@volcengine/openapi'), 'dir');
  return dir;
}

describe('volc-secrets-local/jest in a user project', () => {
  it('starts one server, publishes it to the SDK, resets to the seed, moves time and injects faults', () => {
    const dir = userProject();
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('VOLC')) delete env[k];
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', path.join(dir, 'jest.config.js'), '--rootDir', dir, '--ci', '--runInBand'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect({ status: run.status, output }).toEqual({ status: 0, output: expect.stringContaining('Tests:       4 passed, 4 total') });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
