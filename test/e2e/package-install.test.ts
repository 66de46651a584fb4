/**
 * The package as a user gets it: `npm pack`, then a fresh project that installs the tarball offline
 * from the npm cache (test/support/consumer-project.ts), and in that project:
 *   - the README's jest test (test/fixtures/jest-user) with @volcengine/openapi and the fixture;
 *   - `npx volc-secrets --version` and `npx volc-secrets-local --version`;
 *   - a consumer .ts (test/fixtures/consumer) type-checked under moduleResolution node10, node16
 *     and bundler, strict, without skipLibCheck, with neither @types/express nor @types/better-sqlite3;
 *   - the tarball's contents: built JS, .d.ts, schemas, migrations (and the web console's assets
 *     when it is built), nothing else, under the bound.
 * Needs dist/ built (npm test builds it). About 25-40 s here, most of it the offline install and
 * the three tsc runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installConsumer, packTarball, ROOT } from '../support/consumer-project';
import { cleanEnvironment, runJest } from '../support/jest-user-project';

/** The packed size bound (the README states the figure): the bin bundle is most of it. */
const MAX_PACKED_BYTES = 800 * 1024;
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

let work: string;
let project: string;
let tarball: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-package-'));
  project = path.join(work, 'consumer');
  fs.mkdirSync(project);
  tarball = packTarball(work);
  installConsumer(project, tarball, ['@volcengine/openapi', '@types/node']);
}, 240_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  const files = () => execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));

  it('ships the built JS, its .d.ts, the schemas and the migrations as JS, nothing else', () => {
    const list = files();
    const unexpected = list.filter(
      (f) =>
        !/^dist\/src\/.+\.(js|d\.ts)$/.test(f) &&
        !/^dist\/db\/migrations\/(sqlite\/|postgres\/)?[\w-]+\.js$/.test(f) &&
        !/^dist\/schemas\/.+\.json$/.test(f) &&
        !/^dist\/console\/(index\.html|console\.js|console\.css)$/.test(f) &&
        !['dist/volc-secrets.js', 'dist/package.json', 'package.json', 'README.md', 'LICENSE', '.env.example'].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(list).toEqual(expect.arrayContaining(['dist/volc-secrets.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/jest/index.d.ts', 'dist/db/migrations/index.js', 'dist/schemas/actions/CreateSecret.json']));
    // never the single binary, its addon cache, source maps or TypeScript sources
    expect(list.filter((f) => /volc-secrets$|\.node$|\.map$|(^|\/)sea(\/|-main)|(?<!\.d)\.ts$/.test(f))).toEqual([]);
  });

  it(`is at most ${MAX_PACKED_BYTES / 1024} kB`, () => {
    expect(fs.statSync(tarball).size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
  });

  it('has no JS pointing at a source map', () => {
    const dir = path.join(project, 'node_modules/volc-secrets-local');
    const grep = spawnSync('grep', ['-rl', '--include=*.js', '--exclude-dir=node_modules', 'sourceMappingURL=', dir], { encoding: 'utf8' });
    expect({ status: grep.status, files: grep.stdout }).toEqual({ status: 1, files: '' }); // 1: no line matched
  });
});

describe('installed into a fresh project', () => {
  it('runs the jest test with @volcengine/openapi and the fixture', () => {
    for (const f of ['jest.config.js', 'secrets.seed.yaml', 'secrets.spec.js']) fs.copyFileSync(path.join(ROOT, 'test/fixtures/jest-user', f), path.join(project, f));
    const run = runJest(project, ['--runInBand']);
    expect(run).toEqual({ status: 0, output: expect.stringContaining('Tests:       4 passed, 4 total') });
  });

  it.each(['volc-secrets', 'volc-secrets-local'])('npx %s --version prints the version', (bin) => {
    const run = spawnSync('npx', ['--offline', '--no-install', bin, '--version'], { cwd: project, env: cleanEnvironment(), encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: expect.stringContaining(VERSION) });
  });

  it('has neither @types/express nor @types/better-sqlite3', () => {
    expect(fs.existsSync(path.join(project, 'node_modules/@types/express'))).toBe(false);
    expect(fs.existsSync(path.join(project, 'node_modules/@types/better-sqlite3'))).toBe(false);
  });

  it.each(['node10', 'node16', 'bundler'])('type-checks a consumer .ts under moduleResolution %s, without skipLibCheck', (mode) => {
    for (const f of fs.readdirSync(path.join(ROOT, 'test/fixtures/consumer'))) fs.copyFileSync(path.join(ROOT, 'test/fixtures/consumer', f), path.join(project, f));
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${mode}.json`], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect({ status: tsc.status, output: tsc.stdout + tsc.stderr }).toEqual({ status: 0, output: '' });
  });
});
