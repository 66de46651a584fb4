#!/usr/bin/env node
/**
 * `npm start`: runs `volc-secrets serve` from the bundled bin (dist/volc-secrets.js), rebuilding
 * that one file first only when a source it is made of is newer than it. The bundle is made by
 * esbuild in a fraction of a second; the full `npm run build` (tsc for the library and its type
 * declarations) is not needed to serve, so a start with nothing changed costs no build at all.
 * Arguments after `npm start --` are passed to serve.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist', 'volc-secrets.js');
/** what the bundle is made of: our sources, the migrations and schemas it embeds, the lockfile and build scripts */
const INPUTS = ['src', 'db', 'schemas', 'package-lock.json', 'scripts/bundle-cli.js', 'scripts/esbuild-options.js'];

/** the newest modification time under p (a file or a directory), in ms */
function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted file changes its directory's time
  for (const entry of fs.readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)));
  return latest;
}

function bundleIsCurrent() {
  let built;
  try {
    built = fs.statSync(BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  return INPUTS.every((input) => newest(path.join(ROOT, input)) <= built);
}

if (!bundleIsCurrent()) {
  process.stderr.write('volc-secrets: sources changed, bundling dist/volc-secrets.js\n');
  require('./bundle-cli');
}
require(BUNDLE)
  .main(['serve', ...process.argv.slice(2)])
  .then((code) => {
    process.exitCode = code;
  });
