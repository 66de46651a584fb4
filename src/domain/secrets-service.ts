/**
 * The rules of secrets: names, states, versions and stages, rotation, the deletion window.
 * Every door (the Volcengine wire, the Huawei wire, seed files, the control API) goes through here.
 */
import type { Clock } from './clock';
import { InvalidInputError, InvalidSecretStateError, InvalidSecretTypeError, NotFoundError } from './errors';
import type { IdGenerator, SecretListFilter, SecretShapeChecker, UnitOfWork, ValueCipher, VersionSelector } from './ports';
import { checkStorableText, SecretSteps, toSecretVersion, type CreateSecretInput } from './secret-steps';
import { SECRET_TYPE_RULES } from './secret-types';
import { Sweeper, type SweepReport } from './sweeper';
import type { Page, PageRequest, Scope, Secret, SecretValue, SecretVersion, StoredVersion, VersionWithValue } from './types';

export { DEFAULT_PROJECT, toSecretVersion, type CreateSecretInput } from './secret-steps';
export type { SweepReport } from './sweeper';

export const DAY_MS = 86_400_000;
export const MIN_DELETION_WINDOW_DAYS = 7;
export const MAX_DELETION_WINDOW_DAYS = 30;
export interface VersionQuery {
  versionId?: string;
  versionName?: string;
}

export interface DeletionRequest {
  force: boolean;
  windowDays?: number;
}

export interface RotationPolicy {
  automatic: boolean;
  intervalSeconds?: number;
}

export interface SecretWithVersion {
  secret: Secret;
  version: VersionWithValue;
}

export interface SecretsServiceDeps {
  uow: UnitOfWork;
  cipher: ValueCipher;
  clock: Clock;
  ids: IdGenerator;
  shapes: SecretShapeChecker;
}

/**
 * Each public operation is one unit of work: it opens the transaction (uow.run) and calls the steps
 * inside it; reads go to the reader. This is the one place where the operations of the Actions meet
 * the transaction boundary.
 */
export class SecretsService {
  readonly steps: SecretSteps;
  private readonly sweeper: Sweeper;

  constructor(private readonly deps: SecretsServiceDeps) {
    this.steps = new SecretSteps(deps);
    this.sweeper = new Sweeper({ uow: deps.uow, clock: deps.clock, steps: this.steps });
  }

  private get clock(): Clock {
    return this.deps.clock;
  }

  // ---- create, read, update ------------------------------------------------------------

  async create(scope: Scope, input: CreateSecretInput): Promise<Secret> {
    const secret = this.steps.newSecret(scope, input);
    return this.deps.uow.run((repo) => this.steps.insertNew(repo, secret, input.value, input.versionName ?? null));
  }

  async describe(scope: Scope, name: string): Promise<Secret> {
    return this.steps.load(this.deps.uow.reader, scope, name);
  }

  async list(scope: Scope, filter: SecretListFilter, page: PageRequest): Promise<Page<Secret>> {
    await this.sweeper.purgeDue();
    return this.deps.uow.reader.listSecrets(scope, filter, page);
  }

  async updateDescription(scope: Scope, name: string, description: string): Promise<Secret> {
    checkStorableText('description', description);
    return this.deps.uow.run(async (repo) => {
      const secret = this.steps.requireActive(await this.steps.load(repo, scope, name));
      const updated = { ...secret, description, updatedAt: this.clock.now() };
      await repo.updateSecret(updated);
      return updated;
    });
  }

  // ---- values and versions ---------------------------------------------------------------

  async getValue(scope: Scope, name: string, query: VersionQuery = {}): Promise<SecretWithVersion> {
    const reader = this.deps.uow.reader;
    // the secret and the version asked for in one read: this is the hottest path of all
    const found = await reader.findSecretWithVersion(scope, name, versionSelector(query));
    const secret = this.steps.requireActive(await this.steps.live(reader, found?.secret, name));
    const stored = checkVersion(secret, found?.version, query);
    return { secret, version: this.steps.openVersion(secret, stored) };
  }

  /** The CURRENT value of each named secret, in the order asked. Any unknown name fails the call. */
  async batchGetValues(scope: Scope, names: readonly string[]): Promise<SecretWithVersion[]> {
    const reader = this.deps.uow.reader;
    await this.sweeper.purgeDue();
    const found = new Map((await reader.findSecrets(scope, names)).map((s) => [s.name, s]));
    const secrets = names.map((n) => {
      const secret = found.get(n);
      if (!secret) throw new NotFoundError('secret', n);
      return this.steps.requireActive(secret);
    });
    const current = await reader.findCurrentVersions(secrets.map((s) => s.id));
    return secrets.map((secret) => {
      const stored = current.get(secret.id);
      if (!stored) throw new NotFoundError('version', `${secret.name}:CURRENT`);
      return { secret, version: this.steps.openVersion(secret, stored) };
    });
  }

