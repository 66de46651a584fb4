#!/usr/bin/env node
/**
 * `npm run build`, second step: bundles the CLI into one file, dist/volc-secrets.js (the package's
 * `bin`). One file loads much faster than the ~400 modules of express, kysely and ours (about
 * 70-80 ms of the process start here); better-sqlite3 stays outside (it carries a native addon).
 * The unbundled dist/src/ stays for the library entry (`require('volc-secrets-local')`) and the tests.
 */
const fs = require('node:fs');
const path = require('node:path');
const { NODE_BUNDLE } = require('./esbuild-options');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'dist', 'volc-secrets.js');

require('esbuild').buildSync({
  entryPoints: [path.join(ROOT, 'src', 'cli.ts')],
  outfile: OUT,
  ...NODE_BUNDLE,
  external: ['better-sqlite3'],
});
// src/cli.ts starts with a shebang line, which esbuild keeps at the top of the bundle
fs.chmodSync(OUT, 0o755);
