/** What startServer() accepts and what it returns. */
import type { RegionCount } from '../store/region-count';
import type { AuditEntry, AuditFilter } from '../audit/audit-entry';
import type { ResetReport, SnapshotInfo } from '../control/control-reports';
import type { Credential } from '../credentials';
import type { SweepReport } from '../domain/secrets-service';
import type { FaultRule, FaultRuleInput } from '../faults/fault-rule';
import type { HuaweiToken } from '../huawei/tokens';
import type { LogFormat, LogLevel, Logger } from '../logger';
import type { SeedDocument } from '../seed';

export interface ServerOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 0 (a free port) */
  port?: number;
  /** SQLite file, ':memory:' (the default), or a `postgres://` / `postgresql://` URL */
  db?: string;
  /** PostgreSQL only: connections in the pool; default 10 */
  dbPoolSize?: number;
  /** accepted credentials, as objects or the `AK:SK:Account,...` text; default: one fresh random pair */
  credentials?: Credential[] | string;
  /** master key file; default `<db>.master-key` for a file database, a fresh key for memory; required for PostgreSQL */
  masterKeyFile?: string;
  /** default 'silent' */
  logLevel?: LogLevel;
  /** json (default) or text lines; auto: text when logStream is a terminal */
  logFormat?: LogFormat;
  /** where log lines go; default stdout */
  logStream?: NodeJS.WritableStream;
  /** the region reported by the handle and used in examples; requests may use any region. Default cn-beijing */
  region?: string;
  /** accepted distance between X-Date and the real clock, in seconds; 0 disables; default 900 */
  maxSkewSeconds?: number;
  /** how often the sweeper runs, in seconds; default 1 */
  sweepSeconds?: number;
  /** a seed file (JSON or YAML) or an already-parsed seed document, loaded before the server listens */
  seed?: string | SeedDocument;
  /** time allowed to receive a whole request (headers and body), in ms; default 30000; answered with RequestTimeout 408 */
  requestTimeoutMs?: number;
  /** audit log entries kept (the oldest are pruned); default 10000 */
  auditMaxRows?: number;
  /** fault rules active from the start (added after the seed file's) */
  faults?: FaultRuleInput[];
  /** Huawei CSMS door tokens (objects or `token:project_id:account:region,...`); each project_id means one account and region. Default none (and then /v1 is not served) */
  huaweiTokens?: HuaweiToken[] | string;
  /** concurrent connections accepted; more are closed at once (Node's server.maxConnections). Default 256 */
  maxConnections?: number;
}

/** Default cap on concurrent connections: plenty for a test suite, small enough that idle sockets cannot exhaust memory. */
export const DEFAULT_MAX_CONNECTIONS = 256;

export interface ServerClock {
  /** the secrets' time, epoch milliseconds */
  now(): number;
  /** moves the secrets' time forward and performs what became due (purges, rotations) */
  advance(ms: number): Promise<SweepReport>;
}

export interface ServerHandle {
  url: string;
  host: string;
  port: number;
  region: string;
  /** the first configured credential (the one to give an SDK) */
  credentials: Credential;
  /** every accepted credential */
  accounts: Credential[];
  /**
   * The credential that owns the local control API (/_local): the first configured one marked
   * `control`, or else a fresh random one that only the control API accepts. Give it to
   * LocalControlClient; the handle's own methods need none.
   */
  controlCredentials: Credential;
  clock: ServerClock;
  /** performs what is due now (the sweeper does this every few seconds by itself) */
  sweep(): Promise<SweepReport>;
  /** removes every secret, audit entry and fault rule; the process, port, credentials, clock and snapshots stay */
  reset(): Promise<ResetReport>;
  /** fault injection: rules that fail or delay matching calls */
  faults: {
    add(rule: FaultRuleInput): FaultRule;
    remove(id: string): boolean;
    /** removes every rule; returns how many there were */
    clear(): number;
    list(): FaultRule[];
  };
  /** the audit log of every request on the Volcengine API (flushed before each read) */
  audit: {
    query(filter?: AuditFilter): Promise<AuditEntry[]>;
    count(): Promise<number>;
    flush(): Promise<void>;
    clear(): Promise<void>;
  };
  /** copies every secret and version under `name` (in memory; a fresh name when omitted; same name replaces) */
  snapshot(name?: string): Promise<SnapshotInfo>;
  /** puts back the secrets and versions of snapshot `name`, replacing the current ones */
  restore(name: string): Promise<SnapshotInfo>;
  snapshots(): SnapshotInfo[];
  deleteSnapshot(name: string): boolean;
  /** finishes in-flight requests, stops the sweeper, closes the database */
  close(): Promise<void>;
  /** the SQLite file, `:memory:`, or the PostgreSQL URL without its password */
  databaseFile: string;
  masterKeySource: string;
  /** warnings found while starting (e.g. a group-readable master key file) */
  /** how many secrets each region holds (every account together), busiest first */
  secretsByRegion(): Promise<RegionCount[]>;
  warnings: string[];
  logger: Logger;
}

