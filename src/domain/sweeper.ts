/**
 * The sweeper's work: what becomes due with time. Deletion windows that ended are purged, secrets
 * whose automatic rotation is due are rotated (each in its own transaction, re-read inside it, so a
 * request that changed the policy meanwhile wins). When it runs, and that only one server runs it at
 * a time, is decided outside the domain (src/server/sweep-loop.ts).
 */
import type { Clock } from './clock';
import { SweepFailedError } from './errors';
import type { UnitOfWork } from './ports';
import type { SecretSteps } from './secret-steps';
import type { Secret } from './types';

/** how many due secrets the sweeper reads at a time */
const SWEEP_BATCH = 100;

export interface SweepReport {
  purged: number;
  rotated: number;
}

export class Sweeper {
  constructor(private readonly deps: { uow: UnitOfWork; clock: Clock; steps: SecretSteps }) {}

  private get clock(): Clock {
    return this.deps.clock;
  }

  /** Performs what is due at the clock's current time: purges ended deletion windows, rotates due secrets. */
  async sweep(): Promise<SweepReport> {
    const purged = await this.purgeDue();
    let rotated = 0;
    // One secret that cannot be rotated must not hold up the others: each is tried once per sweep,
    // and the failures are reported together at the end.
    const attempted = new Set<string>();
    const failed: string[] = [];
    for (;;) {
      const now = this.clock.now();
      // the ones tried already (and failed) are still due: read past them
      const limit = SWEEP_BATCH + attempted.size;
      const found = await this.deps.uow.reader.secretsDueForRotation(now, limit);
      const due = found.filter((s) => !attempted.has(s.id));
      for (const candidate of due) {
        attempted.add(candidate.id);
        try {
          if (await this.rotateIfStillDue(candidate, now)) rotated++;
        } catch {
          failed.push(candidate.trn);
        }
      }
      if (found.length < limit) break;
    }
    if (failed.length > 0) throw new SweepFailedError(failed);
    return { purged, rotated };
  }

  private rotateIfStillDue(candidate: Secret, now: number): Promise<boolean> {
    return this.deps.uow.run(async (repo) => {
      const secret = await repo.findSecret(candidate, candidate.name);
      // Re-read inside the transaction: a request may have changed the policy meanwhile.
      if (!secret || secret.id !== candidate.id || secret.state !== 'Enable' || secret.rotationState !== 'Enable') return false;
      if (secret.nextRotationAt === null || secret.nextRotationAt > now) return false;
      await this.deps.steps.rotateInside(repo, secret, null);
      return true;
    });
  }

  /** Removes every secret whose deletion window has ended; returns how many. */
  async purgeDue(): Promise<number> {
    let purged = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.deps.uow.reader.secretsDueForDeletion(now, SWEEP_BATCH);
      if (due.length === 0) return purged;
      await this.deps.uow.run(async (repo) => {
        for (const s of due) await repo.deleteSecret(s.id);
      });
      purged += due.length;
      if (due.length < SWEEP_BATCH) return purged;
    }
  }

}
