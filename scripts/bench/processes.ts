/**
 * Servers under measurement run in their own processes, so that the load generator does not share
 * their event loop and their memory can be read from /proc. Output goes to a file (a pipe would
 * block a server whose reader is busy generating load); the ready line is read from that file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';

const READY_LINE = /ready: (http:\/\/[^\s]+)/;
const READY_TIMEOUT_MS = 60_000;

export interface ServerProcess {
  pid: number;
  url: string;
  /** ms from spawn() to the ready line in its output */
  readyMs: number;
  /** ms from spawn() to the first answered GET /healthz */
  healthyMs: number;
  meter: ProcessMeter;
  stop(): Promise<void>;
}

/** What a process used over a window: peak resident memory and CPU time. */
export interface Usage {
  /** bytes */
  peakRss: number;
  /** ms of CPU (user + system), 10 ms resolution */
  cpuMs: number;
}

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * Measures a process from /proc: peak RSS as VmHWM after resetting it through clear_refs (or by
 * sampling VmRSS where that is not allowed), and CPU time from /proc/PID/stat. CPU time per request
 * stays meaningful when other work shares the machine, where requests per second do not.
 */
export class ProcessMeter {
  private sampler: NodeJS.Timeout | null = null;
  private sampled = 0;
  private canReset = true;
  private cpuAtStart = 0;

  constructor(private readonly pid: number) {}

  start(): void {
    this.stopSampling();
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      this.canReset = false;
    }
    this.sampled = this.status('VmRSS');
    if (!this.canReset) {
      this.sampler = setInterval(() => (this.sampled = Math.max(this.sampled, this.status('VmRSS'))), 50);
      this.sampler.unref();
    }
    this.cpuAtStart = this.cpuMs();
  }

  /** bytes resident now */
  rss(): number {
    return this.status('VmRSS');
  }

  read(): Usage {
    this.stopSampling();
    const peakRss = this.canReset ? this.status('VmHWM') : Math.max(this.sampled, this.status('VmRSS'));
    return { peakRss, cpuMs: this.cpuMs() - this.cpuAtStart };
  }

  private stopSampling(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
  }

  private status(name: 'VmRSS' | 'VmHWM'): number {
    try {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  private cpuMs(): number {
    try {
      const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      // fields after the command name (which may contain spaces) start at state; utime and stime are the 12th and 13th
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
    } catch {
      return 0;
    }
  }
}

export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function waitForReadyLine(child: ChildProcess, logFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const fail = (why: string) => {
      clearInterval(poll);
      child.off('exit', onExit);
      let tail = '';
      try {
        tail = fs.readFileSync(logFile, 'utf8').slice(-2000);
      } catch {
        // no output at all
      }
      reject(new Error(`${why}\n${tail}`));
    };
    const onExit = (code: number | null) => fail(`server exited (code ${code}) before it was ready`);
    const poll = setInterval(() => {
      let text = '';
      try {
        text = fs.readFileSync(logFile, 'utf8');
      } catch {
        // not created yet
      }
      const m = READY_LINE.exec(text);
      if (m) {
        clearInterval(poll);
        child.off('exit', onExit);
        resolve(m[1]);
      } else if (Date.now() > deadline) {
        child.kill('SIGKILL');
        fail('server not ready in time');
      }
    }, 2);
    child.once('exit', onExit);
  });
}

export interface SpawnOptions {
  /** the program; default this node */
  command?: string;
  /** arguments after the program */
  args: string[];
  logFile: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Starts `node ...args` (or the command given), waits for its ready line and its first /healthz answer. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const out = fs.openSync(options.logFile, 'w');
  const started = performance.now();
  const child = spawn(options.command ?? process.execPath, options.args, { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await waitForReadyLine(child, options.logFile);
    const readyMs = performance.now() - started;
    const health = await httpGet(`${url}/healthz`);
    const healthyMs = performance.now() - started;
    if (health.status !== 200) throw new Error(`GET /healthz answered ${health.status}`);
    const pid = child.pid as number;
    return {
      pid,
      url,
      readyMs,
      healthyMs,
      meter: new ProcessMeter(pid),
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
      },
    };
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    throw e;
  }
}

/** The environment without our own variables, so a developer's settings do not change what is measured. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VOLC_SECRETS_')) env[k] = v;
  return env;
}
