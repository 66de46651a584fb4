/**
 * The sweeper's schedule: performs what became due (purges at the end of deletion windows, automatic
 * rotations) every few seconds and on demand. One sweep at a time in the process, and, through the
 * store's exclusive lock, one at a time across every server sharing the database: a due rotation
 * happens once. The timer skips a tick when another server is sweeping; an explicit sweep (the
 * control API, `handle.sweep()`, an advance of the clock) waits for it and then runs its own.
 */
import type { SweepReport } from '../domain/secrets-service';
import type { Store } from '../store/store';

export interface SweepLoopDeps {
  /** one pass of the domain's sweeper */
  sweepOnce(): Promise<SweepReport>;
  exclusive: Store['exclusive'];
  /** before each sweep (follows the shared clock) */
  beforeSweep(): Promise<void>;
  onError(error: unknown): void;
  intervalMs: number;
}

const NOTHING: SweepReport = { purged: 0, rotated: 0 };

export class SweepLoop {
  private sweeping: Promise<SweepReport> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SweepLoopDeps) {}

  /** sweeps now; a caller arriving during a sweep waits for it and then runs its own */
  sweep(): Promise<SweepReport> {
    return this.run(true);
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.sweeping) return;
      this.run(false).catch(this.deps.onError);
    }, this.deps.intervalMs);
    this.timer.unref();
  }

  /** stops the timer and waits for a sweep in progress */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.sweeping) await this.sweeping.catch(() => undefined);
  }

  private async run(wait: boolean): Promise<SweepReport> {
    if (this.sweeping) await this.sweeping.catch(() => undefined);
    const current = (async () => {
      await this.deps.beforeSweep();
      const outcome = await this.deps.exclusive('sweep', () => this.deps.sweepOnce(), { wait });
      return outcome.ran ? outcome.value : NOTHING;
    })();
    this.sweeping = current;
    try {
      return await current;
    } finally {
      if (this.sweeping === current) this.sweeping = null;
    }
  }
}
