/**
 * One typed configuration, with every option documented once. Sources, weakest first: built-in
 * defaults, a `.env` file in the working directory (read by dotenv), the process environment,
 * command-line flags (read by util.parseArgs in src/cli/options.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CredentialFormatError, parseCredentialList, type Credential } from './credentials';
import { HuaweiTokenFormatError, parseHuaweiTokenList, type HuaweiToken } from './huawei/tokens';
import { didYouMean } from './did-you-mean';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './logger';
import { DatabaseLocationError, parseDatabaseLocation } from './store/database-url';

export interface Config {
  /** VOLC_SECRETS_HOST: address to listen on */
  host: string;
  /** VOLC_SECRETS_PORT: port to listen on; 0 picks a free one */
  port: number;
  /** VOLC_SECRETS_DB: SQLite file, created if missing, `:memory:`, or a `postgres://` / `postgresql://` URL */
  db: string;
  /** VOLC_SECRETS_DB_POOL_SIZE: PostgreSQL connections per server (default 10) */
  dbPoolSize?: number;
  /**
   * VOLC_SECRETS_CREDENTIALS: `AK:SK:AccountId` triples, a fourth field `:control` marking the pairs
   * that may call the local control API; empty means the development pair (itself a control pair)
   */
  credentials: Credential[];
  /** VOLC_SECRETS_MASTER_KEY_FILE: 32-byte base64 key; default `<db>.master-key`, created on first start */
  masterKeyFile?: string;
  /** VOLC_SECRETS_LOG_LEVEL: error, warn, info, debug or silent */
  logLevel: LogLevel;
  /** VOLC_SECRETS_LOG_FORMAT: auto (readable lines on a terminal, JSON lines otherwise), json or text */
  logFormat: LogFormat;
  /** VOLC_SECRETS_REGION: the region shown in hints and examples (requests may use any region) */
  region: string;
  /** VOLC_SECRETS_MAX_SKEW_SECONDS: accepted distance between X-Date and real time; 0 disables the check */
  maxSkewSeconds: number;
  /** VOLC_SECRETS_SWEEP_SECONDS: how often due deletions and rotations are performed */
  sweepSeconds: number;
  /** VOLC_SECRETS_AUDIT_MAX_ROWS: audit log entries kept in the database (the oldest are pruned) */
  auditMaxRows: number;
  /** VOLC_SECRETS_SEED: a JSON or YAML seed file loaded at start */
  seed?: string;
  /**
   * VOLC_SECRETS_HUAWEI_TOKENS: `token:project_id:account:region` entries for the Huawei CSMS door
   * (X-Auth-Token values, and which account and region each project_id means). Environment only:
   * tokens are secrets and flags show in process lists.
   */
  huaweiTokens: HuaweiToken[];
  /** VOLC_SECRETS_MAX_CONNECTIONS: concurrent connections accepted; more are closed at once */
  maxConnections: number;
}

export const DEFAULTS: Readonly<Omit<Config, 'credentials' | 'huaweiTokens'>> = {
  host: '127.0.0.1',
  port: 8970,
  db: './data/secrets.db',
  logLevel: 'info',
  logFormat: 'auto',
  region: 'cn-beijing',
  maxSkewSeconds: 900,
  sweepSeconds: 1,
  auditMaxRows: 10_000,
  maxConnections: 256,
};

export class ConfigError extends Error {}

/**
 * Every variable this program reads (serve, export, call, presign, the jest fixture and the CI
 * reporter). A VOLC_SECRETS_ variable outside this list is a typo until proven otherwise: it is
 * reported at start with the closest known name.
 */
export const KNOWN_VARIABLES: readonly string[] = [
  'VOLC_SECRETS_HOST',
  'VOLC_SECRETS_PORT',
  'VOLC_SECRETS_DB',
  'VOLC_SECRETS_CREDENTIALS',
  'VOLC_SECRETS_MASTER_KEY_FILE',
  'VOLC_SECRETS_LOG_LEVEL',
  'VOLC_SECRETS_LOG_FORMAT',
  'VOLC_SECRETS_REGION',
  'VOLC_SECRETS_MAX_SKEW_SECONDS',
  'VOLC_SECRETS_SWEEP_SECONDS',
  'VOLC_SECRETS_AUDIT_MAX_ROWS',
  'VOLC_SECRETS_SEED',
  'VOLC_SECRETS_HUAWEI_TOKENS',
  'VOLC_SECRETS_MAX_CONNECTIONS',
  'VOLC_SECRETS_DB_POOL_SIZE',
  // the shell client (call, presign)
  'VOLC_SECRETS_PROFILE',
  // published by the jest fixture for the tests it starts; the shell client reads them too
  'VOLC_SECRETS_URL',
  'VOLC_SECRETS_ENDPOINT',
  'VOLC_SECRETS_ACCESS_KEY_ID',
  'VOLC_SECRETS_SECRET_ACCESS_KEY',
  'VOLC_SECRETS_ACCOUNT_ID',
  'VOLC_SECRETS_CONTROL_ACCESS_KEY_ID',
  'VOLC_SECRETS_CONTROL_SECRET_ACCESS_KEY',
  // the per-worker servers of the jest fixture
  'VOLC_SECRETS_JEST_SERVERS',
  // the CI summary reporter
  'VOLC_SECRETS_SUMMARY_FILE',
];

