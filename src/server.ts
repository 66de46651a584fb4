/**
 * startServer(): wires the store, cipher, clock, sweeper and HTTP app, and returns a handle.
 * Used by the CLI and, directly, by test suites (in-memory, port 0, fresh credentials, quiet).
 * The pieces live in src/server/: the shared clock, the sweeper's schedule, the master-key binding,
 * listening and closing, the answers to requests the HTTP parser refuses.
 */
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { isLoopback, DEFAULTS } from './config';
import { CredentialRegistry, generateControlCredential, generateCredential, parseCredentialList, type Credential } from './credentials';
import { MasterKeyBackupSealer } from './crypto/backup-sealer';
import { EnvelopeCipher } from './crypto/envelope-cipher';
import { readMasterKeyFile, type LoadedMasterKey } from './crypto/master-key';
import { SecretBackups } from './domain/backups';
import { AdjustableClock } from './domain/clock';
import { SecretsService, type SweepReport } from './domain/secrets-service';
import { createListener } from './http/app';
import { mountConsole } from './http/console';
import { DEFAULT_REQUEST_TIMEOUT_MS, httpServerLimits } from './http/client-errors';
import { Authenticator } from './http/authenticate';
import { Dispatcher } from './http/dispatcher';
import { createLogger } from './logger';
import { isVolcengineRegion } from './regions';
import { unknownOptionProblem } from './server-options';
import { regionMismatchHinter } from './region-hint';
import { DatabaseOpenError } from './store/database-open-error';
import { DatabaseLocationError, MEMORY, parseDatabaseLocation } from './store/database-url';
import { openStore, type Store } from './store/store';
import { JsonSchemaShapeChecker } from './validation/secret-shapes';
import { SecretSeeder } from './domain/seeding';
import { addSeedHuaweiTokens, loadSeed, mergeSeedAccounts, readSeed, SeedError, type ParsedSeed } from './seed';
import { seedLabel } from './seed/errors';
import { AuditLog } from './audit/audit-log';
import { LocalControl } from './control/local-control';
import { mountControlApi } from './control/routes';
import { FaultRegistry } from './faults/fault-registry';
import { FaultRuleError, parseFaultRules, type FaultRuleInput, type FaultRuleSpec } from './faults/fault-rule';
import { createHuaweiDoor, huaweiProjectsOf } from './huawei';
import { answerClientErrors } from './server/client-error-audit';
import { serverHandle } from './server/handle';
import { listen, ListenError, PortInUseError } from './server/listen';
export { PortInUseError } from './server/listen';
import { bindMasterKey, MasterKeyBindingError } from './server/master-key-binding';
import { ClockSync } from './server/shared-clock';
import { SweepLoop } from './server/sweep-loop';

import { DEFAULT_MAX_CONNECTIONS, type ServerHandle, type ServerOptions } from './server/types';

export { DEFAULT_MAX_CONNECTIONS } from './server/types';
export type { ServerClock, ServerHandle, ServerOptions } from './server/types';

export class StartupError extends Error {}

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

/** Opens the store and binds the master key to it; closes the store again if the key does not fit. */
async function openBoundStore(options: ServerOptions, onIdleError: (e: Error) => void): Promise<{ store: Store; masterKey: LoadedMasterKey }> {
  let location;
  try {
    location = parseDatabaseLocation(options.db ?? MEMORY);
  } catch (e) {
    if (e instanceof DatabaseLocationError) throw new DatabaseOpenError(e.message);
    throw e;
  }
  if (options.dbPoolSize !== undefined && (!Number.isInteger(options.dbPoolSize) || options.dbPoolSize < 2 || options.dbPoolSize > 1000)) {
    throw new StartupError(`dbPoolSize must be a whole number from 2 to 1000, not ${options.dbPoolSize}`);
  }
  // A given key file is checked before anything is created; the default key file beside the database
  // is created only once the database opened, so a bad --db leaves no stray key file behind.
  const givenKey = options.masterKeyFile ? readMasterKeyFile(options.masterKeyFile) : undefined;
  const store = await openStore(location, { poolSize: options.dbPoolSize, onIdleError });
  try {
    return { store, masterKey: await bindMasterKey(store.masterKeyCheck, location, store.label, givenKey) };
  } catch (e) {
    await store.close();
    if (e instanceof MasterKeyBindingError) throw new StartupError(e.message);
    throw e;
  }
}

