/**
 * Seeding: many secrets, each with its version history, written in one transaction. Every secret
 * passes the rules CreateSecret applies (SecretsService.newSecret) and every later version the shape
 * its type calls for, so a seed can hold nothing the API would refuse. All or nothing: one refused
 * entry, or a crash half-way, leaves no seeded row behind.
 */
import { DomainError, InvalidInputError, NameConflictError, VersionNameConflictError } from './errors';
import type { UnitOfWork } from './ports';
import { SECRET_TYPE_RULES } from './secret-types';
import type { CreateSecretInput, SecretsService } from './secrets-service';
import type { Scope, Secret, SecretValue } from './types';

export interface SeedVersion {
  value: SecretValue;
  name?: string;
}

export interface SeedSecret extends Omit<CreateSecretInput, 'value' | 'versionName'> {
  scope: Scope;
  /** oldest first; the last one becomes CURRENT */
  versions: readonly SeedVersion[];
}

export interface SeedReport {
  created: Secret[];
  /** entries whose name was already taken in their account and region: the stored secret was kept as it is */
  kept: number[];
}

/** Which entry (and which of its versions, if one) a rule refused. `problem` says what and where. */
export class SeedEntryError extends DomainError {
  constructor(
    readonly entry: number,
    readonly version: number | null,
    readonly problem: DomainError,
  ) {
    super(`entry ${entry}${version === null ? '' : ` version ${version}`}: ${problem.message}`);
  }
}

/** Two entries of one seed name the same secret. */
export class DuplicateSeedEntryError extends DomainError {
  constructor(readonly firstEntry: number) {
    super(`the same secret as entry ${firstEntry}`);
  }
}

/** More versions than the type keeps (the store would silently drop the oldest). */
export class TooManyVersionsError extends DomainError {
  constructor(readonly limit: number) {
    super(`at most ${limit} versions are kept`);
  }
}

function scopeKey(s: SeedSecret): string {
  return JSON.stringify([s.scope.accountId, s.scope.region, s.name]);
}

export class SecretSeeder {
  constructor(private readonly deps: { uow: UnitOfWork; secrets: SecretsService }) {}

  /**
   * Creates every entry whose name is free. An entry whose name is already held in its account and
   * region is kept as stored (so restarting with the same seed file succeeds and keeps later changes).
   */
  async seed(entries: readonly SeedSecret[]): Promise<SeedReport> {
    const { secrets, uow } = this.deps;
    const firstEntry = new Map<string, number>();
    // Every rule that needs no store is checked before the transaction opens.
    const built = entries.map((entry, i) => {
      const key = scopeKey(entry);
      const first = firstEntry.get(key);
      if (first !== undefined) throw new SeedEntryError(i, null, new DuplicateSeedEntryError(first));
      firstEntry.set(key, i);
      return { entry, secret: this.checkEntry(entry, i) };
    });
    return uow.run(async (repo) => {
      const report: SeedReport = { created: [], kept: [] };
      for (const [i, { entry, secret }] of built.entries()) {
        const [first, ...later] = entry.versions;
        try {
          await secrets.steps.insertNew(repo, secret, first.value, first.name ?? null);
        } catch (e) {
          if (e instanceof NameConflictError) {
            report.kept.push(i);
            continue;
          }
          throw e instanceof DomainError ? new SeedEntryError(i, null, e) : e;
        }
        for (const version of later) {
          await secrets.steps.addVersion(repo, secret, version.value, version.name ?? null, secret.createdAt);
        }
        report.created.push(secret);
      }
      return report;
    });
  }

  /** The rules of one entry: creation rules, every version's shape, distinct version names, the type's version limit. */
  private checkEntry(entry: SeedSecret, i: number): Secret {
    const { secrets } = this.deps;
    const { scope, versions, ...input } = entry;
    const [first, ...later] = versions;
    if (first === undefined) throw new SeedEntryError(i, null, new InvalidInputError('value', 'is required.'));
    const limit = SECRET_TYPE_RULES[entry.type].versionLimit;
    if (versions.length > limit) throw new SeedEntryError(i, null, new TooManyVersionsError(limit));
    const secret = attribute(i, 0, () => secrets.steps.newSecret(scope, { ...input, value: first.value }));
    later.forEach((version, v) => attribute(i, v + 1, () => secrets.steps.checkValueShape(entry.type, version.value, secret.extendedConfig)));
    const names = new Map<string, number>();
    versions.forEach((version, v) => {
      if (version.name === undefined) return;
      if (names.has(version.name)) throw new SeedEntryError(i, v, new VersionNameConflictError(version.name));
      names.set(version.name, v);
    });
    return secret;
  }
}

/** Runs one rule, naming the entry (and the version, when the rule is about a value) if it refuses. */
function attribute<T>(entry: number, version: number, rule: () => T): T {
  try {
    return rule();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    // Rules about the secret as a whole (name, rotation, key, ExtendedConfig) belong to the entry, not to a version.
    const aboutValue = e instanceof InvalidInputError && e.field === 'value';
    throw new SeedEntryError(entry, aboutValue ? version : null, e);
  }
}