const VARIABLE_PREFIX = 'VOLC_SECRETS_';

/** A `.env` line: `[export] NAME=...`; everything else but blanks and comments is a mistake. */
const ASSIGNMENT = /^\s*(?:export\s+)?[\w.-]+\s*=/;

/**
 * The .env lines dotenv cannot use (it skips them silently): 1-based line numbers with their text.
 * Lines inside a quoted multi-line value belong to that value.
 */
export function unusableDotEnvLines(text: string): Array<{ line: number; text: string }> {
  const problems: Array<{ line: number; text: string }> = [];
  let openQuote: string | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (openQuote) {
      if (raw.includes(openQuote)) openQuote = null;
      return;
    }
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (!ASSIGNMENT.test(line)) {
      problems.push({ line: i + 1, text: line });
      return;
    }
    const value = line.slice(line.indexOf('=') + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.indexOf(quote, 1) === -1) openQuote = quote;
  });
  return problems;
}

/** The variables of a `.env` text, read by dotenv (the ecosystem's format: quotes, comments, export, multi-line). */
export function parseDotEnvText(text: string): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('dotenv') as typeof import('dotenv')).parse(text);
}

export function readDotEnv(dir = process.cwd()): Record<string, string> {
  return readDotEnvFile(dir).values;
}

function readDotEnvFile(dir: string): { file: string; values: Record<string, string>; text: string } {
  const file = path.join(dir, '.env');
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    /* no .env: nothing to read */
  }
  return { file, text, values: text ? parseDotEnvText(text) : {} };
}

export interface Settings {
  /** `.env` under the process environment (the environment wins) */
  env: Record<string, string | undefined>;
  /** unusable .env lines and unknown VOLC_SECRETS_ variables, one sentence each */
  warnings: string[];
}

/** The variables a command reads, and what looks mistaken in them. */
export function readSettings(dir = process.cwd(), processEnv: NodeJS.ProcessEnv = process.env): Settings {
  const dotEnv = readDotEnvFile(dir);
  const warnings = unusableDotEnvLines(dotEnv.text).map(
    (p) => `${dotEnv.file}:${p.line} is not NAME=value and was ignored: ${p.text.length > 40 ? p.text.slice(0, 40) + '…' : p.text}`,
  );
  const sources: Array<[string, Record<string, string | undefined>]> = [
    [dotEnv.file, dotEnv.values],
    ['the environment', processEnv],
  ];
  for (const [where, vars] of sources) {
    for (const name of Object.keys(vars)) {
      if (!name.startsWith(VARIABLE_PREFIX) || KNOWN_VARIABLES.includes(name)) continue;
      warnings.push(`unknown variable ${name} in ${where} is ignored${didYouMean(name, KNOWN_VARIABLES)}`);
    }
  }
  return { env: { ...dotEnv.values, ...processEnv }, warnings };
}

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return Number(text);
}

export type Overrides = Partial<Record<'host' | 'port' | 'db' | 'dbPoolSize' | 'credentials' | 'masterKeyFile' | 'logLevel' | 'logFormat' | 'region' | 'seed', string>>;

