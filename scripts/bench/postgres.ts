/**
 * The PostgreSQL cells: GetSecretValue and CreateSecret on one server and on two servers sharing one
 * database (the load split evenly between them), beside the same server on SQLite and the bare
 * baselines, measured in alternation in the same run; then the reads at growing store sizes (up to
 * 100,000 secrets) on PostgreSQL. Needs --pg URL (BENCH_PG): an administrative URL of a cluster the
 * benchmark may create databases on (e.g. the throwaway one .ci/run starts); skipped without it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import { BENCH_CREDENTIAL, BENCH_SCOPE, PROGRAMS, startBaseline, startTarget, type BenchOptions, type Scratch } from './context';
import { runLoad } from './load';
import { spawnServer, type ServerProcess } from './processes';
import { SCENARIOS, type RequestSource } from './requests';
import { seedPostgres, seedSecrets } from './seed';
import { measureCell, probe, type Cell } from './throughput';

export type PostgresKind = 'sqlite' | 'postgres' | 'postgres×2' | 'node' | 'express';
export const POSTGRES_KINDS: readonly PostgresKind[] = ['sqlite', 'postgres', 'postgres×2', 'node', 'express'];
export const POSTGRES_ACTIONS = ['GetSecretValue', 'CreateSecret'] as const;
export const POSTGRES_SCALE_ACTIONS = ['GetSecretValue', 'DescribeSecrets'] as const;

export interface PostgresSamples {
  population: number;
  actions: Array<{ action: (typeof POSTGRES_ACTIONS)[number]; cells: Record<PostgresKind, Cell[]> }>;
  scale: Array<{ size: number; seedSeconds: number; cells: Record<(typeof POSTGRES_SCALE_ACTIONS)[number], Cell[]> }>;
}

/**
 * After a bulk load: VACUUM ANALYZE, as autovacuum would do soon after, so that the cells measure a
 * database in its steady state (fresh statistics, visibility map set) and not autovacuum working
 * beside them on the same cores.
 */
