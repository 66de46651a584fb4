/**
 * The development server as a real process: `node dist/src/cli.js serve --port 0 --db :memory:`
 * prints the ready line, answers /healthz, accepts the printed development key pair through the
 * official SDK and stops cleanly on SIGTERM. (npm test builds dist/ first.) Also the in-process
 * guard: the public development key pair is refused on a non-loopback address.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEVELOPMENT_CREDENTIAL, StartupError, startServer } from '../../src';
import { sdkClient } from '../support/server';

const CLI = path.resolve(__dirname, '../../dist/src/cli.js');
const READY = /volc-secrets ready: http:\/\/127\.0\.0\.1:(\d+)/;

let dir: string;
const cleanEnv = () => ({ PATH: process.env.PATH ?? '', HOME: dir });

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-serve-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Resolves with the whole stderr so far once `pattern` appears in it (the banner and the ready line go there); rejects if the process exits first. */
function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = '';
    const onData = (chunk: Buffer) => {
      err += chunk.toString('utf8');
      if (pattern.test(err)) {
        child.stderr.off('data', onData);
        child.off('exit', onExit);
        resolve(err);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`exited with ${code} before ${pattern}: ${err}`));
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('volc-secrets serve', () => {
  it('prints the ready line and the dev key pair, serves the SDK and stops on SIGTERM with 0', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', ':memory:'], { cwd: dir, env: cleanEnv() });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    try {
      const banner = await waitForOutput(child, READY);
      const port = Number(READY.exec(banner)![1]);
      const accessKeyId = /AccessKeyId:\s+(\S+)/.exec(banner)?.[1];
      const secretAccessKey = /SecretAccessKey:\s+(\S+)/.exec(banner)?.[1];
      expect({ accessKeyId, secretAccessKey }).toEqual({
        accessKeyId: DEVELOPMENT_CREDENTIAL.accessKeyId,
        secretAccessKey: DEVELOPMENT_CREDENTIAL.secretAccessKey,
      });

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });

      const sdk = sdkClient({ port }, { credentials: { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey!, accountId: '' } });
      const created = await sdk.ok('CreateSecret', { SecretName: 'from-cli', SecretType: 'Generic', SecretValue: 'cli value' });
      expect(created.Secret.UID).toBe(DEVELOPMENT_CREDENTIAL.accountId);
      expect((await sdk.ok('GetSecretValue', { SecretName: 'from-cli' }, 'get')).SecretValue).toBe('cli value');

      child.kill('SIGTERM');
      expect(await exitCode(child)).toBe(0);
      // stdout is a pipe here: JSON lines only, level, time and message first, with method and path
      const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const requests = lines.filter((l) => l.message === 'request');
      expect(requests.map((l) => [l.action, l.status, l.method, l.path, l.secretName])).toEqual([
        ['CreateSecret', 200, 'POST', '/', 'from-cli'],
        ['GetSecretValue', 200, 'GET', '/', 'from-cli'],
      ]);
      for (const l of lines) expect(Object.keys(l).slice(0, 3)).toEqual(['level', 'time', 'message']);
      expect(stdout).not.toMatch(/ready|AccessKeyId/);
      // :memory: wrote nothing to the working directory
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it.each([['--help'], ['--version']])('%s exits 0 with output', (flag) => {
    const r = spawnSync(process.execPath, [CLI, flag], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
  });
});

describe('the development key pair', () => {
  it('is refused on a non-loopback host', async () => {
    const start = startServer({ host: '0.0.0.0', port: 0, credentials: [DEVELOPMENT_CREDENTIAL] });
    await expect(start).rejects.toBeInstanceOf(StartupError);
    await expect(start).rejects.toThrow(/development key pair/);
  });

  it('is accepted on loopback', async () => {
    const handle = await startServer({ host: '127.0.0.1', port: 0, credentials: [DEVELOPMENT_CREDENTIAL] });
    await handle.close();
  });
});
