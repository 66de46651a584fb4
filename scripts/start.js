#!/usr/bin/env node
/**
 * `npm start`: runs `volc-secrets serve` from the bundled bin (dist/volc-secrets.js), rebuilding
 * that one file first only when a source it is made of is newer than it. The bundle is made by
 * esbuild in a fraction of a second; the full `npm run build` (tsc for the library and its type
 * declarations) is not needed to serve, so a start with nothing changed costs no build at all.
 * The web console's assets (dist/console/) are rebuilt the same way, from src/console/.
 * Arguments after `npm start --` are passed to serve.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist', 'volc-secrets.js');
/** what the bundle is made of: our sources, the migrations and schemas it embeds, the lockfile and build scripts */
const INPUTS = ['src', 'db', 'schemas', 'package-lock.json', 'scripts/bundle-cli.js', 'scripts/esbuild-options.js'];
const CONSOLE_DIR = path.join(ROOT, 'dist', 'console');
const CONSOLE_INPUTS = ['src/console', 'scripts/build-console.js'];

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

/** true when every file of `outputs` exists and is newer than everything under `inputs` */
function isCurrent(outputs, inputs) {
  let built = Infinity;
  try {
    for (const output of outputs) built = Math.min(built, fs.statSync(output).mtimeMs);
  } catch {
    return false;
  }
  return inputs.every((input) => newest(path.join(ROOT, input)) <= built);
}

if (!isCurrent([BUNDLE], INPUTS)) {
  process.stderr.write('volc-secrets: sources changed, bundling dist/volc-secrets.js\n');
  require('./bundle-cli');
}
const { buildConsole, CONSOLE_FILES } = require('./build-console');
if (!isCurrent(CONSOLE_FILES.map((name) => path.join(CONSOLE_DIR, name)), CONSOLE_INPUTS)) {
  process.stderr.write('volc-secrets: console sources changed, building dist/console/\n');
  buildConsole({ quiet: true });
}
require(BUNDLE)
  .main(['serve', ...process.argv.slice(2)])
  .then((code) => {
    process.exitCode = code;
  });
