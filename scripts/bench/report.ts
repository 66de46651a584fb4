/**
 * From samples to the summary: medians, ratios to the baselines, the targets (issues 5 and 14), and one
 * Markdown table (readable in a terminal, pasteable in docs/benchmarks.md).
 */
import os from 'node:os';
import type { BenchOptions } from './context';
import { median } from './load';
import type { ScaleAction, ScaleSamples } from './scale';
import { SCALE_ACTIONS } from './scale';
import type { StartupSamples } from './startup';
import { POSTGRES_ACTIONS, POSTGRES_KINDS, POSTGRES_SCALE_ACTIONS, type PostgresKind, type PostgresSamples } from './postgres';
import type { ActionSamples, Cell, ServerKind } from './throughput';
import { SERVER_KINDS } from './throughput';

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** MiB, the largest peak of the cells */
  peakRssMiB: number;
  /** µs of server CPU per request */
  cpuUs: number;
}

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean;
}

export interface Summary {
  machine: { cpu: string; cores: number; node: string; platform: string; memoryGiB: number };
  options: BenchOptions;
  finishedAt: string;
  throughput?: Array<{
    action: string;
    bodyBytes: number;
    figures: Record<ServerKind, Figures>;
    /** server ÷ baseline: throughput (higher is better) and p50 latency (lower is better) */
    ratios: { rpsToNode: number; rpsToExpress: number; p50ToNode: number; p50ToExpress: number; cpuToExpress: number };
  }>;
  startup?: {
    /** medians, ms */
    processToHealthy: { bareNode: number; cliNewDb: number; cliExistingDb: number; binaryNewDb?: number };
    inProcess: { importMs: number; firstStartMs: number; warmStartMs: number };
  };
  scale?: {
    sizes: Array<{ size: number; seedSeconds: number; figures: Record<ScaleAction, Figures> }>;
    /** p50 at the largest size ÷ p50 at the smallest */
    p50LargestToSmallest: Record<ScaleAction, number>;
  };
  postgres?: {
    actions: Array<{
      action: string;
      figures: Record<PostgresKind, Figures>;
      /** PostgreSQL ÷ SQLite and ÷ the baselines: throughput (higher is better) */
      ratios: { rpsToSqlite: number; pairRpsToSqlite: number; pairRpsToSingle: number; rpsToNode: number; rpsToExpress: number };
    }>;
    sizes: Array<{ size: number; seedSeconds: number; figures: Record<(typeof POSTGRES_SCALE_ACTIONS)[number], Figures> }>;
  };
  targets: Target[];
  samples: { throughput?: ActionSamples[]; startup?: StartupSamples; scale?: ScaleSamples[]; postgres?: PostgresSamples };
}

export function machine(): Summary['machine'] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

export function figures(cells: readonly Cell[]): Figures {
  return {
    rps: median(cells.map((c) => c.rps)),
    p50: median(cells.map((c) => c.p50)),
    p99: median(cells.map((c) => c.p99)),
    peakRssMiB: Math.max(...cells.map((c) => c.peakRss)) / 2 ** 20,
    cpuUs: median(cells.map((c) => c.cpuPerRequestUs)),
  };
}

export const fmt = {
  rps: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1)),
  ratio: (n: number) => `${n.toFixed(2)}×`,
  mib: (n: number) => n.toFixed(0),
  us: (n: number) => n.toFixed(0),
};

