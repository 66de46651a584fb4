/**
 * The command line as a user meets it: `node dist/src/cli.js ...` as a real process (npm test builds
 * dist/ first). Help and version, one clear line and a non-zero exit for every bad start, and the
 * order flags > environment > .env.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateCredential } from '../../src/credentials';
import pkg from '../../package.json';
import { CLI, hasStackTrace, runToExit, startUntilReady, type Finished } from '../support/child-process';

let dir: string;
const env = (extra: Record<string, string> = {}): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: dir, ...extra });
const cli = (args: string[], extraEnv: Record<string, string> = {}): Promise<Finished> => runToExit(process.execPath, [CLI, ...args], { cwd: dir, env: env(extraEnv) });

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it first)`);
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('help and version', () => {
  it('--help describes the commands and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/volc-secrets serve \[options\]/);
    expect(r.stdout).toMatch(/--version/);
    expect(r.stderr).toBe('');
  });

  it('serve --help lists every option and does not start a server', async () => {
    const r = await cli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const option of ['--host', '--port', '--db', '--credentials', '--master-key-file', '--log-level', '--region']) {
      expect(r.stdout).toContain(option);
    }
    expect(r.stdout + r.stderr).not.toMatch(/volc-secrets ready:/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("--version prints package.json's version", async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});

interface BadStart {
  name: string;
  /** prepares files in the temp dir; returns the argv after `serve` */
  args: (dir: string) => string[] | Promise<string[]>;
  env?: Record<string, string>;
  code: number;
  message: RegExp;
  /** text that must not appear in the message (e.g. a secret key) */
  never?: string;
}

const KEY_20_BYTES = Buffer.alloc(20, 7).toString('base64');
const SECRET_KEY = 'c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=';

const BAD_STARTS: BadStart[] = [
  { name: 'an unknown command', args: () => ['__command__', 'frobnicate'], code: 2, message: /^volc-secrets: unknown command frobnicate \(see volc-secrets --help\)$/ },
  { name: 'an unknown option', args: () => ['--colour', 'blue'], code: 2, message: /^volc-secrets: unknown option --colour \(see volc-secrets serve --help\)$/ },
  { name: 'a misspelt option', args: () => ['--prot', '0'], code: 2, message: /^volc-secrets: unknown option --prot \(did you mean --port\?\) \(see volc-secrets serve --help\)$/ },
  { name: 'a misspelt command', args: () => ['__command__', 'srve'], code: 2, message: /^volc-secrets: unknown command srve \(did you mean serve\?\) \(see volc-secrets --help\)$/ },
  { name: 'an unknown log format', args: () => ['--log-format', 'xml'], code: 1, message: /^volc-secrets: --log-format must be one of auto, json, text, not "xml"$/ },
  { name: 'an option without its value', args: () => ['--port'], code: 2, message: /^volc-secrets: option --port needs a value/ },
  { name: 'a port that is not a number', args: () => ['--port', 'eighty'], code: 1, message: /^volc-secrets: --port must be a whole number from 0 to 65535, not "eighty"$/ },
  {
    name: 'a port in use',
    args: async () => [`--port`, String(await occupiedPort()), '--db', ':memory:'],
    code: 1,
    message: /^volc-secrets: port \d+ on 127\.0\.0\.1 is already in use; choose another with --port/,
  },
  { name: 'a database path that is a directory', args: (d) => (fs.mkdirSync(path.join(d, 'db-dir')), ['--db', 'db-dir']), code: 1, message: /^volc-secrets: cannot open database db-dir: db-dir is a directory$/ },
  {
    name: 'a database path under a regular file',
    args: (d) => (fs.writeFileSync(path.join(d, 'plain'), 'x'), ['--db', 'plain/secrets.db']),
    code: 1,
    message: /^volc-secrets: cannot create the directory for database plain\/secrets\.db: .*plain is not a directory$/,
  },
  {
    name: 'a database file of garbage bytes',
    args: (d) => (fs.writeFileSync(path.join(d, 'garbage.db'), Buffer.alloc(8192, 0xa5)), ['--db', 'garbage.db']),
    code: 1,
    message: /^volc-secrets: cannot open database garbage\.db: file is not a database$/,
  },
  { name: 'a missing master key file', args: () => ['--db', ':memory:', '--master-key-file', 'absent.key'], code: 1, message: /^volc-secrets: cannot read master key file absent\.key: no such file$/ },
  {
    name: 'a master key file that is not base64',
    args: (d) => (fs.writeFileSync(path.join(d, 'k'), 'this is not base64!\n'), ['--db', ':memory:', '--master-key-file', 'k']),
    code: 1,
    message: /^volc-secrets: master key file k is not base64 text$/,
  },
  {
    name: 'a master key of the wrong length',
    args: (d) => (fs.writeFileSync(path.join(d, 'k'), KEY_20_BYTES), ['--db', ':memory:', '--master-key-file', 'k']),
    code: 1,
    message: /^volc-secrets: master key file k holds 20 bytes; it must hold 32/,
  },
  {
    name: 'malformed credentials given as a flag',
    args: () => ['--credentials', `AKLTexample:${SECRET_KEY}:not-an-account`],
    code: 1,
    message: /^volc-secrets: --credentials is malformed: entry 1 \(AKLTexample\): AccountId must be 1-20 digits$/,
    never: SECRET_KEY,
  },
  {
    name: 'malformed credentials in the environment',
    args: () => ['--db', ':memory:'],
    env: { VOLC_SECRETS_CREDENTIALS: `just-one-part-${SECRET_KEY}` },
    code: 1,
    message: /^volc-secrets: VOLC_SECRETS_CREDENTIALS is malformed: entry 1 is not AccessKeyId:SecretAccessKey:AccountId$/,
    never: SECRET_KEY,
  },
  { name: 'an unknown log level', args: () => ['--log-level', 'chatty'], code: 1, message: /^volc-secrets: --log-level must be one of error, warn, info, debug, silent, not "chatty"$/ },
];

