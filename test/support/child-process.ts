/**
 * Test support: run a command (node dist/src/cli.js, or the single binary) as a real process, either
 * to its exit or until it prints the server's ready line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist/src/cli.js');
export const BINARY = path.join(ROOT, 'dist/volc-secrets');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  /** kill the process when it takes longer; default 20 s */
  timeoutMs?: number;
}

function launch(command: string, args: string[], options: RunOptions): { child: ChildProcess; output: () => { stdout: string; stderr: string }; exited: Promise<Finished> } {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20000);
  const exited = new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs a command to its exit. */
export function runToExit(command: string, args: string[], options: RunOptions): Promise<Finished> {
  return launch(command, args, options).exited;
}

export interface Running {
  child: ChildProcess;
  url: string;
  port: number;
  /** the ready line's fields */
  db: string;
  region: string;
  /** what the ready line says about the regions holding secrets, e.g. `secrets in cn-beijing (2)` */
  regions: string;
  output(): { stdout: string; stderr: string };
  exited: Promise<Finished>;
  /** sends a signal (default SIGTERM) and waits for the exit */
  stop(signal?: NodeJS.Signals): Promise<Finished>;
}

const READY_LINE = /volc-secrets ready: (http:\/\/[^\s]+:(\d+)) \(db (.*), region ([^)]+)\) ([^\n]*)\n/;

/** Starts a server command and resolves once it printed its ready line (rejects if it exits first). */
export function startUntilReady(command: string, args: string[], options: RunOptions): Promise<Running> {
  const { child, output, exited } = launch(command, args, options);
  return new Promise((resolve, reject) => {
    // the ready line goes to stderr (stdout carries only log lines)
    const onData = () => {
      const m = READY_LINE.exec(output().stderr);
      if (!m) return;
      child.stderr!.off('data', onData);
      resolve({
        child,
        url: m[1],
        port: Number(m[2]),
        db: m[3],
        region: m[4],
        regions: m[5],
        output,
        exited,
        stop: (signal: NodeJS.Signals = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stderr!.on('data', onData);
    exited.then(
      (f) => reject(new Error(`${path.basename(command)} exited before it was ready (code ${f.code}, signal ${f.signal}); stderr: ${f.stderr}`)),
      reject,
    );
  });
}

/** True when the text has the shape of a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+[(:]\d+/.test(text) || /^\s+at /m.test(text);
}
