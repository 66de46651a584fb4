/**
 * Throughput and latency of signed Actions beside two baselines answering a body of the same size,
 * measured in alternation (server, node:http, express, server, node:http, ...) so that whatever else
 * the machine does at the time weighs on all three alike.
 */
import http from 'node:http';
import { BENCH_CREDENTIAL, BENCH_SCOPE, startBaseline, startTarget, type BenchOptions, type Scratch } from './context';
import { runLoad, type LoadResult } from './load';
import type { ServerProcess } from './processes';
import { SCENARIOS, type RequestSource, type ScenarioName, type SignedRequest } from './requests';
import { seedSecrets } from './seed';

export type ServerKind = 'server' | 'node' | 'express';
export const SERVER_KINDS: readonly ServerKind[] = ['server', 'node', 'express'];

export interface Cell extends LoadResult {
  /** bytes, the server process's peak resident memory during the cell */
  peakRss: number;
  /** µs of the server process's CPU time per answered request (robust to other load on the machine) */
  cpuPerRequestUs: number;
}

export interface ActionSamples {
  action: ScenarioName;
  /** size of the server's answer, which the baselines copy */
  bodyBytes: number;
  cells: Record<ServerKind, Cell[]>;
}

/** Sends one request and returns the answer (to check it succeeds and to learn its size). */
export function sendOnce(url: string, request: SignedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${request.path}`, { method: request.method, headers: request.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/** Fails loudly when the server refuses the benchmark's requests (a bench of error answers measures nothing). */
export async function probe(url: string, source: RequestSource, action: string): Promise<number> {
  const answer = await sendOnce(url, source.next());
  const parsed = JSON.parse(answer.body) as { ResponseMetadata?: { Error?: unknown } };
  if (answer.status !== 200 || parsed.ResponseMetadata?.Error) throw new Error(`${action} probe failed: ${answer.status} ${answer.body}`);
  return Buffer.byteLength(answer.body);
}

export async function measureCell(server: ServerProcess, source: RequestSource, options: BenchOptions, seconds = options.seconds): Promise<Cell> {
  server.meter.start();
  const load = await runLoad(server.url, source, seconds, options.connections);
  const usage = server.meter.read();
  return { ...load, peakRss: usage.peakRss, cpuPerRequestUs: (usage.cpuMs * 1000) / Math.max(1, load.ok + load.failed) };
}

export async function measureThroughput(options: BenchOptions, scratch: Scratch, log: (line: string) => void): Promise<ActionSamples[]> {
  const dbFile = scratch.file('throughput.db');
  await seedSecrets(dbFile, BENCH_SCOPE, 0, options.population);
  const target = await startTarget(scratch, dbFile);
  log(`  idle RSS after start: ${(target.meter.rss() / 2 ** 20).toFixed(0)} MiB (the server before its first request)`);
  const results: ActionSamples[] = [];
  let tag = 0;
  const sourceFor = (action: ScenarioName) => SCENARIOS[action](BENCH_CREDENTIAL, options.population, `t${tag++}`);
  try {
    // CreateSecret last: the secrets it adds do not change what the reads measure
    for (const action of ['GetSecretValue', 'DescribeSecrets', 'CreateSecret'] as const) {
      const bodyBytes = await probe(target.url, sourceFor(action), action);
      const node = await startBaseline(scratch, 'node', bodyBytes);
      const express = await startBaseline(scratch, 'express', bodyBytes);
      const servers: Record<ServerKind, ServerProcess> = { server: target, node, express };
      try {
        const warmUp = Math.max(1, Math.round(options.seconds / 2));
        for (const kind of SERVER_KINDS) await measureCell(servers[kind], sourceFor(action), options, warmUp);
        const cells: Record<ServerKind, Cell[]> = { server: [], node: [], express: [] };
        for (let round = 0; round < options.rounds; round++) {
          for (const kind of SERVER_KINDS) {
            const cell = await measureCell(servers[kind], sourceFor(action), options);
            if (cell.failed > 0) throw new Error(`${action} on ${kind}: ${cell.failed} requests failed`);
            cells[kind].push(cell);
          }
        }
        log(`  ${action}: ${options.rounds} round(s) of ${SERVER_KINDS.join(' / ')}, answer ${bodyBytes} bytes`);
        results.push({ action, bodyBytes, cells });
      } finally {
        await node.stop();
        await express.stop();
      }
    }
  } finally {
    await target.stop();
  }
  return results;
}
