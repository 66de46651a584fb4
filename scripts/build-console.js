#!/usr/bin/env node
/**
 * `npm run build`, third step: the web console's static assets, dist/console/ (served at /console/
 * by src/http/console.ts, and carried inside the single binary as SEA assets by build-binary.js).
 *   console.js   src/console/main.ts and its imports, bundled and minified by esbuild (one file, no CDN)
 *   console.css  src/console/console.css, minified
 *   index.html   src/console/index.html as it is (the server fills in the region)
 * Prints each file's size and its gzipped size. Usage: node scripts/build-console.js [--quiet]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src', 'console');
const OUT = path.join(ROOT, 'dist', 'console');
/** The files the server serves; build-binary.js embeds exactly these. */
const CONSOLE_FILES = ['index.html', 'console.js', 'console.css'];

function buildConsole({ quiet = false } = {}) {
  const esbuild = require('esbuild');
  fs.mkdirSync(OUT, { recursive: true });
  const common = { bundle: true, minify: true, legalComments: 'none', logLevel: 'warning', target: ['es2020', 'chrome100', 'firefox100', 'safari15'] };
  esbuild.buildSync({ ...common, entryPoints: [path.join(SRC, 'main.ts')], outfile: path.join(OUT, 'console.js'), format: 'iife', platform: 'browser' });
  esbuild.buildSync({ ...common, entryPoints: [path.join(SRC, 'console.css')], outfile: path.join(OUT, 'console.css') });
  fs.copyFileSync(path.join(SRC, 'index.html'), path.join(OUT, 'index.html'));
  let raw = 0;
  let gz = 0;
  const lines = CONSOLE_FILES.map((name) => {
    const data = fs.readFileSync(path.join(OUT, name));
    const zipped = zlib.gzipSync(data, { level: 9 }).length;
    raw += data.length;
    gz += zipped;
    return `  ${name.padEnd(12)} ${String(data.length).padStart(7)} B, gzipped ${String(zipped).padStart(6)} B`;
  });
  if (!quiet) process.stdout.write(`build-console: dist/console/\n${lines.join('\n')}\n  total        ${String(raw).padStart(7)} B, gzipped ${String(gz).padStart(6)} B\n`);
  return { dir: OUT, files: CONSOLE_FILES, bytes: raw, gzippedBytes: gz };
}

module.exports = { buildConsole, CONSOLE_FILES };

if (require.main === module) buildConsole({ quiet: process.argv.includes('--quiet') });