  /** Adds a version that becomes CURRENT; the previous CURRENT becomes OLDER. Generic secrets only. */
  async setValue(scope: Scope, name: string, value: SecretValue, versionName?: string): Promise<SecretVersion> {
    return this.deps.uow.run(async (repo) => {
      const secret = this.steps.requireActive(await this.steps.load(repo, scope, name));
      if (!SECRET_TYPE_RULES[secret.type].userWritable) throw new InvalidSecretTypeError(secret.type);
      const now = this.clock.now();
      const version = await this.steps.addVersion(repo, secret, value, versionName ?? null, now);
      await repo.updateSecret({ ...secret, updatedAt: now });
      return version;
    });
  }

  async listVersions(scope: Scope, name: string, page: PageRequest): Promise<Page<SecretVersion>> {
    const reader = this.deps.uow.reader;
    const secret = await this.steps.load(reader, scope, name);
    const versions = await reader.listVersions(secret.id, page);
    return { total: versions.total, items: versions.items.map(toSecretVersion) };
  }

  // ---- deletion window -------------------------------------------------------------------

  async scheduleDeletion(scope: Scope, name: string, request: DeletionRequest): Promise<Secret | null> {
    return this.deps.uow.run(async (repo) => {
      const secret = await this.steps.load(repo, scope, name);
      if (secret.state === 'PendingDelete') throw new InvalidSecretStateError(secret.state);
      if (request.force) {
        await repo.deleteSecret(secret.id);
        return null;
      }
      const days = request.windowDays ?? MIN_DELETION_WINDOW_DAYS;
      if (!Number.isInteger(days) || days < MIN_DELETION_WINDOW_DAYS || days > MAX_DELETION_WINDOW_DAYS) {
        throw new InvalidInputError('pendingWindow', `must be an integer from ${MIN_DELETION_WINDOW_DAYS} to ${MAX_DELETION_WINDOW_DAYS}.`);
      }
      const now = this.clock.now();
      const updated: Secret = {
        ...secret,
        state: 'PendingDelete',
        stateBeforeDeletion: secret.state,
        deleteAt: now + days * DAY_MS,
        updatedAt: now,
      };
      await repo.updateSecret(updated);
      return updated;
    });
  }

  async cancelDeletion(scope: Scope, name: string): Promise<Secret> {
    return this.deps.uow.run(async (repo) => {
      const secret = await this.steps.load(repo, scope, name);
      if (secret.state !== 'PendingDelete') throw new InvalidSecretStateError(secret.state);
      const updated: Secret = {
        ...secret,
        state: secret.stateBeforeDeletion ?? 'Enable',
        stateBeforeDeletion: null,
        deleteAt: null,
        updatedAt: this.clock.now(),
      };
      await repo.updateSecret(updated);
      return updated;
    });
  }

  // ---- background work -------------------------------------------------------------------

  /** Performs what is due at the clock's current time: purges ended deletion windows, rotates due secrets. */
  sweep(): Promise<SweepReport> {
    return this.sweeper.sweep();
  }

  // ---- rotation --------------------------------------------------------------------------

  async rotate(scope: Scope, name: string, versionName?: string): Promise<SecretVersion> {
    return this.deps.uow.run(async (repo) => {
      const secret = this.steps.requireActive(await this.steps.load(repo, scope, name));
      return this.steps.rotateInside(repo, secret, versionName ?? null);
    });
  }

  async updateRotationPolicy(scope: Scope, name: string, policy: RotationPolicy): Promise<Secret> {
    return this.deps.uow.run(async (repo) => {
      const secret = this.steps.requireActive(await this.steps.load(repo, scope, name));
      if (!SECRET_TYPE_RULES[secret.type].rotatable) throw new InvalidSecretTypeError(secret.type);
      const now = this.clock.now();
      let updated: Secret;
      if (policy.automatic) {
        const interval = policy.intervalSeconds;
        if (interval === undefined) throw new InvalidInputError('rotationInterval', 'is required when AutomaticRotation is true.');
        this.steps.checkInterval(interval);
        updated = { ...secret, rotationState: 'Enable', rotationIntervalSeconds: interval, nextRotationAt: now + interval * 1000, updatedAt: now };
      } else {
        if (policy.intervalSeconds !== undefined) this.steps.checkInterval(policy.intervalSeconds);
        updated = {
          ...secret,
          rotationState: 'Disable',
          rotationIntervalSeconds: policy.intervalSeconds ?? secret.rotationIntervalSeconds,
          nextRotationAt: null,
          updatedAt: now,
        };
      }
      await repo.updateSecret(updated);
      return updated;
    });
  }

}

/** Which version a query asks for: by id (VersionName then only has to agree), by name, else CURRENT. */
function versionSelector(query: VersionQuery): VersionSelector {
  if (query.versionId) return { byId: query.versionId };
  if (query.versionName) return { byName: query.versionName };
  return { byStage: 'CURRENT' };
}

/** The version the query asked for, or the error saying why there is none. */
function checkVersion(secret: Secret, stored: StoredVersion | undefined, query: VersionQuery): StoredVersion {
  const label = query.versionId ?? query.versionName;
  if (!stored) throw new NotFoundError('version', label ?? `${secret.name}:CURRENT`);
  if (query.versionId && query.versionName && stored.name !== query.versionName) {
    throw new InvalidInputError('versionName', `does not name the version ${query.versionId}.`);
  }
  return stored;
}