/** A port held by a listener in this test process, so that the server cannot take it. */
let holder: net.Server | null = null;
async function occupiedPort(): Promise<number> {
  holder = net.createServer();
  await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
  return (holder.address() as net.AddressInfo).port;
}
afterEach(async () => {
  if (holder) await new Promise((resolve) => holder!.close(resolve));
  holder = null;
});

describe('a bad start prints one line on stderr, exits non-zero and changes nothing', () => {
  it.each(BAD_STARTS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const given = await c.args(dir);
    const argv = given[0] === '__command__' ? given.slice(1) : ['serve', '--port', '0', ...given];
    const before = snapshot(dir);
    const r = await cli(argv, c.env);
    expect(r.code).toBe(c.code);
    expect(r.stdout).not.toMatch(/ready/);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(c.message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    if (c.never) expect(r.stderr + r.stdout).not.toContain(c.never);
    // nothing created or altered: no database, no master key file beside it
    expect(snapshot(dir)).toEqual(before);
  });
});

/** name → content of every file under dir */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(root, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(root);
  return out;
}

describe('settings: flags override the environment, which overrides .env', () => {
  const credential = generateCredential();
  const dotEnv = [
    '# written by the test',
    'VOLC_SECRETS_PORT=0',
    'VOLC_SECRETS_DB=:memory:',
    'VOLC_SECRETS_LOG_LEVEL=error',
    'VOLC_SECRETS_REGION=cn-dotenv',
    `VOLC_SECRETS_CREDENTIALS="${credential.accessKeyId}:${credential.secretAccessKey}:${credential.accountId}"`,
  ].join('\n');

  async function startedRegion(args: string[], extraEnv: Record<string, string> = {}): Promise<{ region: string; db: string }> {
    fs.writeFileSync(path.join(dir, '.env'), dotEnv);
    const server = await startUntilReady(process.execPath, [CLI, 'serve', ...args], { cwd: dir, env: env(extraEnv) });
    const stopped = await server.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    // the .env credentials were used: no development key pair banner
    expect(stopped.stdout).not.toMatch(/development key pair/);
    return { region: server.region, db: server.db };
  }

  it('uses the .env file in the working directory', async () => {
    expect(await startedRegion([])).toEqual({ region: 'cn-dotenv', db: ':memory:' });
  });

  it('lets the environment override .env, keeping the .env values it does not set', async () => {
    expect(await startedRegion([], { VOLC_SECRETS_REGION: 'cn-environment' })).toEqual({ region: 'cn-environment', db: ':memory:' });
  });

  it('lets a flag override both', async () => {
    expect(await startedRegion(['--region', 'cn-flag'], { VOLC_SECRETS_REGION: 'cn-environment' })).toEqual({ region: 'cn-flag', db: ':memory:' });
  });

  it('reads --name=value as well as --name value', async () => {
    expect(await startedRegion(['--region=cn-equals'])).toEqual({ region: 'cn-equals', db: ':memory:' });
  });
});

describe('secret keys on the command line', () => {
  it('--credentials starts the server but warns (without repeating the key) that ps shows it; the environment does not warn', async () => {
    const credential = generateCredential();
    const triple = `${credential.accessKeyId}:${credential.secretAccessKey}:${credential.accountId}`;
    const flagged = await startUntilReady(process.execPath, [CLI, 'serve', '--port', '0', '--db', ':memory:', '--credentials', triple], { cwd: dir, env: env() });
    const fromFlag = await flagged.stop('SIGTERM');
    expect(fromFlag.stderr).toMatch(/warning: --credentials puts secret keys on the command line.*VOLC_SECRETS_CREDENTIALS/);
    expect(fromFlag.stderr).not.toContain(credential.secretAccessKey);
    const fromEnv = await startUntilReady(process.execPath, [CLI, 'serve', '--port', '0', '--db', ':memory:'], { cwd: dir, env: env({ VOLC_SECRETS_CREDENTIALS: triple }) });
    expect((await fromEnv.stop('SIGTERM')).stderr).not.toMatch(/command line/);
  });
});
