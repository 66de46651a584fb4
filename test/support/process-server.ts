/**
 * Test support: the server as a real process (`node dist/src/cli.js serve`), for what an in-process
 * server cannot show: SIGKILL, SIGTERM, exit codes, a restart on the same file.
 * `npm test` builds dist/ first; run `npm run build` before running these files alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Credential } from '../../src/credentials';

export const CLI = path.resolve(__dirname, '../../dist/src/cli.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** everything written so far */
  stdout(): string;
  stderr(): string;
  /** resolves when the process has exited */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  db: string;
  credentials: Credential;
  logLevel?: string;
  extraArgs?: string[];
  /** how long to wait for the ready line; default 15 s */
  readyTimeoutMs?: number;
  /** the script to run; default dist/src/cli.js (the package's bin is the bundled dist/volc-secrets.js) */
  program?: string;
}

export function requireBuiltCli(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
}

export function credentialText(c: Credential): string {
  return `${c.accessKeyId}:${c.secretAccessKey}:${c.accountId}${c.control ? ':control' : ''}`;
}

/** Starts `serve` on a free port and resolves once it printed its ready line. */
export function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  requireBuiltCli();
  const args = [
    options.program ?? CLI,
    'serve',
    '--port',
    '0',
    '--db',
    options.db,
    '--credentials',
    credentialText(options.credentials),
    '--log-level',
    options.logLevel ?? 'error',
    ...(options.extraArgs ?? []),
  ];
  // a clean environment: no VOLC_SECRETS_* from the developer's shell or .env changes what we test
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  const child = spawn(process.execPath, args, { cwd: os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${options.readyTimeoutMs ?? 15000} ms; stderr: ${err}`));
    }, options.readyTimeoutMs ?? 15000);
    const onData = () => {
      // the ready line goes to stderr (stdout carries only log lines)
      const m = /volc-secrets ready: (http:\/\/[^\s]+:(\d+))/.exec(err);
      if (!m) return;
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      resolve({ child, url: m[1], port: Number(m[2]), stdout: () => out, stderr: () => err, exited });
    };
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal}); stderr: ${err}`));
    });
  });
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
