/**
 * A user's jest project made from a fixture folder: copied to a temp directory, with
 * node_modules/volc-secrets-local linked to this repository (its package.json "exports" resolve
 * as they will once installed) and @volcengine/openapi linked to ours; run by this repo's jest as a
 * real jest process with a clean environment (no VOLC* variables inherited).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export function userProject(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `volc-${fixture}-`));
  fs.cpSync(path.join(ROOT, 'test/fixtures', fixture), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules/@volcengine'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules/volc-secrets-local'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules/@volcengine/openapi'), path.join(dir, 'node_modules/@volcengine/openapi'), 'dir');
  return dir;
}

/** The environment without the VOLC* variables of this run (the user's process has none). */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VOLC') || k.startsWith('JEST_WORKER')) delete env[k];
  return { ...env, ...extra };
}

export interface JestRun {
  status: number | null;
  output: string;
}

/** Runs this repo's jest on the project in `dir` with its own cache (no timings from earlier runs). */
export function runJest(dir: string, args: string[], env: NodeJS.ProcessEnv = cleanEnvironment()): JestRun {
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', path.join(dir, 'jest.config.js'), '--rootDir', dir, '--ci', '--cacheDirectory', path.join(dir, '.jest-cache'), ...args],
    { cwd: dir, env, encoding: 'utf8', timeout: 180_000 },
  );
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}
