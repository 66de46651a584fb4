#!/usr/bin/env node
/**
 * What unauthenticated requests cost the server: starts `volc-secrets serve` (the CLI given, default
 * dist/src/cli.js), measures its resident memory, then sends CONNECTIONS concurrent unsigned POSTs that
 * each announce and send BODY_MIB MiB (half to /, half to /v1), and prints the peak RSS while they are
 * answered and how long they took. Figures, not assertions: this machine's numbers are noisy.
 *
 *   node scripts/bench-unauthenticated.js [path/to/cli.js]     (CONNECTIONS=20 BODY_MIB=16 by default)
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const CLI = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist', 'src', 'cli.js'));
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const BODY_MIB = Number(process.env.BODY_MIB ?? 16);

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

function start() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', ':memory:', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready: http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/** One unsigned POST with a body of `bytes`, written as fast as the server takes it; resolves with the status. */
function unsignedPost(port, target, bytes) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const chunk = Buffer.alloc(64 * 1024, 'a');
    socket.on('connect', () => {
      socket.write(`POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${bytes}\r\n\r\n`);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          const n = Math.min(chunk.length, bytes - sent);
          sent += n;
          if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return socket.once('drain', pump);
        }
      };
      pump();
    });
    socket.on('data', (d) => {
      answer += d;
      if (/\r\n\r\n/.test(answer)) {
        socket.destroy();
        resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0));
      }
    });
    socket.on('error', () => resolve(answer ? Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0) : 'reset'));
    socket.on('close', () => resolve(answer ? Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0) : 'closed'));
  });
}

async function main() {
  const { child, port } = await start();
  await new Promise((r) => setTimeout(r, 500));
  const idle = rssMiB(child.pid);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(child.pid))), 10);
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, i) => unsignedPost(port, i % 2 === 0 ? '/?Action=CreateSecret&Version=2021-02-18' : '/v1/0a1b2c/secrets', BODY_MIB * 1024 * 1024)),
  );
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, rssMiB(child.pid));
  child.kill('SIGTERM');
  const tally = {};
  for (const s of statuses) tally[s] = (tally[s] ?? 0) + 1;
  console.log(`${CLI}`);
  console.log(`  ${CONNECTIONS} concurrent unsigned POSTs of ${BODY_MIB} MiB: RSS idle ${idle.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB; all answered in ${ms.toFixed(0)} ms; answers ${JSON.stringify(tally)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
