/**
 * What every part of the benchmark shares: options (flags and environment), where the compiled
 * programs are, the credential the servers accept, a scratch directory, and how to start the
 * server under test and the baselines as processes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Credential } from '../../src/credentials';
import type { Scope } from '../../src/domain/types';
import { spawnServer, type ServerProcess } from './processes';
import { REGION, SCENARIOS, type ScenarioName } from './requests';

export type Section = 'throughput' | 'startup' | 'scale' | 'postgres';
export const SECTIONS: readonly Section[] = ['throughput', 'startup', 'scale', 'postgres'];

export interface BenchOptions {
  /** seconds per measured cell */
  seconds: number;
  /** A/B/C rounds per Action */
  rounds: number;
  connections: number;
  /** secrets in the store during the throughput cells */
  population: number;
  /** process starts per kind */
  processStarts: number;
  /** fresh processes for the in-process start */
  inProcessStarts: number;
  scaleSizes: number[];
  sections: Section[];
  /** where the JSON results go */
  output: string;
  quick: boolean;
  /** an administrative PostgreSQL URL for the postgres section (databases are created and dropped on it) */
  postgresUrl?: string;
  /** --profile: profile the server under one cell instead of the sections */
  profile: boolean;
  /** the Action of the profiled cell */
  profileAction: ScenarioName;
}

const HELP = `npm run bench [-- options]

  --quick            1 s cells, 1 round, sizes 100 and 10,000, 5 starts (a smoke run; figures are rough)
  --seconds N        seconds per cell (BENCH_SECONDS, default 5)
  --rounds N         alternating rounds per Action (BENCH_ROUNDS, default 3)
  --sizes A,B,C      store sizes of the scale cells (BENCH_SIZES, default 100,10000,100000)
  --starts N         process starts of each kind (BENCH_STARTS, default 7)
  --only S,...       sections to run: throughput, startup, scale, postgres (default all)
  --pg URL           PostgreSQL cluster for the postgres section, an administrative URL such as
                     postgres://postgres@127.0.0.1:5432/postgres (BENCH_PG; the section is skipped without it)
  --output FILE      JSON results (default scripts/bench-results.json)
  --profile          instead: one cell (--seconds, default 5) on the server under V8's CPU profiler;
                     writes scripts/bench-<Action>.cpuprofile and prints the top functions and modules
  --action A         the profiled Action: GetSecretValue (default), DescribeSecrets, CreateSecret`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--quick' || arg === '--profile') {
      flags.set(arg.slice(2), '1');
      continue;
    }
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}\n${HELP}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    flags.set(m[1], value);
  }
  const pick = (flag: string, variable: string): string | undefined => flags.get(flag) ?? env[variable];
  const quick = pick('quick', 'BENCH_QUICK') === '1';
  const int = (flag: string, variable: string, fallback: number): number => {
    const text = pick(flag, variable);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${flag} must be a positive whole number, not ${text}`);
    return n;
  };
  const sizes = (pick('sizes', 'BENCH_SIZES') ?? (quick ? '100,10000' : '100,10000,100000')).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--sizes must list positive whole numbers');
  const only = pick('only', 'BENCH_ONLY');
  const sections = only ? only.split(',').map((s) => s.trim()) : [...SECTIONS];
  for (const s of sections) if (!SECTIONS.includes(s as Section)) throw new Error(`unknown section ${s}; choose from ${SECTIONS.join(', ')}`);
  return {
    seconds: int('seconds', 'BENCH_SECONDS', quick ? 1 : 5),
    rounds: int('rounds', 'BENCH_ROUNDS', quick ? 1 : 3),
    connections: 16,
    population: 1000,
    processStarts: int('starts', 'BENCH_STARTS', quick ? 5 : 7),
    inProcessStarts: quick ? 5 : 11,
    scaleSizes: [...new Set(sizes)].sort((a, b) => a - b),
    sections: sections as Section[],
    output: pick('output', 'BENCH_OUTPUT') ?? path.resolve(__dirname, '../../../scripts/bench-results.json'),
    quick,
    postgresUrl: pick('pg', 'BENCH_PG'),
    profile: flags.get('profile') === '1',
    profileAction: profiledAction(flags.get('action') ?? 'GetSecretValue'),
  };
}

function profiledAction(name: string): ScenarioName {
  if (!Object.prototype.hasOwnProperty.call(SCENARIOS, name)) throw new Error(`--action must be one of ${Object.keys(SCENARIOS).join(', ')}, not ${name}`);
  return name as ScenarioName;
}

export { HELP };

/** Compiled programs (this file runs from dist/scripts/bench). */
export const PROGRAMS = {
  /** the package's bin, `volc-secrets` (the bundled CLI that `npm run build` makes) */
  cli: path.resolve(__dirname, '../../volc-secrets.js'),
  /** the single binary, when `npm run build:binary` has made one */
  binary: path.resolve(__dirname, '../../volc-secrets'),
  baseline: path.resolve(__dirname, 'baseline-server.js'),
  inProcessStart: path.resolve(__dirname, 'in-process-start.js'),
};

/** The only credential the benchmark servers accept (not the development pair: a server as a team would run it). */
export const BENCH_CREDENTIAL: Credential = {
  accessKeyId: 'AKLTbench000000000000000000000000',
  secretAccessKey: 'YmVuY2htYXJrIHNlY3JldCBrZXkgMDEyMzQ1Njc4OQ==',
  accountId: '2100000077',
};

export const BENCH_SCOPE: Scope = { accountId: BENCH_CREDENTIAL.accountId, region: REGION };

export class Scratch {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-bench-'));
  private n = 0;

  /** a fresh path inside the scratch directory */
  file(name: string): string {
    return path.join(this.dir, `${this.n++}-${name}`);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The real CLI, as a user starts it (default log level: one info line per request, to a file). */
export function startTarget(scratch: Scratch, dbFile: string, program: 'cli' | 'binary' = 'cli'): Promise<ServerProcess> {
  const { accessKeyId, secretAccessKey, accountId } = BENCH_CREDENTIAL;
  const serve = ['serve', '--port', '0', '--db', dbFile, '--credentials', `${accessKeyId}:${secretAccessKey}:${accountId}`];
  return spawnServer({
    ...(program === 'cli' ? { args: [PROGRAMS.cli, ...serve] } : { command: PROGRAMS.binary, args: serve }),
    logFile: scratch.file('server.log'),
    cwd: scratch.dir,
  });
}

export function startBaseline(scratch: Scratch, kind: 'node' | 'express', bodyBytes: number): Promise<ServerProcess> {
  return spawnServer({ args: [PROGRAMS.baseline, kind, String(bodyBytes)], logFile: scratch.file(`${kind}.log`), cwd: scratch.dir });
}
