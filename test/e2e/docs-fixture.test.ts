/**
 * docs/fixture.md's code, run as written: every fenced block labelled `file=<name>` is written to a
 * user project (node_modules linked as in test/support/jest-user-project.ts); `demo.js` runs as
 * CommonJS (`demo.cjs`) and as an ES module (`demo.mjs`) and must print the page's "It prints"
 * block; the jest config, seed file and test file run as a jest project.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanEnvironment, ROOT, runJest } from '../support/jest-user-project';

const page = fs.readFileSync(path.join(ROOT, 'docs/fixture.md'), 'utf8');

/** The labelled blocks, by file name. */
function labelledBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of markdown.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)) blocks.set(m[1], m[2]);
  return blocks;
}

function project(blocks: Map<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-docs-fixture-'));
  for (const [name, text] of blocks) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.mkdirSync(path.join(dir, 'node_modules/@volcengine'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules/volc-secrets-local'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules/@volcengine/openapi'), path.join(dir, 'node_modules/@volcengine/openapi'), 'dir');
  return dir;
}

describe('docs/fixture.md', () => {
  const blocks = labelledBlocks(page);
  let dir: string;
  beforeAll(() => {
    dir = project(blocks);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has the blocks this test runs', () => {
    expect([...blocks.keys()].sort()).toEqual(['demo.js', 'jest.config.js', 'test/secrets.seed.yaml', 'test/secrets.test.js']);
  });

  it.each(['demo.cjs', 'demo.mjs'])('runs the in-process snippet as written as %s', (file) => {
    fs.copyFileSync(path.join(dir, 'demo.js'), path.join(dir, file));
    const expected = /It prints:\n\n```text\n([\s\S]*?)```/.exec(page)?.[1];
    const run = spawnSync(process.execPath, [file], { cwd: dir, env: cleanEnvironment(), encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: expected, stderr: '' });
  });

  it('runs the jest config, seed file and test file as a jest project', () => {
    const run = runJest(dir, ['--runInBand']);
    expect(run).toEqual({ status: 0, output: expect.stringContaining('Tests:       3 passed, 3 total') });
  });
});
