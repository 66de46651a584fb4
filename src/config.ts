/**
 * One typed configuration, with every option documented once. Sources, weakest first: built-in
 * defaults, a `.env` file in the working directory, the process environment, command-line flags.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CredentialFormatError, parseCredentialList, type Credential } from './credentials';
import { HuaweiTokenFormatError, parseHuaweiTokenList, type HuaweiToken } from './huawei/tokens';
import { LOG_LEVELS, type LogLevel } from './logger';
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
  region: 'cn-beijing',
  maxSkewSeconds: 900,
  sweepSeconds: 1,
  auditMaxRows: 10_000,
  maxConnections: 256,
};

export class ConfigError extends Error {}

/** Reads `KEY=value` lines (with optional quotes and `#` comments). */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    // a quoted value may be followed by a comment: KEY="a # b" # note → a # b
    const quoted = /^(['"])(.*?)\1\s*(?:#.*)?$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]] = value;
  }
  return out;
}

export function readDotEnv(dir = process.cwd()): Record<string, string> {
  const file = path.join(dir, '.env');
  try {
    return parseDotEnv(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return Number(text);
}

export type Overrides = Partial<Record<'host' | 'port' | 'db' | 'dbPoolSize' | 'credentials' | 'masterKeyFile' | 'logLevel' | 'region' | 'seed', string>>;

/** Builds the Config from environment-style variables and flag overrides (flags win). */
export function resolveConfig(env: Record<string, string | undefined>, flags: Overrides = {}): Config {
  const pick = (flag: keyof Overrides, variable: string): string | undefined => flags[flag] ?? (env[variable] || undefined);
  // error messages name the setting the way the user gave it: the flag, or the variable
  const origin = (flag: keyof Overrides, variable: string): string =>
    flags[flag] !== undefined ? '--' + flag.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()) : variable;
  const logLevel = (pick('logLevel', 'VOLC_SECRETS_LOG_LEVEL') ?? DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`${origin('logLevel', 'VOLC_SECRETS_LOG_LEVEL')} must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  const credentialText = pick('credentials', 'VOLC_SECRETS_CREDENTIALS');
  let credentials: Credential[] = [];
  if (credentialText) {
    try {
      credentials = parseCredentialList(credentialText);
    } catch (e) {
      if (e instanceof CredentialFormatError) throw new ConfigError(`${origin('credentials', 'VOLC_SECRETS_CREDENTIALS')} is malformed: ${e.message}`);
      throw e;
    }
  }
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
