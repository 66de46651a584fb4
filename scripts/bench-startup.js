#!/usr/bin/env node
/**
 * Start-up time: from spawning the process to the first 200 from /healthz, median of N runs, for
 * the single binary (dist/volc-secrets) and for `node dist/src/cli.js serve`. Each run uses a fresh
 * database file; the binary is measured with its addon cache already warm, and once cold.
 *
 * Usage: node scripts/bench-startup.js [--runs 5]   (npm run build && npm run build:binary first)
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BINARY = path.join(ROOT, 'dist', 'volc-secrets');
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

async function healthy(port) {
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Milliseconds from spawn to the first healthy answer. */
function startOnce(command, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.resume();
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before healthy: ${err}`)));
    // the ready line is written to stderr
    child.stderr.on('data', async (d) => {
      err += d;
      const m = /ready: http:\/\/[^\s]+:(\d+)/.exec(err);
      if (!m || child.measured) return;
      child.measured = true;
      await healthy(Number(m[1]));
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.removeAllListeners('exit');
      child.once('exit', () => resolve(ms));
      child.kill('SIGTERM');
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label, command, argsFor, envFor) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
    try {
      times.push(await startOnce(command, argsFor(dir), envFor(dir, i), dir));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${label.padEnd(44)} median ${median(times).toFixed(0).padStart(4)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(', ')})\n`);
}

async function main() {
  for (const f of [BINARY, CLI]) if (!fs.existsSync(f)) throw new Error(`${f} is missing; run npm run build and npm run build:binary`);
  const serveArgs = (dir) => ['serve', '--port', '0', '--db', path.join(dir, 'secrets.db'), '--log-level', 'error'];
  const warmCache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
  try {
    const bare = (dir) => ({ PATH: '/nonexistent', HOME: dir });
    // warm the cache once, then measure
    await startOnce(BINARY, serveArgs(warmCache), { ...bare(warmCache), XDG_CACHE_HOME: warmCache }, warmCache);
    await measure('binary, addon cache warm', BINARY, serveArgs, (dir) => ({ ...bare(dir), XDG_CACHE_HOME: warmCache }));
    await measure('binary, first start (empty addon cache)', BINARY, serveArgs, (dir) => ({ ...bare(dir), XDG_CACHE_HOME: path.join(dir, 'cache') }));
    await measure('node dist/src/cli.js serve', process.execPath, (dir) => [CLI, ...serveArgs(dir)], (dir) => ({ PATH: process.env.PATH, HOME: dir }));
  } finally {
    fs.rmSync(warmCache, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench-startup: ${e.message}\n`);
  process.exit(1);
});