export async function startServer(options: ServerOptions = {}): Promise<ServerHandle> {
  const unknownOption = unknownOptionProblem(options);
  if (unknownOption) throw new StartupError(unknownOption);
  const host = options.host ?? DEFAULTS.host;
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

  const { store, masterKey } = await openBoundStore(options, (e) => logger.warn('database connection lost', { error: e.message }));
  const warnings = masterKey.warning ? [masterKey.warning] : [];
  if (!isVolcengineRegion(region)) {
    warnings.push(`region ${region} is not a Volcengine region (see src/regions.ts); it is accepted, but SDKs signing for another region will not see its secrets`);
  }
  const hintRegionMismatch = regionMismatchHinter(store.locations, logger);

  const clockSync = new ClockSync(new AdjustableClock(), store.sharedClock);
  const clock = clockSync.clock;
  const cipher = new EnvelopeCipher(masterKey.key);
  const uow = store.uow;
  const ids = { secretId: randomUUID, versionId: randomUUID };
  const secrets = new SecretsService({ uow, cipher, clock, ids, shapes: new JsonSchemaShapeChecker() });
  const backups = new SecretBackups({ uow, sealer: new MasterKeyBackupSealer(masterKey.key), cipher, secrets, ids, clock });
  try {
    await clockSync.refresh();
    if (seed) {
      const outcome = await loadSeed(seed, { seeder: new SecretSeeder({ uow, secrets }), region, accounts });
      warnings.push(...outcome.warnings);
      logger.info('seed loaded', { seed: seed.file ?? 'in-process', created: outcome.created, kept: outcome.kept.length });
    }
  } catch (e) {
    await store.close();
    throw e;
  }

  const sweeper = new SweepLoop({
    sweepOnce: () => secrets.sweep(),
    exclusive: store.exclusive,
    beforeSweep: () => clockSync.refresh(),
    onError: (e) => logger.error('sweep failed', { error: e instanceof Error ? e.message : String(e) }),
    intervalMs: (options.sweepSeconds ?? DEFAULTS.sweepSeconds) * 1000,
  });
  const sweep = (): Promise<SweepReport> => sweeper.sweep();
  const advanceClock = async (ms: number): Promise<SweepReport> => {
    await clockSync.advance(ms);
    return sweep();
  };

  const audit = new AuditLog(store.audit, {
    clock,
    maxRows: options.auditMaxRows,
    onError: (e) => logger.error('audit write failed', { error: e instanceof Error ? e.message : String(e) }),
  });
  const faults = new FaultRegistry();
  for (const rule of initialFaults) faults.addChecked(rule);
  const control = new LocalControl({ clock, advanceClock, sweep, store: store.snapshots, audit, faults });

  const maxSkewMs = (options.maxSkewSeconds ?? DEFAULTS.maxSkewSeconds) * 1000;
  const onInternalError = (error: unknown, requestId: string) =>
    logger.error('internal error', { requestId, error: error instanceof Error ? error.stack : String(error) });
  const huaweiDoor = createHuaweiDoor({
    projects: huaweiProjects,
    credentials: registry,
    maxSkewMs,
    services: { secrets, backups },
    logger,
    // the Huawei door's requests go to the same audit log; Version tells the doors apart
    observe: (r) => audit.record({ ...r, action: r.operation, version: 'huawei-csms-v1' }),
  });
  const authenticator = new Authenticator({ credentials: registry, maxSkewMs });
  // the control API checks signatures against every key (control-only ones too), then requires `control`
  const controlAuthenticator = new Authenticator({ credentials: { lookup: (ak) => registry.lookupForControl(ak) }, maxSkewMs });
  const dispatcher = new Dispatcher({ authenticator, services: { secrets, backups }, beforeAction: faults.beforeAction, onInternalError });
  const app = createListener({
    dispatcher,
    mount: (express) => {
      // the web console's static files; its pages call the API below like any SDK
      mountConsole(express, { loopbackOnly: registry.usesDevelopmentCredential(), region });
      // without a project there is nobody the door could let in: /v1 is then not served at all
      if (huaweiProjects.size > 0) huaweiDoor(express);
      mountControlApi(express, {
        control,
        authenticator: controlAuthenticator,
        isControlKey: (ak) => registry.lookupForControl(ak)?.control === true,
        observe: (o) => logger.info('control', { ...o }),
        onInternalError,
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
  // Servers sharing a database agree on "now": each request first follows the shared clock. If the
  // database cannot be reached the request goes on with the last known offset (and will likely be
  // answered 503 by the store anyway).
  const listener: http.RequestListener = clockSync.isShared
    ? (req, res) => {
        clockSync.refresh().then(
          () => app(req, res),
          () => app(req, res),
        );
      }
    : app;

  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = http.createServer(httpServerLimits(requestTimeoutMs), listener);
  server.keepAliveTimeout = 5000;
  // beyond the cap a new connection is closed at once, before a byte of it is read
  server.maxConnections = maxConnections;
  answerClientErrors(server, { requestTimeoutMs, audit, logger });
  try {
    await listen(server, host, options.port ?? 0);
  } catch (e) {
    await store.close();
    if (e instanceof PortInUseError) throw e;
    if (e instanceof ListenError) throw new StartupError(e.message);
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  sweeper.start();

  return serverHandle({
    server,
    host,
    port,
    region,
    accounts,
    controlCredentials,
    clock,
    advanceClock,
    sweeper,
    control,
    faults,
    audit,
    store,
    requestTimeoutMs,
    masterKeySource: masterKey.source,
    warnings,
    logger,
  });
}

export { DatabaseOpenError };
