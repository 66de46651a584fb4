/**
 * startServer(): wires the store, cipher, clock, sweeper and HTTP app, and returns a handle.
 * Used by the CLI and, directly, by test suites (in-memory, port 0, fresh credentials, quiet).
 */
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isLoopback, DEFAULTS } from './config';
import { CredentialRegistry, generateControlCredential, generateCredential, parseCredentialList, type Credential } from './credentials';
import { MasterKeyBackupSealer } from './crypto/backup-sealer';
import { EnvelopeCipher } from './crypto/envelope-cipher';
import {
  defaultMasterKeyPath,
  ephemeralMasterKey,
  loadOrCreateMasterKey,
  masterKeyCheck,
  readMasterKeyFile,
  type LoadedMasterKey,
} from './crypto/master-key';
import { SecretBackups } from './domain/backups';
import { AdjustableClock } from './domain/clock';
import { SecretsService, type SweepReport } from './domain/secrets-service';
import { createApp } from './http/app';
import { answerClientError, DEFAULT_REQUEST_TIMEOUT_MS, httpServerLimits } from './http/client-errors';
import { Authenticator } from './http/authenticate';
import { Dispatcher } from './http/dispatcher';
import { createLogger, type LogFormat, type LogLevel, type Logger } from './logger';
import { isVolcengineRegion } from './regions';
import { unknownOptionProblem } from './server-options';
import { regionMismatchHinter } from './region-hint';
import { SecretLocations } from './store/secret-locations';
import type { RegionCount } from './store/region-count';
import { MEMORY, openDatabase } from './store/database';
import { DatabaseOpenError } from './store/database-open-error';
import { KyselyUnitOfWork } from './store/secret-repository';
import type { Database } from './store/tables';
import { JsonSchemaShapeChecker } from './validation/secret-shapes';
import { SecretSeeder } from './domain/seeding';
import { addSeedHuaweiTokens, loadSeed, mergeSeedAccounts, readSeed, SeedError, type ParsedSeed, type SeedDocument } from './seed';
import { seedLabel } from './seed/errors';
import type { AuditEntry, AuditFilter } from './audit/audit-entry';
import { AuditLog } from './audit/audit-log';
import { AuditStore } from './audit/audit-store';
import { LocalControl } from './control/local-control';
import type { ResetReport, SnapshotInfo } from './control/control-reports';
import { mountControlApi } from './control/routes';
import { FaultRegistry } from './faults/fault-registry';
import { FaultRuleError, parseFaultRules, type FaultRule, type FaultRuleInput, type FaultRuleSpec } from './faults/fault-rule';
import { newRequestId } from './http/envelope';
import { createHuaweiDoor, huaweiProjectsOf } from './huawei';
import type { HuaweiToken } from './huawei/tokens';
import { captureStore, clearSecrets, restoreStore } from './store/store-snapshot';

export interface ServerOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 0 (a free port) */
  port?: number;
  /** SQLite file, or ':memory:' (the default) */
  db?: string;
  /** accepted credentials, as objects or the `AK:SK:Account,...` text; default: one fresh random pair */
  credentials?: Credential[] | string;
  /** master key file; default `<db>.master-key` for a file database, a fresh key for memory */
  masterKeyFile?: string;
  /** default 'silent' */
  logLevel?: LogLevel;
  /** where log lines go; default stdout */
  logStream?: NodeJS.WritableStream;
  /** json (default) or text lines; auto: text when logStream is a terminal */
  logFormat?: LogFormat;
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
  databaseFile: string;
  masterKeySource: string;
  /** how many secrets each region holds (every account together), busiest first */
  secretsByRegion(): Promise<RegionCount[]>;
  /** warnings found while starting (e.g. a group-readable master key file, a region Volcengine does not have) */
  warnings: string[];
  logger: Logger;
}

export class StartupError extends Error {}

