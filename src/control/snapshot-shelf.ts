/**
 * Named copies of the store, kept in memory for the life of the process (a restart forgets them).
 * Taking a snapshot under an existing name replaces it.
 */
import type { StoreSnapshot } from '../store/store-snapshot';
import type { SnapshotInfo } from './control-reports';

export type { SnapshotInfo } from './control-reports';

export const SNAPSHOT_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_SNAPSHOTS = 64;

export class SnapshotShelf {
  private readonly shelf = new Map<string, { info: SnapshotInfo; data: StoreSnapshot }>();
  private counter = 0;

  has(name: string): boolean {
    return this.shelf.has(name);
  }

  isFull(): boolean {
    return this.shelf.size >= MAX_SNAPSHOTS;
  }

  /** A name not yet used: snapshot-1, snapshot-2, ... */
  freshName(): string {
    let name: string;
    do name = `snapshot-${++this.counter}`;
    while (this.shelf.has(name));
    return name;
  }

  put(name: string, data: StoreSnapshot, takenAt: number): SnapshotInfo {
    const info: SnapshotInfo = { name, secrets: data.secrets.length, versions: data.versions.length, takenAt };
    this.shelf.set(name, { info, data });
    return { ...info };
  }

  get(name: string): { info: SnapshotInfo; data: StoreSnapshot } | undefined {
    return this.shelf.get(name);
  }

  delete(name: string): boolean {
    return this.shelf.delete(name);
  }

  list(): SnapshotInfo[] {
    return [...this.shelf.values()].map((s) => ({ ...s.info }));
  }
}
