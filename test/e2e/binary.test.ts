/**
 * The single binary (dist/volc-secrets, built by `npm run build:binary`; .ci/run builds it before the
 * tests) run as a user would on a machine without Node: an environment whose PATH has no node, a
 * working directory outside the repository, no node_modules anywhere above it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCredential, type Credential } from '../../src/credentials';
import pkg from '../../package.json';
import { BINARY, ROOT, hasStackTrace, runToExit, startUntilReady, type Running } from '../support/child-process';
import { sdkClient } from '../support/server';

const ADDON_SOURCE = path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const built = fs.existsSync(BINARY);
// Not built (it needs `npm run build:binary`): skipped, and the summary line says `, N skipped`.
const describeBinary = built ? describe : describe.skip;
if (!built) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED test/e2e/binary.test.ts: ${BINARY} is missing; run \`npm run build:binary\` first`);
}

let home: string;
const credential: Credential = generateCredential();
const credentialText = `${credential.accessKeyId}:${credential.secretAccessKey}:${credential.accountId}`;

/** No node on PATH, nothing from the developer's shell; the addon cache inside the temp home. */
function bareEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: '/nonexistent', HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'), ...extra };
}

function serve(db: string, env: Record<string, string> = bareEnv()): Promise<Running> {
  return startUntilReady(BINARY, ['serve', '--port', '0', '--db', db, '--credentials', credentialText, '--log-level', 'error'], { cwd: home, env });
}

/** The cached addon files (and any leftovers) under a cache root. */
function cacheEntries(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

describeBinary(built ? 'single binary (dist/volc-secrets)' : 'single binary (dist/volc-secrets) (SKIPPED: not built; run npm run build:binary)', () => {
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-bin-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it("prints package.json's version without node on PATH", async () => {
    const r = await runToExit(BINARY, ['--version'], { cwd: home, env: bareEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.stderr).toBe('');
    // the addon is extracted only when a database is opened
    expect(fs.existsSync(path.join(home, 'cache'))).toBe(false);
  });

  it('serves the official SDK, stops on SIGTERM, and keeps the secret across a restart on the same file', async () => {
    const db = path.join(home, 'data', 'secrets.db');
    const first = await serve(db);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const sdk = sdkClient(first, { credentials: credential });
    const created = await sdk.ok('CreateSecret', { SecretName: 'binary-db-password', SecretType: 'Generic', SecretValue: 's3cr3t-from-the-binary' });
    expect(created.Secret.SecretName).toBe('binary-db-password');
    expect((await sdk.ok('GetSecretValue', { SecretName: 'binary-db-password' }, 'get')).SecretValue).toBe('s3cr3t-from-the-binary');

    const stopped = await first.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(hasStackTrace(stopped.stderr)).toBe(false);

    const [addon] = cacheEntries(path.join(home, 'cache'));
    expect(path.relative(home, addon)).toMatch(new RegExp(`^cache/volc-secrets/${pkg.version.replace(/\./g, '\\.')}/better_sqlite3-[0-9a-f]{16}\\.node$`));
    const cachedAt = fs.statSync(addon);

    const second = await serve(db);
    try {
      const again = sdkClient(second, { credentials: credential });
      const got = await again.ok('GetSecretValue', { SecretName: 'binary-db-password' }, 'json');
      expect(got.SecretValue).toBe('s3cr3t-from-the-binary');
    } finally {
      expect((await second.stop('SIGTERM')).code).toBe(0);
    }
    // the second start reused the cached addon instead of writing it again
    const reused = fs.statSync(addon);
    expect(reused.ino).toBe(cachedAt.ino);
    expect(reused.mtimeMs).toBe(cachedAt.mtimeMs);
    expect(cacheEntries(path.join(home, 'cache'))).toEqual([addon]);
  });

  it('serves the web console from its own assets (a copy outside the repository, no dist/console/ near it)', async () => {
    const copy = path.join(home, 'volc-secrets');
    fs.copyFileSync(BINARY, copy);
    fs.chmodSync(copy, 0o755);
    const server = await startUntilReady(copy, ['serve', '--port', '0', '--db', ':memory:', '--credentials', credentialText, '--log-level', 'error'], {
      cwd: home,
      env: bareEnv(),
    });
    try {
      const page = await fetch(`${server.url}/console/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('<script src="console.js" defer>');
      const script = Buffer.from(await (await fetch(`${server.url}/console/console.js`)).arrayBuffer());
      expect(script.equals(fs.readFileSync(path.join(ROOT, 'dist', 'console', 'console.js')))).toBe(true);
      expect((await fetch(`${server.url}/console/console.css`)).status).toBe(200);
    } finally {
      expect((await server.stop('SIGTERM')).code).toBe(0);
    }
  });

  it('starts three copies at once on an empty cache: all serve, one addon file, no leftovers', async () => {
    const servers = await Promise.all([1, 2, 3].map((i) => serve(path.join(home, `db-${i}.db`))));
    try {
      for (const s of servers) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      for (const s of servers) expect((await s.stop('SIGTERM')).code).toBe(0);
    }
    const files = cacheEntries(path.join(home, 'cache'));
    expect(files).toHaveLength(1);
    expect(fs.readFileSync(files[0]).equals(fs.readFileSync(ADDON_SOURCE))).toBe(true);
  });

  it('replaces a damaged cached addon instead of loading it', async () => {
    const warmup = await serve(':memory:');
    await warmup.stop('SIGTERM');
    const [addon] = cacheEntries(path.join(home, 'cache'));
    fs.writeFileSync(addon, 'truncated');
    const server = await serve(':memory:');
    await server.stop('SIGTERM');
    expect(fs.readFileSync(addon).equals(fs.readFileSync(ADDON_SOURCE))).toBe(true);
  });

  it('without XDG_CACHE_HOME caches under a per-user directory of the temp dir', async () => {
    const tmp = path.join(home, 'tmp');
    fs.mkdirSync(tmp);
    const env = { PATH: '/nonexistent', HOME: home, TMPDIR: tmp };
    const server = await serve(':memory:', env);
    await server.stop('SIGTERM');
    const files = cacheEntries(tmp);
    expect(files).toHaveLength(1);
    expect(path.relative(tmp, files[0])).toMatch(new RegExp(`^volc-secrets-${process.getuid!()}/`));
    expect(fs.statSync(path.dirname(path.dirname(files[0]))).mode & 0o077).toBe(0);
  });

  it('refuses a cache directory others can write to, with one line and exit 1', async () => {
    const shared = path.join(home, 'cache', 'volc-secrets');
    fs.mkdirSync(shared, { recursive: true });
    fs.chmodSync(shared, 0o777);
    const r = await runToExit(BINARY, ['serve', '--port', '0', '--db', ':memory:'], { cwd: home, env: bareEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^volc-secrets: addon cache directory .*volc-secrets is writable by group or others \(mode 777\); remove it or set XDG_CACHE_HOME to a private directory\n$/);
    expect(r.stdout).not.toMatch(/ready/);
    expect(cacheEntries(shared)).toEqual([]);
    // commands that open no database are not affected
    expect((await runToExit(BINARY, ['--help'], { cwd: home, env: bareEnv() })).code).toBe(0);
  });
});
