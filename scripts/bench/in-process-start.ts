/**
 * Run in a fresh process: how long the in-process API takes, as a test suite uses it.
 * Prints one JSON line: importMs (require of the package entry), firstStartMs (the first
 * startServer() of the process, to the resolved handle), warmStartMs (a second startServer()
 * after closing the first), each with an in-memory database on port 0.
 */
export {};

const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startServer } = require('../../src') as typeof import('../../src');
const imported = performance.now();

async function main(): Promise<void> {
  const a = performance.now();
  const first = await startServer({ db: ':memory:' });
  const b = performance.now();
  await first.close();
  const c = performance.now();
  const second = await startServer({ db: ':memory:' });
  const d = performance.now();
  await second.close();
  process.stdout.write(JSON.stringify({ importMs: imported - t0, firstStartMs: b - a, warmStartMs: d - c }) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exitCode = 1;
});