/** The port is taken. The message speaks to a caller of startServer(); the CLI says --port instead. */
export class PortInUseError extends StartupError {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use; choose another port (0 picks a free one)`);
  }
}

/** The seed file's fault rules, then the in-process ones, checked before anything is opened. */
function checkInitialFaults(seed: ParsedSeed | undefined, given: FaultRuleInput[] | undefined): FaultRuleSpec[] {
  const fromSeed = seed ? parseSeedFaults(seed) : [];
  try {
    return [...fromSeed, ...parseFaultRules(given ?? [], 'startServer options')];
  } catch (e) {
    if (e instanceof FaultRuleError) throw new StartupError(e.message);
    throw e;
  }
}

function parseSeedFaults(seed: ParsedSeed): FaultRuleSpec[] {
  try {
    return parseFaultRules(seed.faults, seedLabel(seed.file));
  } catch (e) {
    if (e instanceof FaultRuleError) throw new SeedError(e.message);
    throw e;
  }
}

/**
 * The default key: fresh for memory; for a file database, the key file beside it, created on first
 * start. A database that already holds sealed values never gets a new key: that key could open nothing.
 */
function loadDefaultMasterKey(db: string, databaseHasKey: boolean): LoadedMasterKey {
  if (db === MEMORY) return ephemeralMasterKey();
  const file = defaultMasterKeyPath(db);
  if (databaseHasKey && !fs.existsSync(file)) {
    throw new StartupError(`database ${db} was sealed with a master key, but its key file ${file} is missing; put it back or give VOLC_SECRETS_MASTER_KEY_FILE`);
  }
  return loadOrCreateMasterKey(file);
}

async function storedKeyCheck(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db.selectFrom('store_meta').select('value').where('key', '=', 'master_key_check').executeTakeFirst();
  return row?.value;
}

/** Refuses to open a database with a master key other than the one it was created with. */
async function bindMasterKey(db: Kysely<Database>, stored: string | undefined, key: Buffer, file: string): Promise<void> {
  const check = masterKeyCheck(key);
  if (stored === undefined) {
    await db.insertInto('store_meta').values({ key: 'master_key_check', value: check }).execute();
  } else if (stored !== check) {
    throw new StartupError(`database ${file} was created with a different master key; give the matching VOLC_SECRETS_MASTER_KEY_FILE`);
  }
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new PortInUseError(host, port));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new StartupError(`cannot listen on ${host}: no such local address`));
      else if (e.code === 'EACCES') reject(new StartupError(`not allowed to listen on ${host}:${port}`));
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startServer(options: ServerOptions = {}): Promise<ServerHandle> {
  const unknownOption = unknownOptionProblem(options);
  if (unknownOption) throw new StartupError(unknownOption);
  const host = options.host ?? DEFAULTS.host;
  const dbFile = options.db ?? MEMORY;
  const region = options.region ?? DEFAULTS.region;
  const logger = createLogger(options.logLevel ?? 'silent', options.logStream, options.logFormat);
  // the default pair is the in-process owner's, so it may use the control API too
  const configured =
    typeof options.credentials === 'string' ? parseCredentialList(options.credentials) : options.credentials ?? [{ ...generateCredential(), control: true }];
  // The seed is read and checked before anything is opened: a bad one changes nothing. Its faults: seed.faults.
  const seed = options.seed === undefined ? undefined : readSeed(options.seed);
  const accounts = seed ? mergeSeedAccounts(configured, seed) : configured;
  const initialFaults = checkInitialFaults(seed, options.faults);
  if (accounts.length === 0) throw new StartupError('at least one credential is needed');
  const registry = new CredentialRegistry(accounts);
  // no configured control credential: the handle gets one of its own, which no account door accepts
  if (!registry.firstControl()) registry.addControlOnly(generateControlCredential(accounts[0].accountId));
  const controlCredentials = registry.firstControl() as Credential;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new StartupError('maxConnections must be a whole number >= 1');
  const huaweiProjects = huaweiProjectsOf(options.huaweiTokens);
  if (seed) addSeedHuaweiTokens(huaweiProjects, seed);
  if (registry.usesDevelopmentCredential() && !isLoopback(host)) {
    throw new StartupError(
      `refusing to listen on ${host} with the public development key pair; configure VOLC_SECRETS_CREDENTIALS or listen on 127.0.0.1`,
    );
  }

  // A given key file is checked before anything is created; the default key file beside the database
  // is created only once the database opened, so a bad --db leaves no stray key file behind.
  const givenKey = options.masterKeyFile ? readMasterKeyFile(options.masterKeyFile) : undefined;
  const opened = await openDatabase(dbFile);
  let masterKey: LoadedMasterKey;
  try {
    const stored = await storedKeyCheck(opened.db);
    masterKey = givenKey ?? loadDefaultMasterKey(dbFile, stored !== undefined);
    await bindMasterKey(opened.db, stored, masterKey.key, dbFile);
  } catch (e) {
    await opened.close();
    throw e;
  }
  const warnings = masterKey.warning ? [masterKey.warning] : [];
  if (!isVolcengineRegion(region)) {
    warnings.push(`region ${region} is not a Volcengine region (see src/regions.ts); it is accepted, but SDKs signing for another region will not see its secrets`);
  }
  const locations = new SecretLocations(opened.db);
  const hintRegionMismatch = regionMismatchHinter(locations, logger);

  const clock = new AdjustableClock();
  const cipher = new EnvelopeCipher(masterKey.key);
  const uow = new KyselyUnitOfWork(opened.db);
  const ids = { secretId: randomUUID, versionId: randomUUID };
  const secrets = new SecretsService({ uow, cipher, clock, ids, shapes: new JsonSchemaShapeChecker() });
  const backups = new SecretBackups({ uow, sealer: new MasterKeyBackupSealer(masterKey.key), cipher, secrets, ids, clock });
  if (seed) {
    try {
      const outcome = await loadSeed(seed, { seeder: new SecretSeeder({ uow, secrets }), region, accounts });
      warnings.push(...outcome.warnings);
      logger.info('seed loaded', { seed: seed.file ?? 'in-process', created: outcome.created, kept: outcome.kept.length });
    } catch (e) {
      await opened.close();
      throw e;
    }
  }

  let sweeping: Promise<SweepReport> | null = null;
  const sweep = (): Promise<SweepReport> => {
    // one sweep at a time; a caller arriving during a sweep waits for it and then runs its own
    const run = async (): Promise<SweepReport> => {
      if (sweeping) await sweeping.catch(() => undefined);
      const current = secrets.sweep();
      sweeping = current;
      try {
        return await current;
      } finally {
        if (sweeping === current) sweeping = null;
      }
    };
    return run();
  };
  const advanceClock = async (ms: number): Promise<SweepReport> => {
    clock.advance(ms);
    return sweep();
  };

  const audit = new AuditLog(new AuditStore(opened.db), {
    clock,
    maxRows: options.auditMaxRows,
    onError: (e) => logger.error('audit write failed', { error: e instanceof Error ? e.message : String(e) }),
  });
  const faults = new FaultRegistry();
  for (const rule of initialFaults) faults.addChecked(rule);
  const control = new LocalControl({
    clock,
    advanceClock,
    sweep,
    store: { capture: () => captureStore(opened.db), restore: (s) => restoreStore(opened.db, s), clear: () => clearSecrets(opened.db) },
    audit,
    faults,
  });

  const huaweiDoor = createHuaweiDoor({
    projects: huaweiProjects,
    credentials: registry,
    maxSkewMs: (options.maxSkewSeconds ?? DEFAULTS.maxSkewSeconds) * 1000,
    services: { secrets, backups },
    logger,
    // the Huawei door's requests go to the same audit log; Version tells the doors apart
    observe: (r) => audit.record({ ...r, action: r.operation, version: 'huawei-csms-v1' }),
  });
  const maxSkewMs = (options.maxSkewSeconds ?? DEFAULTS.maxSkewSeconds) * 1000;
  const authenticator = new Authenticator({ credentials: registry, maxSkewMs });
  // the control API checks signatures against every key (control-only ones too), then requires `control`
  const controlAuthenticator = new Authenticator({ credentials: { lookup: (ak) => registry.lookupForControl(ak) }, maxSkewMs });
  const dispatcher = new Dispatcher({
    authenticator,
    services: { secrets, backups },
    beforeAction: faults.beforeAction,
    onInternalError: (error, requestId) => logger.error('internal error', { requestId, error: error instanceof Error ? error.stack : String(error) }),
  });
  const app = createApp({
    dispatcher,
    mount: (express) => {
      // without a project there is nobody the door could let in: /v1 is then not served at all
      if (huaweiProjects.size > 0) huaweiDoor(express);
      mountControlApi(express, {
        control,
        authenticator: controlAuthenticator,
        isControlKey: (ak) => registry.lookupForControl(ak)?.control === true,
        observe: (o) => logger.info('control', { ...o }),
        onInternalError: (error, requestId) => logger.error('internal error', { requestId, error: error instanceof Error ? error.stack : String(error) }),
      });
    },
    observe: (r) => {
      audit.record(r);
      logger.info('request', {
        requestId: r.requestId,
        method: r.method,
        path: r.path,
        action: r.action,
        secretName: r.secretName ?? undefined,
        accountId: r.accountId,
        region: r.region,
        status: r.status,
        errorCode: r.errorCode,
        ms: Math.round(r.durationMs * 100) / 100,
      });
      hintRegionMismatch(r);
    },
  });

  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = http.createServer(httpServerLimits(requestTimeoutMs), app);
  server.keepAliveTimeout = 5000;
  // beyond the cap a new connection is closed at once, before a byte of it is read
  server.maxConnections = maxConnections;
  // requests Node's parser refuses or its timers give up on still get an envelope (not a bare status line)
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const requestId = newRequestId();
    const answered = answerClientError(err, socket, { requestTimeoutMs, requestId });
    if (!answered) return;
    logger.info('request', { method: null, action: null, status: answered.status, errorCode: answered.code });
    // refused before anything was parsed: who and what are unknown
    audit.record({
      requestId,
      method: '',
      action: null,
      version: null,
      accessKeyId: null,
      accountId: null,
      region: null,
      secretName: null,
      status: answered.status,
      errorCode: answered.code,
      durationMs: 0,
    });
  });
  try {
    await listen(server, host, options.port ?? 0);
  } catch (e) {
    await opened.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;

  const timer = setInterval(() => {
    if (sweeping) return;
    sweep().catch((e) => logger.error('sweep failed', { error: e instanceof Error ? e.message : String(e) }));
  }, (options.sweepSeconds ?? DEFAULTS.sweepSeconds) * 1000);
  timer.unref();

  let closed: Promise<void> | null = null;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    region,
    credentials: { ...accounts[0] },
    accounts: accounts.map((a) => ({ ...a })),
    controlCredentials: { ...controlCredentials },
    clock: {
      now: () => clock.now(),
      advance: advanceClock,
    },
    sweep,
    reset: () => control.reset(),
    faults: {
      add: (rule) => faults.add(rule),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    audit: {
      query: (filter) => audit.query(filter),
      count: () => audit.count(),
      flush: () => audit.flush(),
      clear: () => audit.clear(),
    },
    snapshot: (name) => control.snapshot(name),
    restore: (name) => control.restore(name),
    snapshots: () => control.snapshots(),
    deleteSnapshot: (name) => control.deleteSnapshot(name),
    close: () => {
      closed ??= (async () => {
        clearInterval(timer);
        await new Promise<void>((resolve) => {
          // Keep-alive connections turn idle as their in-flight response ends: close them then, rather than
          // waiting out keepAliveTimeout; a connection still busy after the request timeout is cut.
          const idle = setInterval(() => server.closeIdleConnections(), 25);
          const cut = setTimeout(() => server.closeAllConnections(), requestTimeoutMs);
          server.close(() => {
            clearInterval(idle);
            clearTimeout(cut);
            resolve();
          });
          server.closeIdleConnections();
        });
        if (sweeping) await (sweeping as Promise<SweepReport>).catch(() => undefined);
        await audit.close();
        await opened.close();
      })();
      return closed;
    },
    secretsByRegion: () => locations.countsByRegion(),
    databaseFile: dbFile,
    masterKeySource: masterKey.source,
    warnings,
    logger,
  };
}

export { DatabaseOpenError };
