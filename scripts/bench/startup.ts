/**
 * Start-up: a process from spawn() to its first answered GET /healthz (the CLI on a new database
 * file, the CLI on an existing one, and a bare node:http server as the yardstick), measured in
 * alternation; and the in-process startServer(), each in a fresh process.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { PROGRAMS, startBaseline, startTarget, type BenchOptions, type Scratch } from './context';
import { cleanEnv, type ServerProcess } from './processes';

const run = promisify(execFile);

export interface StartupSamples {
  /** ms, spawn → healthy */
  bareNode: number[];
  cliNewDb: number[];
  cliExistingDb: number[];
  /** the single binary on a new database file, when it has been built */
  binaryNewDb?: number[];
  inProcess: { importMs: number[]; firstStartMs: number[]; warmStartMs: number[] };
}

async function timed(start: () => Promise<ServerProcess>): Promise<number> {
  const server = await start();
  await server.stop();
  return server.healthyMs;
}

export async function measureStartup(options: BenchOptions, scratch: Scratch, log: (line: string) => void): Promise<StartupSamples> {
  const existingDb = scratch.file('existing.db');
  const kinds: Partial<Record<'bareNode' | 'cliNewDb' | 'cliExistingDb' | 'binaryNewDb', () => Promise<ServerProcess>>> = {
    bareNode: () => startBaseline(scratch, 'node', 20),
    cliNewDb: () => startTarget(scratch, scratch.file('new.db')),
    cliExistingDb: () => startTarget(scratch, existingDb),
  };
  if (fs.existsSync(PROGRAMS.binary)) kinds.binaryNewDb = () => startTarget(scratch, scratch.file('new.db'), 'binary');
  // one unmeasured start of each: creates the existing database, warms the disk cache (and the binary's addon cache)
  for (const start of Object.values(kinds)) await timed(start);

  const samples: StartupSamples = {
    bareNode: [],
    cliNewDb: [],
    cliExistingDb: [],
    ...(kinds.binaryNewDb ? { binaryNewDb: [] } : {}),
    inProcess: { importMs: [], firstStartMs: [], warmStartMs: [] },
  };
  for (let i = 0; i < options.processStarts; i++) {
    for (const [kind, start] of Object.entries(kinds) as Array<[keyof typeof kinds, () => Promise<ServerProcess>]>) {
      samples[kind]?.push(await timed(start));
    }
  }
  log(`  process starts: ${options.processStarts} of each kind`);

  for (let i = 0; i < options.inProcessStarts; i++) {
    const { stdout } = await run(process.execPath, [PROGRAMS.inProcessStart], { cwd: scratch.dir, env: cleanEnv() });
    const r = JSON.parse(stdout) as { importMs: number; firstStartMs: number; warmStartMs: number };
    samples.inProcess.importMs.push(r.importMs);
    samples.inProcess.firstStartMs.push(r.firstStartMs);
    samples.inProcess.warmStartMs.push(r.warmStartMs);
  }
  log(`  in-process starts: ${options.inProcessStarts} fresh processes`);
  return samples;
}
