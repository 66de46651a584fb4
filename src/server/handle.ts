/**
 * The handle startServer() returns: a facade over the running parts (the control operations, the
 * fault registry, the audit log, the sweeper), and the one place that knows the order of shutting
 * them down.
 */
import type http from 'node:http';
import type { AuditLog } from '../audit/audit-log';
import type { LocalControl } from '../control/local-control';
import type { Credential } from '../credentials';
import type { Clock } from '../domain/clock';
import type { SweepReport } from '../domain/secrets-service';
import type { FaultRegistry } from '../faults/fault-registry';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { closeGracefully } from './listen';
import type { SweepLoop } from './sweep-loop';
import type { ServerHandle } from './types';

export interface RunningServer {
  server: http.Server;
  host: string;
  port: number;
  region: string;
  accounts: Credential[];
  controlCredentials: Credential;
  clock: Clock;
  advanceClock(ms: number): Promise<SweepReport>;
  sweeper: SweepLoop;
  control: LocalControl;
  faults: FaultRegistry;
  audit: AuditLog;
  store: Store;
  requestTimeoutMs: number;
  masterKeySource: string;
  warnings: string[];
  logger: Logger;
}

export function serverHandle(r: RunningServer): ServerHandle {
  const { control, faults, audit } = r;
  let closed: Promise<void> | null = null;
  const urlHost = r.host.includes(':') ? `[${r.host}]` : r.host;
  return {
    url: `http://${urlHost}:${r.port}`,
    host: r.host,
    port: r.port,
    region: r.region,
    credentials: { ...r.accounts[0] },
    accounts: r.accounts.map((a) => ({ ...a })),
    controlCredentials: { ...r.controlCredentials },
    clock: {
      now: () => r.clock.now(),
      advance: r.advanceClock,
    },
    sweep: () => r.sweeper.sweep(),
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
      // no new sweeps, then no new requests (in-flight ones finish), then the last sweep, audit entries, the store
      closed ??= (async () => {
        await r.sweeper.stop();
        await closeGracefully(r.server, r.requestTimeoutMs);
        await r.sweeper.stop();
        await audit.close();
        await r.store.close();
        r.logger.flush();
      })();
      return closed;
    },
    secretsByRegion: () => r.store.locations.countsByRegion(),
    databaseFile: r.store.label,
    masterKeySource: r.masterKeySource,
    warnings: r.warnings,
    logger: r.logger,
  };
}
