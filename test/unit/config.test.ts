/**
 * Configuration from flags, the environment and a .env file (flags > environment > .env > defaults),
 * and the refusals a user must understand. Pure functions: no server, no process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, DEFAULTS, parseDotEnvText, readDotEnv, readSettings, resolveConfig, unusableDotEnvLines } from '../../src/config';

const CRED = 'AKLTone:c2VjcmV0LW9uZQ==:2100000001';
const SECRET_IN_BAD_TRIPLE = 'bm90LWEtdmFsaWQtdHJpcGxl';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = resolveConfig({});
    expect(config).toMatchObject({ ...DEFAULTS, credentials: [] });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8970, db: './data/secrets.db', logLevel: 'info', region: 'cn-beijing', maxSkewSeconds: 900 });
  });

  it('reads every variable of the environment', () => {
    const config = resolveConfig({
      VOLC_SECRETS_HOST: '::1',
      VOLC_SECRETS_PORT: '0',
      VOLC_SECRETS_DB: ':memory:',
      VOLC_SECRETS_CREDENTIALS: CRED,
      VOLC_SECRETS_MASTER_KEY_FILE: '/keys/master',
      VOLC_SECRETS_LOG_LEVEL: 'debug',
      VOLC_SECRETS_REGION: 'cn-shanghai',
      VOLC_SECRETS_MAX_SKEW_SECONDS: '0',
      VOLC_SECRETS_SWEEP_SECONDS: '5',
    });
    expect(config).toMatchObject({
      host: '::1',
      port: 0,
      db: ':memory:',
      credentials: [{ accessKeyId: 'AKLTone', secretAccessKey: 'c2VjcmV0LW9uZQ==', accountId: '2100000001' }],
      masterKeyFile: '/keys/master',
      logLevel: 'debug',
      region: 'cn-shanghai',
      maxSkewSeconds: 0,
      sweepSeconds: 5,
    });
  });

  it('lets flags override the environment', () => {
    const config = resolveConfig(
      { VOLC_SECRETS_PORT: '9000', VOLC_SECRETS_DB: 'env.db', VOLC_SECRETS_REGION: 'cn-env' },
      { port: '0', region: 'cn-flag' },
    );
    expect(config).toMatchObject({ port: 0, region: 'cn-flag', db: 'env.db' });
  });

  it('lets the environment override .env, and keeps what only .env sets (as the CLI layers them)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-config-'));
    try {
      fs.writeFileSync(
        path.join(dir, '.env'),
        ['# comment', 'VOLC_SECRETS_PORT=7000', 'export VOLC_SECRETS_REGION="cn-dotenv"', "VOLC_SECRETS_DB='from dotenv.db' # trailing", ''].join('\n'),
      );
      const dotEnv = readDotEnv(dir);
      expect(dotEnv).toEqual({ VOLC_SECRETS_PORT: '7000', VOLC_SECRETS_REGION: 'cn-dotenv', VOLC_SECRETS_DB: 'from dotenv.db' });
      const config = resolveConfig({ ...dotEnv, VOLC_SECRETS_REGION: 'cn-env' }, { port: '0' });
      expect(config).toMatchObject({ port: 0, region: 'cn-env', db: 'from dotenv.db' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads no .env when the directory has none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-config-'));
    try {
      expect(readDotEnv(dir)).toEqual({});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts several credential triples, and a secret key containing ":"', () => {
    const config = resolveConfig({ VOLC_SECRETS_CREDENTIALS: `${CRED}, AKLTtwo:a:b:c=:2100000002` });
    expect(config.credentials).toEqual([
      { accessKeyId: 'AKLTone', secretAccessKey: 'c2VjcmV0LW9uZQ==', accountId: '2100000001' },
      { accessKeyId: 'AKLTtwo', secretAccessKey: 'a:b:c=', accountId: '2100000002' },
    ]);
  });

  it('marks a credential as control with a fourth field `control`', () => {
    const config = resolveConfig({ VOLC_SECRETS_CREDENTIALS: `${CRED}:control, AKLTtwo:a:b:c=:2100000002` });
    expect(config.credentials).toEqual([
      { accessKeyId: 'AKLTone', secretAccessKey: 'c2VjcmV0LW9uZQ==', accountId: '2100000001', control: true },
      { accessKeyId: 'AKLTtwo', secretAccessKey: 'a:b:c=', accountId: '2100000002' },
    ]);
  });

  it('reads the connection cap, 256 by default, refusing what is not 1 to 65536', () => {
    expect(resolveConfig({}).maxConnections).toBe(256);
    expect(resolveConfig({ VOLC_SECRETS_MAX_CONNECTIONS: '32' }).maxConnections).toBe(32);
    for (const bad of ['0', '-1', 'many', '70000']) {
      expect(() => resolveConfig({ VOLC_SECRETS_MAX_CONNECTIONS: bad })).toThrow(/VOLC_SECRETS_MAX_CONNECTIONS must be a whole number from 1 to 65536/);
    }
  });

  it.each([
    ['a pair without account', `AKLTx:${SECRET_IN_BAD_TRIPLE}`, /entry 1 is not AccessKeyId:SecretAccessKey:AccountId/],
    ['an account that is not digits', `AKLTx:${SECRET_IN_BAD_TRIPLE}:acct`, /entry 1 \(AKLTx\): AccountId must be 1-20 digits/],
    ['a bad second entry', `${CRED},AKLT y:${SECRET_IN_BAD_TRIPLE}:2100000003`, /entry 2/],
    ['only commas', ',,', /no credentials/],
  ])('refuses malformed VOLC_SECRETS_CREDENTIALS: %s', (_label, text, detail) => {
    const message = configError(() => resolveConfig({ VOLC_SECRETS_CREDENTIALS: text }));
    expect(message).toMatch(/^VOLC_SECRETS_CREDENTIALS is malformed: /);
    expect(message).toMatch(detail);
    expect(message).not.toContain(SECRET_IN_BAD_TRIPLE);
  });

  it.each([
    ['VOLC_SECRETS_PORT', '65536'],
    ['VOLC_SECRETS_PORT', 'http'],
    ['VOLC_SECRETS_LOG_LEVEL', 'verbose'],
    ['VOLC_SECRETS_REGION', 'CN Beijing'],
    ['VOLC_SECRETS_MAX_SKEW_SECONDS', '-1'],
    ['VOLC_SECRETS_SWEEP_SECONDS', '0'],
  ])('refuses %s=%s with a message that names the value', (variable, value) => {
    expect(configError(() => resolveConfig({ [variable]: value }))).toContain(value);
  });
});

describe('.env files (read by dotenv)', () => {
  it('reads KEY=value lines with quotes, comments and export', () => {
    expect(parseDotEnvText('A=1\n# B=2\nexport C="three # not a comment"\nD=four # a comment\n  E = five \nnot a line\n')).toEqual({
      A: '1',
      C: 'three # not a comment',
      D: 'four',
      E: 'five',
    });
  });

  it('names the lines it cannot use, but not the lines of a quoted multi-line value', () => {
    const text = 'A=1\nVOLC_SECRETS_PORT 8970\nB="first\nsecond line\nthird"\n# comment\n\njust words\nC=3\n';
    expect(unusableDotEnvLines(text)).toEqual([
      { line: 2, text: 'VOLC_SECRETS_PORT 8970' },
      { line: 8, text: 'just words' },
    ]);
    expect(parseDotEnvText(text)).toMatchObject({ A: '1', B: 'first\nsecond line\nthird', C: '3' });
  });
});

describe('readSettings', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volc-settings-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('layers the environment over .env and warns about unknown VOLC_SECRETS_ variables with a did-you-mean', () => {
    fs.writeFileSync(path.join(dir, '.env'), 'VOLC_SECRETS_PORT=0\nVOLC_SECRETS_REGOIN=cn-shanghai\nthis is not an assignment\n');
    const { env, warnings } = readSettings(dir, { VOLC_SECRETS_PORT: '9000', VOLC_SECRETS_LOGLEVEL: 'debug', VOLC_SECRETS_TOTALLY_NEW: 'x', OTHER: 'y' });
    expect(env).toMatchObject({ VOLC_SECRETS_PORT: '9000', VOLC_SECRETS_REGOIN: 'cn-shanghai', OTHER: 'y' });
    expect(warnings).toEqual([
      `${path.join(dir, '.env')}:3 is not NAME=value and was ignored: this is not an assignment`,
      `unknown variable VOLC_SECRETS_REGOIN in ${path.join(dir, '.env')} is ignored (did you mean VOLC_SECRETS_REGION?)`,
      'unknown variable VOLC_SECRETS_LOGLEVEL in the environment is ignored (did you mean VOLC_SECRETS_LOG_LEVEL?)',
      'unknown variable VOLC_SECRETS_TOTALLY_NEW in the environment is ignored',
    ]);
  });

  it('has nothing to say about a clean setup', () => {
    fs.writeFileSync(path.join(dir, '.env'), '# only known names\nVOLC_SECRETS_DB=:memory:\n');
    expect(readSettings(dir, { VOLC_SECRETS_REGION: 'cn-beijing' }).warnings).toEqual([]);
  });
});
