#!/usr/bin/env node
/**
 * Builds dist/volc-secrets: one executable (a Node single executable application) that needs no
 * Node and no node_modules on the machine that runs it.
 *
 *   1. esbuild bundles src/sea-main.ts and everything it imports into one CommonJS file (schemas,
 *      migrations and package.json are imported statically, so they are inside);
 *   2. `node --experimental-sea-config` turns it into a SEA blob, with better-sqlite3's native addon
 *      as an asset (src/sea/addon-cache.ts writes it to a cache file and loads it at start), and the
 *      web console's files (scripts/build-console.js) as assets served from memory;
 *   3. postject injects the blob into a copy of this node executable;
 *   4. the result is renamed into place, so a failed build never leaves a half-made binary behind.
 *
 * Usage: node scripts/build-binary.js [--out dist/volc-secrets] [--no-strip]. Exits non-zero on any failure.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { NODE_BUNDLE } = require('./esbuild-options');
const { buildConsole } = require('./build-console');

const ROOT = path.resolve(__dirname, '..');
const WORK = path.join(ROOT, 'dist', 'sea');
/** The fuse string Node looks for to know a blob was injected (fixed for Node's SEA). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Must match SQLITE_ADDON_ASSET in src/sea-main.ts. */
const ADDON_ASSET = 'better_sqlite3.node';
/** Must match CONSOLE_ASSET_PREFIX in src/http/console.ts. */
const CONSOLE_ASSET_PREFIX = 'console/';

function outputPath() {
  const i = process.argv.indexOf('--out');
  return path.resolve(ROOT, i > 0 && process.argv[i + 1] ? process.argv[i + 1] : 'dist/volc-secrets');
}

function step(name, fn) {
  const started = process.hrtime.bigint();
  const result = fn();
  const finish = (value) => {
    process.stdout.write(`build-binary: ${name} (${Number((process.hrtime.bigint() - started) / 1000000n)} ms)\n`);
    return value;
  };
  return result instanceof Promise ? result.then(finish) : finish(result);
}

function bundle() {
  const file = path.join(WORK, 'volc-secrets.cjs');
  require('esbuild').buildSync({
    entryPoints: [path.join(ROOT, 'src', 'sea-main.ts')],
    outfile: file,
    ...NODE_BUNDLE,
  });
  return file;
}

function addonPath() {
  const pkgDir = path.dirname(require.resolve('better-sqlite3/package.json', { paths: [ROOT] }));
  const file = path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing; run npm ci (better-sqlite3 builds its addon on install)`);
  return file;
}

/** The web console's files (built fresh), as SEA assets under CONSOLE_ASSET_PREFIX. */
function consoleAssets() {
  const built = buildConsole({ quiet: true });
  return Object.fromEntries(built.files.map((name) => [CONSOLE_ASSET_PREFIX + name, path.join(built.dir, name)]));
}

function seaBlob(mainFile, extraAssets) {
  const blob = path.join(WORK, 'sea-prep.blob');
  const config = path.join(WORK, 'sea-config.json');
  fs.writeFileSync(
    config,
    JSON.stringify(
      {
        main: mainFile,
        output: blob,
        disableExperimentalSEAWarning: true,
        // V8 code cache of the bundle: start-up parses less
        useCodeCache: true,
        assets: { [ADDON_ASSET]: addonPath(), ...extraAssets },
      },
      null,
      2,
    ),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  return blob;
}

/**
 * Drops the symbol tables and debug info of the node copy (about 12 MB here). The dynamic symbol
 * table stays, so native addons still link against the executable. Skipped when `strip` is missing.
 */
function stripSymbols(target) {
  if (process.argv.includes('--no-strip')) return 'skipped (--no-strip)';
  try {
    execFileSync('strip', ['--strip-all', target], { stdio: ['ignore', 'ignore', 'pipe'] });
    return 'done';
  } catch (e) {
    if (e.code === 'ENOENT') return 'skipped (no strip on PATH)';
    // only a size optimisation: after a failed strip, start again from a whole copy and go on
    fs.copyFileSync(process.execPath, target);
    return `skipped (strip failed: ${String(e.stderr || e.message).trim().split('\n')[0]})`;
  }
}

async function injectInto(target, blob) {
  fs.copyFileSync(process.execPath, target);
  fs.chmodSync(target, 0o755);
  process.stdout.write(`build-binary: strip symbols: ${stripSymbols(target)}\n`);
  // postject's ELF code prints "Can't find string offset for section name '.note'" warnings that
  // are harmless here; keep the build output readable by dropping only those lines
  const warn = console.warn;
  console.warn = (...args) => {
    if (!/Can't find string offset for section name/.test(String(args[0]))) warn(...args);
  };
  try {
    await require('postject').inject(target, 'NODE_SEA_BLOB', fs.readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } finally {
    console.warn = warn;
  }
}

async function build() {
  if (process.platform !== 'linux') {
    process.stderr.write(`build-binary: warning: only linux-x64 is tested; building for ${process.platform}-${process.arch}\n`);
  }
  const out = outputPath();
  const started = Date.now();
  fs.mkdirSync(WORK, { recursive: true });
  const mainFile = step('bundle', bundle);
  const assets = step('console assets', consoleAssets);
  const blob = step('sea blob', () => seaBlob(mainFile, assets));
  const temp = `${out}.${process.pid}.tmp`;
  try {
    await step('inject', () => injectInto(temp, blob));
    fs.renameSync(temp, out);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  const size = fs.statSync(out).size;
  process.stdout.write(`build-binary: ${path.relative(process.cwd(), out) || out}: ${(size / 1048576).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

build().catch((e) => {
  process.stderr.write(`build-binary: failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
