/**
 * One measured cell: autocannon at N connections for a fixed time, requests drawn from a shared
 * source. Latencies are recorded here with sub-millisecond resolution (autocannon's own histogram
 * keeps whole milliseconds, too coarse for a local server).
 */
import autocannon from 'autocannon';
import type { RequestSource } from './requests';

export interface LoadResult {
  /** successful (2xx) answers per second */
  rps: number;
  /** ms, over successful answers */
  p50: number;
  p99: number;
  ok: number;
  /** answers that were not 2xx, plus connection errors and timeouts: a valid cell has none */
  failed: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

export async function runLoad(url: string, source: RequestSource, seconds: number, connections: number): Promise<LoadResult> {
  const latencies = new Samples();
  let failed = 0;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [{ setupRequest: (request) => ({ ...request, ...source.next() }) }],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
    else failed++;
  });
  const result = await instance;
  const sorted = latencies.sorted();
  return {
    rps: sorted.length / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ok: sorted.length,
    failed: failed + result.errors + result.timeouts,
  };
}
