/**
 * Keeps the process's clock in step with the servers it shares a database with. On SQLite there is
 * no one to share with and the offset lives in the process (as before); on PostgreSQL the offset is
 * kept in the database: `advance` adds to it there, and `refresh` (before each request and each
 * sweep) follows what another server added, so every server agrees on "now".
 */
import type { AdjustableClock } from '../domain/clock';
import type { ClockOffsetStore } from '../store/store';

export class ClockSync {
  constructor(
    readonly clock: AdjustableClock,
    private readonly shared: ClockOffsetStore | undefined,
  ) {}

  get isShared(): boolean {
    return this.shared !== undefined;
  }

  async refresh(): Promise<void> {
    if (this.shared) this.clock.catchUp(await this.shared.read());
  }

  async advance(ms: number): Promise<void> {
    if (!this.shared) {
      this.clock.advance(ms);
      return;
    }
    // the same bounds as a local advance, checked against the latest shared offset
    await this.refresh();
    this.clock.checkAdvance(ms);
    this.clock.catchUp(await this.shared.advance(ms));
  }
}