export function summarise(
  options: BenchOptions,
  samples: { throughput?: ActionSamples[]; startup?: StartupSamples; scale?: ScaleSamples[]; postgres?: PostgresSamples },
): Summary {
  const summary: Summary = { machine: machine(), options, finishedAt: new Date().toISOString(), targets: [], samples };

  if (samples.throughput) {
    summary.throughput = samples.throughput.map((a) => {
      const f = Object.fromEntries(SERVER_KINDS.map((k) => [k, figures(a.cells[k])])) as Record<ServerKind, Figures>;
      return {
        action: a.action,
        bodyBytes: a.bodyBytes,
        figures: f,
        ratios: {
          rpsToNode: f.server.rps / f.node.rps,
          rpsToExpress: f.server.rps / f.express.rps,
          p50ToNode: f.server.p50 / f.node.p50,
          p50ToExpress: f.server.p50 / f.express.p50,
          cpuToExpress: f.server.cpuUs / f.express.cpuUs,
        },
      };
    });
    const get = summary.throughput.find((t) => t.action === 'GetSecretValue');
    if (get) {
      summary.targets.push({
        name: 'signed GetSecretValue throughput',
        goal: '≥ 0.45× bare express',
        measured:
          `${fmt.ratio(get.ratios.rpsToExpress)} (${fmt.rps(get.figures.server.rps)} vs ${fmt.rps(get.figures.express.rps)} req/s); ` +
          `by CPU per request ${fmt.ratio(1 / get.ratios.cpuToExpress)} (${fmt.us(get.figures.server.cpuUs)} vs ${fmt.us(get.figures.express.cpuUs)} µs)`,
        met: get.ratios.rpsToExpress >= 0.45,
      });
      summary.targets.push({
        name: 'signed GetSecretValue CPU per request',
        goal: '≤ 2.3× bare express',
        measured: `${fmt.ratio(get.ratios.cpuToExpress)} (${fmt.us(get.figures.server.cpuUs)} vs ${fmt.us(get.figures.express.cpuUs)} µs)`,
        met: get.ratios.cpuToExpress <= 2.3,
      });
    }
    const list = summary.throughput.find((t) => t.action === 'DescribeSecrets');
    if (list) {
      summary.targets.push({
        name: 'DescribeSecrets (page of 10) throughput',
        goal: '≥ 0.35× bare express',
        measured: `${fmt.ratio(list.ratios.rpsToExpress)} (${fmt.rps(list.figures.server.rps)} vs ${fmt.rps(list.figures.express.rps)} req/s)`,
        met: list.ratios.rpsToExpress >= 0.35,
      });
    }
  }

  if (samples.startup) {
    const s = samples.startup;
    const processToHealthy = {
      bareNode: median(s.bareNode),
      cliNewDb: median(s.cliNewDb),
      cliExistingDb: median(s.cliExistingDb),
      ...(s.binaryNewDb ? { binaryNewDb: median(s.binaryNewDb) } : {}),
    };
    const inProcess = {
      importMs: median(s.inProcess.importMs),
      firstStartMs: median(s.inProcess.firstStartMs),
      warmStartMs: median(s.inProcess.warmStartMs),
    };
    summary.startup = { processToHealthy, inProcess };
    const worstCli = Math.max(processToHealthy.cliNewDb, processToHealthy.cliExistingDb);
    summary.targets.push(
      {
        name: 'process start to healthy',
        goal: '≤ 3× bare node:http',
        measured: `${fmt.ratio(worstCli / processToHealthy.bareNode)} (${fmt.ms(worstCli)} vs ${fmt.ms(processToHealthy.bareNode)} ms)`,
        met: worstCli <= 3 * processToHealthy.bareNode,
      },
      {
        name: 'in-process startServer() to ready',
        goal: '≤ 30 ms',
        measured: `${fmt.ms(inProcess.firstStartMs)} ms first call in a fresh process (${fmt.ms(inProcess.warmStartMs)} ms warm)`,
        met: inProcess.firstStartMs <= 30,
      },
    );
  }

  if (samples.scale && samples.scale.length > 0) {
    const sizes = samples.scale.map((s) => ({
      size: s.size,
      seedSeconds: s.seedSeconds,
      figures: Object.fromEntries(SCALE_ACTIONS.map((a) => [a, figures(s.cells[a])])) as Record<ScaleAction, Figures>,
    }));
    const first = sizes[0];
    const last = sizes[sizes.length - 1];
    const p50LargestToSmallest = Object.fromEntries(
      SCALE_ACTIONS.map((a) => [a, last.figures[a].p50 / first.figures[a].p50]),
    ) as Record<ScaleAction, number>;
    summary.scale = { sizes, p50LargestToSmallest };
    for (const a of SCALE_ACTIONS) {
      summary.targets.push({
        name: `${a} latency at ${last.size.toLocaleString('en-US')} secrets`,
        goal: `≤ 1.2× at ${first.size.toLocaleString('en-US')}`,
        measured: `${fmt.ratio(p50LargestToSmallest[a])} (p50 ${fmt.ms(last.figures[a].p50)} vs ${fmt.ms(first.figures[a].p50)} ms)`,
        met: p50LargestToSmallest[a] <= 1.2,
      });
    }
  }
  if (samples.postgres) summarisePostgres(summary, samples.postgres);
  return summary;
}

