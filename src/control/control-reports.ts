/**
 * What the control operations report. In a module of their own, importing nothing, because they are
 * part of the package's public types (ServerHandle): the modules that produce them import the store.
 */
export interface ResetReport {
  secretsRemoved: number;
  auditEntriesRemoved: number;
  faultsRemoved: number;
}

export interface SnapshotInfo {
  name: string;
  /** secrets in the snapshot */
  secrets: number;
  /** versions in the snapshot */
  versions: number;
  /** wall-clock epoch ms when it was taken */
  takenAt: number;
}
