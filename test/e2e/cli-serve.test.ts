/**
 * The development server as a real process: `node dist/src/cli.js serve --port 0 --db :memory:`
 * prints the ready line, answers /healthz, accepts the printed development key pair through the
 * official SDK and stops cleanly on SIGTERM. (npm test builds dist/ first.) Also the in-process
 * guard: the public development key pair is refused on a non-loopback address.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEVELOPMENT_CREDENTIAL, PortInUseError, StartupError, startServer } from '../../src';
import { startUntilReady } from '../support/child-process';
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

  it('is accepted on loopback, where it signs calls and owns the control API', async () => {
    const handle = await startServer({ host: '127.0.0.1', port: 0, credentials: [DEVELOPMENT_CREDENTIAL] });
    try {
      expect(handle.host).toBe('127.0.0.1');
      const sdk = sdkClient(handle, { credentials: DEVELOPMENT_CREDENTIAL });
      expect((await sdk.ok('DescribeSecrets', {})).Secrets).toEqual([]);
      expect(handle.controlCredentials.accessKeyId).toBe(DEVELOPMENT_CREDENTIAL.accessKeyId);
    } finally {
      await handle.close();
    }
  });
});

describe('mistakes that speak up', () => {
  it('startServer() refuses an option it does not know, naming it and the closest known one', async () => {
    const options = { prot: 0, db: ':memory:' } as unknown as Parameters<typeof startServer>[0];
    await expect(startServer(options)).rejects.toThrow(/^unknown startServer\(\) option prot \(did you mean port\?\); known options: host, port, /);
  });

  it('in-process, a port in use is explained without talking about --port', async () => {
    const first = await startServer({ port: 0 });
    try {
      const second = startServer({ port: first.port });
      await expect(second).rejects.toBeInstanceOf(PortInUseError);
      const message = await second.catch((e: Error) => e.message);
      expect(message).toBe(`port ${first.port} on 127.0.0.1 is already in use; choose another port (0 picks a free one)`);
      expect(message).not.toMatch(/--port/);
    } finally {
      await first.close();
    }
  });

  it('warns at start about a region Volcengine does not have, and still serves it', async () => {
    const handle = await startServer({ region: 'cn-bejing' });
    try {
      expect(handle.region).toBe('cn-bejing');
      expect(handle.warnings).toContain('region cn-bejing is not a Volcengine region (see src/regions.ts); it is accepted, but SDKs signing for another region will not see its secrets');
    } finally {
      await handle.close();
    }
    const known = await startServer({ region: 'cn-shanghai' });
    expect(known.warnings).toEqual([]);
    await known.close();
  });

  it('serve warns about unknown VOLC_SECRETS_ variables and unusable .env lines, then starts', async () => {
    fs.writeFileSync(path.join(dir, '.env'), 'VOLC_SECRETS_DB=:memory:\nVOLC_SECRETS_PORT 8970\nVOLC_SECRETS_LOG_LEVL=debug\n');
    try {
      const server = await startUntilReady(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: dir, env: { ...cleanEnv(), VOLC_SECRETS_CREDENTAILS: 'x' } });
      const { stderr } = server.output();
      expect((await server.stop()).code).toBe(0);
      expect(stderr).toContain(`warning: ${path.join(dir, '.env')}:2 is not NAME=value and was ignored: VOLC_SECRETS_PORT 8970\n`);
      expect(stderr).toContain(`warning: unknown variable VOLC_SECRETS_LOG_LEVL in ${path.join(dir, '.env')} is ignored (did you mean VOLC_SECRETS_LOG_LEVEL?)\n`);
      expect(stderr).toContain('warning: unknown variable VOLC_SECRETS_CREDENTAILS in the environment is ignored (did you mean VOLC_SECRETS_CREDENTIALS?)\n');
      expect(server.db).toBe(':memory:');
    } finally {
      fs.rmSync(path.join(dir, '.env'), { force: true });
    }
  });

  it('an unwritable database directory is reported as EACCES with its path', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-eacces-'));
    try {
      const locked = path.join(parent, 'locked');
      fs.mkdirSync(locked, { mode: 0o555 });
      fs.chmodSync(parent, 0o755);
      // root may write anywhere: run the server as "nobody" then, so that the permission is real
      const asRoot = process.getuid?.() === 0;
      // nobody must be able to reach the checkout (a clone made in `mktemp -d` is 0700)
      const restore = asRoot ? letOthersTraverseTo(CLI) : () => undefined;
      let r: SpawnSyncReturns<string>;
      try {
        r = spawnSync(process.execPath, [CLI, 'serve', '--port', '0', '--db', path.join(locked, 'sub', 'secrets.db')], {
          cwd: parent,
          env: cleanEnv(),
          encoding: 'utf8',
          ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
        });
      } finally {
        restore();
      }
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^volc-secrets: cannot create the directory for database .*: EACCES: permission denied on ${locked}`));
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});

/**
 * Gives "others" the search (x) bit on every directory above `file` that lacks it, so that a process
 * run as nobody can reach it; answers the function that puts each mode back. Nothing is made readable.
 */
function letOthersTraverseTo(file: string): () => void {
  const changed: Array<[string, number]> = [];
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(dir, mode | 0o001);
      changed.push([dir, mode]);
    }
    if (dir === path.dirname(dir)) break;
  }
  return () => {
    for (const [dir, mode] of changed) fs.chmodSync(dir, mode);
  };
}