function summarisePostgres(summary: Summary, pg: PostgresSamples): void {
  const actions = pg.actions.map((a) => {
    const f = Object.fromEntries(POSTGRES_KINDS.map((k) => [k, figures(a.cells[k])])) as Record<PostgresKind, Figures>;
    return {
      action: a.action,
      figures: f,
      ratios: {
        rpsToSqlite: f.postgres.rps / f.sqlite.rps,
        pairRpsToSqlite: f['postgres×2'].rps / f.sqlite.rps,
        pairRpsToSingle: f['postgres×2'].rps / f.postgres.rps,
        rpsToNode: f.postgres.rps / f.node.rps,
        rpsToExpress: f.postgres.rps / f.express.rps,
      },
    };
  });
  const sizes = pg.scale.map((s) => ({
    size: s.size,
    seedSeconds: s.seedSeconds,
    figures: Object.fromEntries(POSTGRES_SCALE_ACTIONS.map((a) => [a, figures(s.cells[a])])) as Record<(typeof POSTGRES_SCALE_ACTIONS)[number], Figures>,
  }));
  summary.postgres = { actions, sizes };
  if (sizes.length >= 2) {
    const first = sizes[0];
    const last = sizes[sizes.length - 1];
    for (const a of POSTGRES_SCALE_ACTIONS) {
      const ratio = last.figures[a].p50 / first.figures[a].p50;
      summary.targets.push({
        name: `PostgreSQL: ${a} latency at ${last.size.toLocaleString('en-US')} secrets`,
        goal: `≤ 1.2× at ${first.size.toLocaleString('en-US')}`,
        measured: `${fmt.ratio(ratio)} (p50 ${fmt.ms(last.figures[a].p50)} vs ${fmt.ms(first.figures[a].p50)} ms)`,
        met: ratio <= 1.2,
      });
    }
  }
}