/** Builds the Config from environment-style variables and flag overrides (flags win). */
export function resolveConfig(env: Record<string, string | undefined>, flags: Overrides = {}): Config {
  const pick = (flag: keyof Overrides, variable: string): string | undefined => flags[flag] ?? (env[variable] || undefined);
  // error messages name the setting the way the user gave it: the flag, or the variable
  const origin = (flag: keyof Overrides, variable: string): string =>
    flags[flag] !== undefined ? '--' + flag.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()) : variable;
  const logLevel = (pick('logLevel', 'VOLC_SECRETS_LOG_LEVEL') ?? DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`${origin('logLevel', 'VOLC_SECRETS_LOG_LEVEL')} must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  const logFormat = (pick('logFormat', 'VOLC_SECRETS_LOG_FORMAT') ?? DEFAULTS.logFormat) as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) throw new ConfigError(`${origin('logFormat', 'VOLC_SECRETS_LOG_FORMAT')} must be one of ${LOG_FORMATS.join(', ')}, not "${logFormat}"`);
  const credentialText = pick('credentials', 'VOLC_SECRETS_CREDENTIALS');
  const credentials = credentialText ? readCredentialSetting(credentialText, origin('credentials', 'VOLC_SECRETS_CREDENTIALS')) : [];
  let huaweiTokens: HuaweiToken[] = [];
  if (env.VOLC_SECRETS_HUAWEI_TOKENS) {
    try {
      huaweiTokens = parseHuaweiTokenList(env.VOLC_SECRETS_HUAWEI_TOKENS);
    } catch (e) {
      if (e instanceof HuaweiTokenFormatError) throw new ConfigError(`VOLC_SECRETS_HUAWEI_TOKENS is malformed: ${e.message}`);
      throw e;
    }
  }
  const db = pick('db', 'VOLC_SECRETS_DB') ?? DEFAULTS.db;
  try {
    parseDatabaseLocation(db);
  } catch (e) {
    if (e instanceof DatabaseLocationError) throw new ConfigError(`${origin('db', 'VOLC_SECRETS_DB')}: ${e.message}`);
    throw e;
  }
  const poolText = pick('dbPoolSize', 'VOLC_SECRETS_DB_POOL_SIZE');
  const portText = pick('port', 'VOLC_SECRETS_PORT');
  const skewText = env.VOLC_SECRETS_MAX_SKEW_SECONDS;
  const sweepText = env.VOLC_SECRETS_SWEEP_SECONDS;
  const auditText = env.VOLC_SECRETS_AUDIT_MAX_ROWS;
  const region = pick('region', 'VOLC_SECRETS_REGION') ?? DEFAULTS.region;
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(region)) throw new ConfigError(`${origin('region', 'VOLC_SECRETS_REGION')} "${region}" is not a region name`);
  return {
    host: pick('host', 'VOLC_SECRETS_HOST') ?? DEFAULTS.host,
    port: portText === undefined ? DEFAULTS.port : integer(origin('port', 'VOLC_SECRETS_PORT'), portText, 0, 65535),
    db,
    dbPoolSize: poolText === undefined ? undefined : integer(origin('dbPoolSize', 'VOLC_SECRETS_DB_POOL_SIZE'), poolText, 2, 1000),
    credentials,
    masterKeyFile: pick('masterKeyFile', 'VOLC_SECRETS_MASTER_KEY_FILE'),
    logLevel,
    logFormat,
    region,
    maxSkewSeconds: skewText ? integer('VOLC_SECRETS_MAX_SKEW_SECONDS', skewText, 0, 7 * 86400) : DEFAULTS.maxSkewSeconds,
    sweepSeconds: sweepText ? integer('VOLC_SECRETS_SWEEP_SECONDS', sweepText, 1, 3600) : DEFAULTS.sweepSeconds,
    auditMaxRows: auditText ? integer('VOLC_SECRETS_AUDIT_MAX_ROWS', auditText, 1, 10_000_000) : DEFAULTS.auditMaxRows,
    seed: pick('seed', 'VOLC_SECRETS_SEED'),
    huaweiTokens,
    maxConnections: env.VOLC_SECRETS_MAX_CONNECTIONS ? integer('VOLC_SECRETS_MAX_CONNECTIONS', env.VOLC_SECRETS_MAX_CONNECTIONS, 1, 65_536) : DEFAULTS.maxConnections,
  };
}

/**
 * A warning when secret keys were given as a command-line flag: any local user can read a process's
 * arguments (`ps`, /proc/<pid>/cmdline). The environment, a `.env` file or a credentials file sourced
 * into the environment keep them out of sight. Never repeats the key.
 */
export function commandLineSecretWarning(flags: Overrides): string | null {
  if (flags.credentials === undefined) return null;
  return '--credentials puts secret keys on the command line, where any local user can read them (ps, /proc/<pid>/cmdline); set VOLC_SECRETS_CREDENTIALS in the environment or a .env file (mode 0600) instead';
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `AK:SK:Account[:control],...` as given by `source` (a flag or variable name); a malformed list is a ConfigError naming it */
export function readCredentialSetting(text: string, source: string): Credential[] {
  try {
    return parseCredentialList(text);
  } catch (e) {
    if (e instanceof CredentialFormatError) throw new ConfigError(`${source} is malformed: ${e.message}`);
    throw e;
  }
}
