/**
 * The same reads against stores of growing size: one database file filled step by step (100, then
 * up to 10,000, then up to 100,000 secrets), the server restarted on it at each size.
 */
import { BENCH_CREDENTIAL, BENCH_SCOPE, startTarget, type BenchOptions, type Scratch } from './context';
import { SCENARIOS } from './requests';
import { seedSecrets } from './seed';
import { measureCell, probe, type Cell } from './throughput';

export const SCALE_ACTIONS = ['GetSecretValue', 'DescribeSecrets'] as const;
export type ScaleAction = (typeof SCALE_ACTIONS)[number];

export interface ScaleSamples {
  size: number;
  seedSeconds: number;
  cells: Record<ScaleAction, Cell[]>;
}

export async function measureScale(options: BenchOptions, scratch: Scratch, log: (line: string) => void): Promise<ScaleSamples[]> {
  const dbFile = scratch.file('scale.db');
  const results: ScaleSamples[] = [];
  let seeded = 0;
  for (const size of options.scaleSizes) {
    const started = performance.now();
    await seedSecrets(dbFile, BENCH_SCOPE, seeded, size);
    seeded = size;
    const seedSeconds = (performance.now() - started) / 1000;
    const target = await startTarget(scratch, dbFile);
    try {
      const sources = {
        GetSecretValue: SCENARIOS.GetSecretValue(BENCH_CREDENTIAL, size),
        DescribeSecrets: SCENARIOS.DescribeSecrets(BENCH_CREDENTIAL),
      };
      for (const action of SCALE_ACTIONS) {
        await probe(target.url, sources[action], action);
        await measureCell(target, sources[action], options, 1); // warm-up
      }
      const cells: Record<ScaleAction, Cell[]> = { GetSecretValue: [], DescribeSecrets: [] };
      for (let round = 0; round < options.rounds; round++) {
        for (const action of SCALE_ACTIONS) {
          const cell = await measureCell(target, sources[action], options);
          if (cell.failed > 0) throw new Error(`${action} at ${size} secrets: ${cell.failed} requests failed`);
          cells[action].push(cell);
        }
      }
      log(`  ${size} secrets (seeded in ${seedSeconds.toFixed(1)} s)`);
      results.push({ size, seedSeconds, cells });
    } finally {
      await target.stop();
    }
  }
  return results;
}