function renderPostgres(pg: NonNullable<Summary['postgres']>): string[] {
  const rows: string[][] = [];
  for (const a of pg.actions) {
    for (const kind of POSTGRES_KINDS) {
      const f = a.figures[kind];
      const r = a.ratios;
      const ratio =
        kind === 'postgres'
          ? `${fmt.ratio(r.rpsToSqlite)} SQLite, ${fmt.ratio(r.rpsToNode)} node, ${fmt.ratio(r.rpsToExpress)} express`
          : kind === 'postgres×2'
            ? `${fmt.ratio(r.pairRpsToSqlite)} SQLite, ${fmt.ratio(r.pairRpsToSingle)} one server`
            : '';
      rows.push([kind === POSTGRES_KINDS[0] ? a.action : '', kind, fmt.rps(f.rps), fmt.ms(f.p50), fmt.ms(f.p99), fmt.us(f.cpuUs), fmt.mib(f.peakRssMiB), ratio]);
    }
  }
  const scaleRows: string[][] = [];
  for (const s of pg.sizes) {
    for (const a of POSTGRES_SCALE_ACTIONS) {
      const f = s.figures[a];
      scaleRows.push([a === POSTGRES_SCALE_ACTIONS[0] ? s.size.toLocaleString('en-US') : '', a, fmt.rps(f.rps), fmt.ms(f.p50), fmt.ms(f.p99), fmt.us(f.cpuUs)]);
    }
  }
  return [
    '',
    'PostgreSQL (postgres×2: two servers on one database, half the connections each; CPU is both servers\' per request)',
    table(['Action', 'server', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'peak RSS MiB', 'req/s ÷'], rows),
    '',
    'PostgreSQL scale (one server)',
    table(['secrets', 'Action', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req'], scaleRows),
  ];
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

export function render(summary: Summary): string {
  const m = summary.machine;
  const o = summary.options;
  const out: string[] = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}`,
    `Load: autocannon, ${o.connections} connections, ${o.seconds} s per cell, ${o.rounds} alternating round(s); medians shown${o.quick ? ' (QUICK MODE: rough figures)' : ''}`,
  ];
  if (summary.throughput) {
    const rows: string[][] = [];
    for (const t of summary.throughput) {
      for (const kind of SERVER_KINDS) {
        const f = t.figures[kind];
        const isServer = kind === 'server';
        rows.push([
          kind === 'server' ? `${t.action} (${t.bodyBytes} B)` : '',
          kind === 'server' ? 'volc-secrets' : kind === 'node' ? 'bare node:http' : 'bare express',
          fmt.rps(f.rps),
          fmt.ms(f.p50),
          fmt.ms(f.p99),
          fmt.us(f.cpuUs),
          fmt.mib(f.peakRssMiB),
          isServer ? fmt.ratio(t.ratios.rpsToNode) : '',
          isServer ? fmt.ratio(t.ratios.rpsToExpress) : '',
          isServer ? `${fmt.ratio(t.ratios.p50ToNode)} / ${fmt.ratio(t.ratios.p50ToExpress)}` : '',
        ]);
      }
    }
    out.push(
      '',
      'Throughput (signed requests; baselines answer a body of the same size and do no work)',
      table(['Action (answer)', 'server', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'peak RSS MiB', 'req/s ÷ node', 'req/s ÷ express', 'p50 ÷ node / express'], rows),
    );
  }
  if (summary.startup) {
    const p = summary.startup.processToHealthy;
    const i = summary.startup.inProcess;
    out.push(
      '',
      'Start-up (medians)',
      table(
        ['what', 'ms', '÷ bare node:http'],
        [
          ['process → /healthz: bare node:http', fmt.ms(p.bareNode), '1.00×'],
          ['process → /healthz: volc-secrets serve, new db file', fmt.ms(p.cliNewDb), fmt.ratio(p.cliNewDb / p.bareNode)],
          ['process → /healthz: volc-secrets serve, existing db file', fmt.ms(p.cliExistingDb), fmt.ratio(p.cliExistingDb / p.bareNode)],
          ...(p.binaryNewDb === undefined
            ? []
            : [['process → /healthz: single binary (bundled), new db file', fmt.ms(p.binaryNewDb), fmt.ratio(p.binaryNewDb / p.bareNode)]]),
          ['in-process: require the package', fmt.ms(i.importMs), ''],
          ['in-process: first startServer() in a fresh process', fmt.ms(i.firstStartMs), ''],
          ['in-process: startServer() again (warm)', fmt.ms(i.warmStartMs), ''],
        ],
      ),
    );
  }
  if (summary.scale) {
    const rows: string[][] = [];
    for (const s of summary.scale.sizes) {
      for (const a of SCALE_ACTIONS) {
        const f = s.figures[a];
        rows.push([a === SCALE_ACTIONS[0] ? s.size.toLocaleString('en-US') : '', a, fmt.rps(f.rps), fmt.ms(f.p50), fmt.ms(f.p99), fmt.us(f.cpuUs), fmt.mib(f.peakRssMiB)]);
      }
    }
    const r = summary.scale.p50LargestToSmallest;
    out.push(
      '',
      'Scale (DescribeSecrets: first page of 10; GetSecretValue: 1,000 names spread over the store)',
      table(['secrets', 'Action', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'peak RSS MiB'], rows),
      `p50 largest ÷ smallest: ${SCALE_ACTIONS.map((a) => `${a} ${fmt.ratio(r[a])}`).join(', ')}`,
    );
  }
  if (summary.postgres) out.push(...renderPostgres(summary.postgres));
  if (summary.targets.length > 0) {
    out.push('', 'Targets', table(['target', 'goal', 'measured', 'met'], summary.targets.map((t) => [t.name, t.goal, t.measured, t.met ? 'yes' : 'NO'])));
  }
  return out.join('\n');
}
