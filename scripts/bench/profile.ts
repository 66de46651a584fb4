/**
 * `npm run bench -- --profile [--action A]`: one cell of load on the server under V8's CPU profiler,
 * then the profile read back: where the server's main thread spends its time, per request, by
 * function and by module. The server is the unbundled dist/src/cli.js (the same code as the bundled
 * bin) so that each function keeps the file it comes from; it writes the profile when it exits on
 * SIGTERM. Open the .cpuprofile in Chrome DevTools (Performance → Load profile) or VS Code for the
 * call tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_CREDENTIAL, BENCH_SCOPE, type BenchOptions, type Scratch } from './context';
import { runLoad } from './load';
import { spawnServer } from './processes';
import { SCENARIOS, type ScenarioName } from './requests';
import { seedSecrets } from './seed';
import { probe } from './throughput';

/** The node of a .cpuprofile as V8 writes it (only what is read here). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** µs since the previous sample */
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  action: ScenarioName;
  requests: number;
  /** only the samples under load counted (false: the whole life of the process, start-up included) */
  windowed: boolean;
  /** µs of sampled main-thread time per request, idle excluded */
  busyUsPerRequest: number;
  modules: Array<{ module: string; usPerRequest: number; share: number }>;
  functions: Array<{ name: string; module: string; usPerRequest: number; share: number }>;
}

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The module a frame belongs to: a package under node_modules, a directory of ours (src/http,
 * src/store/sqlite...), node's own internals by area, or V8's pseudo-frames ((garbage collector),
 * (program): native work not attributed to JS, mostly socket and HTTP parser calls).
 */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) {
    const rest = url.slice(5).replace(/^internal\//, '');
    return 'node:' + rest.split('/').slice(0, rest.startsWith('deps/') ? 2 : 1).join('/').replace(/\.js$/, '');
  }
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const parts = file.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const relative = path.relative(ROOT, file).replace(/^dist\//, '');
  return path.dirname(relative) === '.' ? relative : path.dirname(relative);
}

/** The monotonic clock V8's profiler stamps samples with (µs); the same clock in every process here. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Self time per function and module, per request. With a window (monotonic µs), only the samples taken
 * under load count (start-up and shutdown left out); if none falls in it, the whole profile counts.
 */
export function summariseProfile(
  profile: CpuProfile,
  requests: number,
  top: number,
  window?: { fromUs: number; toUs: number },
): Omit<ProfileSummary, 'file' | 'action' | 'windowed'> & { windowed: boolean } {
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const tally = (inWindow: (at: number) => boolean): Map<number, number> => {
    const self = new Map<number, number>();
    let at = profile.startTime;
    // a sample's time is the delta to the next sample (the first delta is the gap before it)
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i] ?? 0;
      if (!inWindow(at)) continue;
      const delta = profile.timeDeltas[i + 1] ?? 0;
      self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + delta);
    }
    return self;
  };
  let selfUs = window ? tally((at) => at >= window.fromUs && at <= window.toUs) : new Map<number, number>();
  const windowed = selfUs.size > 0;
  if (!windowed) selfUs = tally(() => true);
  const modules = new Map<string, number>();
  const functions = new Map<string, { name: string; module: string; us: number }>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const module = moduleOf(url, functionName);
    modules.set(module, (modules.get(module) ?? 0) + us);
    const name = `${functionName || '(anonymous)'}${url ? ` ${path.basename(url)}:${lineNumber + 1}` : ''}`;
    const key = `${module}\n${name}`;
    const entry = functions.get(key) ?? { name, module, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const perRequest = (us: number) => us / Math.max(1, requests);
  return {
    windowed,
    requests,
    busyUsPerRequest: perRequest(busy),
    modules: [...modules]
      .sort((a, b) => b[1] - a[1])
      .map(([module, us]) => ({ module, usPerRequest: perRequest(us), share: us / busy })),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, module: f.module, usPerRequest: perRequest(f.us), share: f.us / busy })),
  };
}

export async function profileServer(options: BenchOptions, scratch: Scratch, log: (line: string) => void): Promise<ProfileSummary> {
  const action = options.profileAction;
  const dbFile = scratch.file('profile.db');
  await seedSecrets(dbFile, BENCH_SCOPE, 0, options.population);
  const dir = scratch.file('profile');
  fs.mkdirSync(dir);
  const { accessKeyId, secretAccessKey, accountId } = BENCH_CREDENTIAL;
  const server = await spawnServer({
    args: [
      '--cpu-prof',
      '--cpu-prof-interval',
      '250',
      '--cpu-prof-dir',
      dir,
      path.join(ROOT, 'dist/src/cli.js'),
      'serve',
      '--port',
      '0',
      '--db',
      dbFile,
      '--credentials',
      `${accessKeyId}:${secretAccessKey}:${accountId}`,
    ],
    logFile: scratch.file('profile-server.log'),
    cwd: scratch.dir,
  });
  let requests = 0;
  const window = { fromUs: 0, toUs: 0 };
  try {
    const source = () => SCENARIOS[action](BENCH_CREDENTIAL, options.population, 'p');
    await probe(server.url, source(), action);
    log(`  ${action}: ${options.seconds} s under the profiler (dist/src/cli.js)`);
    window.fromUs = monotonicUs();
    const load = await runLoad(server.url, source(), options.seconds, options.connections);
    window.toUs = monotonicUs();
    requests = load.ok + load.failed;
  } finally {
    await server.stop();
  }
  const written = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (written.length === 0) throw new Error('the server wrote no .cpuprofile (did it exit cleanly?)');
  const file = path.join(ROOT, 'scripts', `bench-${action}.cpuprofile`);
  fs.copyFileSync(path.join(dir, written[0]), file);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  return { file, action, ...summariseProfile(profile, requests, 25, window) };
}

export function renderProfile(summary: ProfileSummary): string {
  const us = (n: number) => n.toFixed(1).padStart(7);
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`.padStart(6);
  const lines = [
    `CPU profile of the server under ${summary.action}: ${summary.requests} requests, ` +
      `${summary.busyUsPerRequest.toFixed(1)} µs of main-thread time per request ` +
      (summary.windowed ? '(self time of the samples under load)' : '(self time over the whole process life, start-up included)'),
    '',
    'By module (µs/request, share):',
    ...summary.modules.slice(0, 25).map((m) => `  ${us(m.usPerRequest)} ${pct(m.share)}  ${m.module}`),
    '',
    'Top functions (self time):',
    ...summary.functions.map((f) => `  ${us(f.usPerRequest)} ${pct(f.share)}  ${f.name}  [${f.module}]`),
    '',
    `Profile: ${summary.file}`,
  ];
  return lines.join('\n');
}
