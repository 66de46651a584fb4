/**
 * volc-secrets-local: a local Volcengine KMS Secrets Manager.
 * The in-process API for test suites and tools.
 */
export { startServer, StartupError, PortInUseError } from './server';
export { DatabaseOpenError } from './store/database-open-error';
export type { ServerHandle, ServerOptions, ServerClock } from './server';
export type { Credential } from './credentials';
export { DEVELOPMENT_CREDENTIAL, generateCredential } from './credentials';
export type { SweepReport } from './domain/secrets-service';
export { VERSION } from './version';
export { SeedError } from './seed';
export type { SeedDocument, SeedSecretEntry, SeedVersionEntry, SeedAccountEntry, SeedHuaweiToken, SeedRotation, SeedValue } from './seed';
export { LocalControlClient, LocalControlError } from './jest/control-client';
export type { FaultRuleSpec } from './jest/control-client';
export type { FaultRule, FaultRuleInput } from './faults/fault-rule';
export type { AuditEntry, AuditFilter } from './audit/audit-entry';
export type { ResetReport, SnapshotInfo } from './control/control-reports';
export type { RegionCount } from './store/region-count';
export type { LogFormat, LogLevel } from './logger';