async function settle(url: string): Promise<void> {
  await admin(url, 'vacuum analyze');
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh database on the cluster, dropped by the returned function. */
async function freshDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `volc_bench_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = '/' + name;
  return { url: u.toString(), drop: () => admin(adminUrl, `drop database if exists ${name} with (force)`) };
}

function startOnPostgres(scratch: Scratch, url: string, keyFile: string): Promise<ServerProcess> {
  const { accessKeyId, secretAccessKey, accountId } = BENCH_CREDENTIAL;
  return spawnServer({
    args: [PROGRAMS.cli, 'serve', '--port', '0', '--db', url, '--master-key-file', keyFile, '--credentials', `${accessKeyId}:${secretAccessKey}:${accountId}`],
    logFile: scratch.file('pg-server.log'),
    cwd: scratch.dir,
  });
}

/** Two servers, half the connections each, at the same time: one cell for the pair. */
async function measurePair(pair: [ServerProcess, ServerProcess], sources: [RequestSource, RequestSource], options: BenchOptions, seconds = options.seconds): Promise<Cell> {
  for (const s of pair) s.meter.start();
  const half = Math.max(1, options.connections >> 1);
  const loads = await Promise.all(pair.map((s, i) => runLoad(s.url, sources[i], seconds, half)));
  const usage = pair.map((s) => s.meter.read());
  const ok = loads[0].ok + loads[1].ok;
  const failed = loads[0].failed + loads[1].failed;
  return {
    rps: loads[0].rps + loads[1].rps,
    // the slower of the two (their samples are not merged)
    p50: Math.max(loads[0].p50, loads[1].p50),
    p99: Math.max(loads[0].p99, loads[1].p99),
    ok,
    failed,
    peakRss: Math.max(usage[0].peakRss, usage[1].peakRss),
    cpuPerRequestUs: ((usage[0].cpuMs + usage[1].cpuMs) * 1000) / Math.max(1, ok + failed),
  };
}

export async function measurePostgres(options: BenchOptions, scratch: Scratch, log: (line: string) => void): Promise<PostgresSamples | undefined> {
  if (!options.postgresUrl) {
    log('  skipped: give --pg URL (BENCH_PG), an administrative URL of a PostgreSQL cluster the benchmark may create databases on');
    return undefined;
  }
  const keyFile = scratch.file('pg.master-key');
  fs.writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  const samples: PostgresSamples = { population: options.population, actions: [], scale: [] };

  // ---- one and two servers on PostgreSQL beside SQLite and the baselines ----
  const db = await freshDatabase(options.postgresUrl);
  const dbFile = scratch.file('pg-compare.db');
  try {
    await seedSecrets(dbFile, BENCH_SCOPE, 0, options.population);
    await seedPostgres(db.url, keyFile, BENCH_SCOPE, 0, options.population);
    await settle(db.url);
    const sqlite = await startTarget(scratch, dbFile);
    const pgA = await startOnPostgres(scratch, db.url, keyFile);
    const pgB = await startOnPostgres(scratch, db.url, keyFile);
    let tag = 0;
    const sourceFor = (action: (typeof POSTGRES_ACTIONS)[number]) => SCENARIOS[action](BENCH_CREDENTIAL, options.population, `pg${tag++}`);
    try {
      for (const action of POSTGRES_ACTIONS) {
        const bodyBytes = await probe(pgA.url, sourceFor(action), action);
        await probe(sqlite.url, sourceFor(action), action);
        const node = await startBaseline(scratch, 'node', bodyBytes);
        const express = await startBaseline(scratch, 'express', bodyBytes);
        const single: Record<Exclude<PostgresKind, 'postgres×2'>, ServerProcess> = { sqlite, postgres: pgA, node, express };
        const measure = (kind: PostgresKind, seconds?: number) =>
          kind === 'postgres×2' ? measurePair([pgA, pgB], [sourceFor(action), sourceFor(action)], options, seconds) : measureCell(single[kind], sourceFor(action), options, seconds);
        try {
          const warmUp = Math.max(1, Math.round(options.seconds / 2));
          for (const kind of POSTGRES_KINDS) await measure(kind, warmUp);
          const cells = Object.fromEntries(POSTGRES_KINDS.map((k) => [k, [] as Cell[]])) as Record<PostgresKind, Cell[]>;
          for (let round = 0; round < options.rounds; round++) {
            for (const kind of POSTGRES_KINDS) {
              const cell = await measure(kind);
              if (cell.failed > 0) throw new Error(`${action} on ${kind}: ${cell.failed} requests failed`);
              cells[kind].push(cell);
            }
          }
          log(`  ${action}: ${options.rounds} round(s) of ${POSTGRES_KINDS.join(' / ')}`);
          samples.actions.push({ action, cells });
        } finally {
          await node.stop();
          await express.stop();
        }
      }
    } finally {
      await Promise.all([sqlite.stop(), pgA.stop(), pgB.stop()]);
    }
  } finally {
    await db.drop().catch(() => undefined);
  }

  // ---- reads at growing sizes on PostgreSQL ----
  const scaleDb = await freshDatabase(options.postgresUrl);
  try {
    let seeded = 0;
    for (const size of options.scaleSizes) {
      const started = performance.now();
      await seedPostgres(scaleDb.url, keyFile, BENCH_SCOPE, seeded, size);
      await settle(scaleDb.url);
      seeded = size;
      const seedSeconds = (performance.now() - started) / 1000;
      const target = await startOnPostgres(scratch, scaleDb.url, keyFile);
      try {
        const sources = { GetSecretValue: SCENARIOS.GetSecretValue(BENCH_CREDENTIAL, size), DescribeSecrets: SCENARIOS.DescribeSecrets(BENCH_CREDENTIAL) };
        for (const action of POSTGRES_SCALE_ACTIONS) {
          await probe(target.url, sources[action], action);
          await measureCell(target, sources[action], options, 1);
        }
        const cells = { GetSecretValue: [] as Cell[], DescribeSecrets: [] as Cell[] };
        for (let round = 0; round < options.rounds; round++) {
          for (const action of POSTGRES_SCALE_ACTIONS) {
            const cell = await measureCell(target, sources[action], options);
            if (cell.failed > 0) throw new Error(`${action} at ${size} secrets on PostgreSQL: ${cell.failed} requests failed`);
            cells[action].push(cell);
          }
        }
        log(`  PostgreSQL, ${size} secrets (seeded in ${seedSeconds.toFixed(1)} s)`);
        samples.scale.push({ size, seedSeconds, cells });
      } finally {
        await target.stop();
      }
    }
  } finally {
    await scaleDb.drop().catch(() => undefined);
  }
  return samples;
}


