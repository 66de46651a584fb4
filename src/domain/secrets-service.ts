/**
 * The rules of secrets: names, states, versions and stages, rotation, the deletion window.
 * Every door (the Volcengine wire, the Huawei wire, seed files, the control API) goes through here.
 */
import { parseKeyTrn, secretTrn } from '../trn';
import type { Clock } from './clock';
import {
  InvalidInputError,
  InvalidSecretStateError,
  InvalidSecretTypeError,
  NameConflictError,
  NotFoundError,
  SweepFailedError,
  UnrotatableValueError,
  VersionNameConflictError,
} from './errors';
import type {
  IdGenerator,
  SecretListFilter,
  SecretRepository,
  SecretShapeChecker,
  UnitOfWork,
  ValueCipher,
  VersionSelector,
} from './ports';
import { SECRET_TYPE_RULES, subTypeOf } from './secret-types';
import type {
  Page,
  PageRequest,
  Scope,
  Secret,
  SecretState,
  SecretType,
  SecretValue,
  SecretVersion,
  StoredVersion,
  VersionWithValue,
} from './types';

export const DEFAULT_PROJECT = 'default';
export const DAY_MS = 86_400_000;
export const MIN_DELETION_WINDOW_DAYS = 7;
export const MAX_DELETION_WINDOW_DAYS = 30;
/** how many due secrets the sweeper reads at a time */
const SWEEP_BATCH = 100;

export interface CreateSecretInput {
  name: string;
  type: SecretType;
  value: SecretValue;
  projectName?: string;
  description?: string;
  encryptionKey?: string;
  extendedConfig?: string;
  automaticRotation?: boolean;
  rotationIntervalSeconds?: number;
  versionName?: string;
  /** only seed files set these: the cloud decides them itself */
  state?: Exclude<SecretState, 'PendingDelete'>;
  managed?: boolean;
  owningService?: string;
}

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

export interface SweepReport {
  purged: number;
  rotated: number;
}

export interface SecretsServiceDeps {
  uow: UnitOfWork;
  cipher: ValueCipher;
  clock: Clock;
  ids: IdGenerator;
  shapes: SecretShapeChecker;
}

/** States in which a secret's value may be read or written, or its rotation changed. */
const ACTIVE_STATES: ReadonlySet<SecretState> = new Set(['Enable']);

export class SecretsService {
  constructor(private readonly deps: SecretsServiceDeps) {}

  private get clock(): Clock {
    return this.deps.clock;
  }

  // ---- create, read, update ------------------------------------------------------------

  async create(scope: Scope, input: CreateSecretInput): Promise<Secret> {
    const secret = this.newSecret(scope, input);
    return this.deps.uow.run((repo) => this.insertNew(repo, secret, input.value, input.versionName ?? null));
  }

  /** Applies the creation rules (value shape, key, rotation) and builds the secret; writes nothing. */
  newSecret(scope: Scope, input: CreateSecretInput): Secret {
    const rules = SECRET_TYPE_RULES[input.type];
    const extendedConfig = input.extendedConfig ?? '';
    this.checkValueShape(input.type, input.value, extendedConfig);
    if (input.encryptionKey) this.checkEncryptionKey(input.encryptionKey);
    const now = this.clock.now();
    const rotation = this.initialRotation(input, rules.rotatable, now);
    return {
      id: this.deps.ids.secretId(),
      accountId: scope.accountId,
      region: scope.region,
      name: input.name,
      trn: secretTrn(scope.region, scope.accountId, input.name),
      projectName: input.projectName || DEFAULT_PROJECT,
      type: input.type,
      state: input.state ?? 'Enable',
      stateBeforeDeletion: null,
      description: input.description ?? '',
      encryptionKey: input.encryptionKey ?? '',
      extendedConfig,
      managed: input.managed ?? false,
      owningService: input.owningService ?? '',
      ...rotation,
      lastRotatedAt: null,
      deleteAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Claims the name and writes a secret built by `newSecret` with its first version, in the caller's transaction. */
  async insertNew(repo: SecretRepository, secret: Secret, value: SecretValue, versionName: string | null): Promise<Secret> {
    await this.claimName(repo, secret, secret.name, secret.projectName);
    await repo.insertSecret(secret);
    await this.addVersion(repo, secret, value, versionName, secret.createdAt);
    return secret;
  }

  /** A typed secret's value must be JSON text of the shape its type and ExtendedConfig call for. */
  checkValueShape(type: SecretType, value: SecretValue, extendedConfig: string): void {
    if (type === 'Generic') return;
    if (value.kind !== 'text') throw new InvalidInputError('value', `a ${type} secret value must be JSON text.`);
    if (!extendedConfig) throw new InvalidInputError('extendedConfig', `is required for ${type} secrets.`);
    const shape = this.deps.shapes.check(type, value.bytes.toString('utf8'), extendedConfig);
    if (!shape.ok) throw new InvalidInputError(shape.field, shape.reason);
  }

  async describe(scope: Scope, name: string): Promise<Secret> {
    return this.load(this.deps.uow.reader, scope, name);
  }

  async list(scope: Scope, filter: SecretListFilter, page: PageRequest): Promise<Page<Secret>> {
    await this.purgeDue();
    return this.deps.uow.reader.listSecrets(scope, filter, page);
  }

  async updateDescription(scope: Scope, name: string, description: string): Promise<Secret> {
    return this.deps.uow.run(async (repo) => {
      const secret = this.requireActive(await this.load(repo, scope, name));
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
    const secret = this.requireActive(await this.live(reader, found?.secret, name));
    const stored = checkVersion(secret, found?.version, query);
    return { secret, version: this.openVersion(secret, stored) };
  }

  /** The CURRENT value of each named secret, in the order asked. Any unknown name fails the call. */
  async batchGetValues(scope: Scope, names: readonly string[]): Promise<SecretWithVersion[]> {
    const reader = this.deps.uow.reader;
    await this.purgeDue();
    const found = new Map((await reader.findSecrets(scope, names)).map((s) => [s.name, s]));
    const secrets = names.map((n) => {
      const secret = found.get(n);
      if (!secret) throw new NotFoundError('secret', n);
      return this.requireActive(secret);
    });
    const current = await reader.findCurrentVersions(secrets.map((s) => s.id));
    return secrets.map((secret) => {
      const stored = current.get(secret.id);
      if (!stored) throw new NotFoundError('version', `${secret.name}:CURRENT`);
      return { secret, version: this.openVersion(secret, stored) };
    });
  }

  /** Adds a version that becomes CURRENT; the previous CURRENT becomes OLDER. Generic secrets only. */
  async setValue(scope: Scope, name: string, value: SecretValue, versionName?: string): Promise<SecretVersion> {
    return this.deps.uow.run(async (repo) => {
      const secret = this.requireActive(await this.load(repo, scope, name));
      if (!SECRET_TYPE_RULES[secret.type].userWritable) throw new InvalidSecretTypeError(secret.type);
      const now = this.clock.now();
      const version = await this.addVersion(repo, secret, value, versionName ?? null, now);
      await repo.updateSecret({ ...secret, updatedAt: now });
      return version;
    });
  }

  async listVersions(scope: Scope, name: string, page: PageRequest): Promise<Page<SecretVersion>> {
    const reader = this.deps.uow.reader;
    const secret = await this.load(reader, scope, name);
    const versions = await reader.listVersions(secret.id, page);
    return { total: versions.total, items: versions.items.map(toSecretVersion) };
  }

  // ---- deletion window -------------------------------------------------------------------

  async scheduleDeletion(scope: Scope, name: string, request: DeletionRequest): Promise<Secret | null> {
    return this.deps.uow.run(async (repo) => {
      const secret = await this.load(repo, scope, name);
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
      const secret = await this.load(repo, scope, name);
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

  // ---- rotation --------------------------------------------------------------------------

  async rotate(scope: Scope, name: string, versionName?: string): Promise<SecretVersion> {
    return this.deps.uow.run(async (repo) => {
      const secret = this.requireActive(await this.load(repo, scope, name));
      return this.rotateInside(repo, secret, versionName ?? null);
    });
  }

  async updateRotationPolicy(scope: Scope, name: string, policy: RotationPolicy): Promise<Secret> {
    return this.deps.uow.run(async (repo) => {
      const secret = this.requireActive(await this.load(repo, scope, name));
      if (!SECRET_TYPE_RULES[secret.type].rotatable) throw new InvalidSecretTypeError(secret.type);
      const now = this.clock.now();
      let updated: Secret;
      if (policy.automatic) {
        const interval = policy.intervalSeconds;
        if (interval === undefined) throw new InvalidInputError('rotationInterval', 'is required when AutomaticRotation is true.');
        this.checkInterval(interval);
        updated = { ...secret, rotationState: 'Enable', rotationIntervalSeconds: interval, nextRotationAt: now + interval * 1000, updatedAt: now };
      } else {
        if (policy.intervalSeconds !== undefined) this.checkInterval(policy.intervalSeconds);
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

  // ---- background work -------------------------------------------------------------------

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
      await this.rotateInside(repo, secret, null);
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

  // ---- shared steps (also used by backup/restore and seeding) ----------------------------

  /** Loads a secret by name; a secret whose deletion window has ended is purged and reported missing. */
  async load(repo: SecretRepository, scope: Scope, name: string): Promise<Secret> {
    return this.live(repo, await repo.findSecret(scope, name), name);
  }

  /** The secret found under `name`, unless there is none or its deletion window has ended (then it is purged). */
  private async live(repo: SecretRepository, secret: Secret | undefined, name: string): Promise<Secret> {
    if (!secret) throw new NotFoundError('secret', name);
    if (isPastDeletion(secret, this.clock.now())) {
      await repo.deleteSecret(secret.id);
      throw new NotFoundError('secret', name);
    }
    return secret;
  }

  /** Fails with NameConflict when the name is held in this scope (purging an ended window first). */
  async claimName(repo: SecretRepository, scope: Scope, name: string, projectName: string): Promise<void> {
    const holder = await repo.findSecret(scope, name);
    if (!holder) return;
    if (isPastDeletion(holder, this.clock.now())) {
      await repo.deleteSecret(holder.id);
      return;
    }
    throw new NameConflictError(name, holder.projectName !== projectName);
  }

  /** Seals `value` as a new CURRENT version, demotes the old CURRENT and applies the type's retention. */
  async addVersion(
    repo: SecretRepository,
    secret: Secret,
    value: SecretValue,
    versionName: string | null,
    createdAt: number,
  ): Promise<SecretVersion> {
    if (versionName !== null && (await repo.findVersion(secret.id, { byName: versionName }))) {
      throw new VersionNameConflictError(versionName);
    }
    const id = this.deps.ids.versionId();
    const sealed = this.deps.cipher.seal(value.bytes, { accountId: secret.accountId, region: secret.region, secretId: secret.id, versionId: id });
    await repo.demoteCurrent(secret.id);
    const stored: StoredVersion = {
      secretId: secret.id,
      id,
      name: versionName,
      stage: 'CURRENT',
      sequence: await repo.nextVersionSequence(secret.id),
      createdAt,
      kind: value.kind,
      sealed,
    };
    await repo.insertVersion(stored);
    await this.applyRetention(repo, secret);
    return toSecretVersion(stored);
  }

  openVersion(secret: Secret, stored: StoredVersion): VersionWithValue {
    const bytes = this.deps.cipher.open(stored.sealed, {
      accountId: secret.accountId,
      region: secret.region,
      secretId: secret.id,
      versionId: stored.id,
    });
    return { ...toSecretVersion(stored), value: { kind: stored.kind, bytes } };
  }

  requireActive(secret: Secret): Secret {
    if (!ACTIVE_STATES.has(secret.state)) throw new InvalidSecretStateError(secret.state);
    return secret;
  }

  checkInterval(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds <= 0) throw new InvalidInputError('rotationInterval', 'must be a positive whole number of seconds.');
  }

  private async rotateInside(repo: SecretRepository, secret: Secret, versionName: string | null): Promise<SecretVersion> {
    const rules = SECRET_TYPE_RULES[secret.type];
    if (!rules.rotatable || !rules.rotate) throw new InvalidSecretTypeError(secret.type);
    const current = await repo.findVersion(secret.id, { byStage: 'CURRENT' });
    if (!current) throw new NotFoundError('version', `${secret.name}:CURRENT`);
    const currentText = this.openVersion(secret, current).value.bytes.toString('utf8');
    let next: string;
    try {
      next = rules.rotate(currentText, subTypeOf(secret.extendedConfig));
    } catch {
      // the parser's message may quote the value: never let it reach a log
      throw new UnrotatableValueError(secret.trn);
    }
    const now = this.clock.now();
    const version = await this.addVersion(repo, secret, { kind: 'text', bytes: Buffer.from(next, 'utf8') }, versionName, now);
    await repo.updateSecret({
      ...secret,
      lastRotatedAt: now,
      nextRotationAt: secret.rotationState === 'Enable' ? now + secret.rotationIntervalSeconds * 1000 : null,
      updatedAt: now,
    });
    return version;
  }

  private async applyRetention(repo: SecretRepository, secret: Secret): Promise<void> {
    const limit = SECRET_TYPE_RULES[secret.type].versionLimit;
    const all = await repo.allVersions(secret.id);
    if (all.length <= limit) return;
    const surplus = all.slice(limit).filter((v) => v.stage !== 'CURRENT');
    await repo.deleteVersions(
      secret.id,
      surplus.map((v) => v.id),
    );
  }

  private initialRotation(
    input: CreateSecretInput,
    rotatable: boolean,
    now: number,
  ): Pick<Secret, 'rotationState' | 'rotationIntervalSeconds' | 'nextRotationAt'> {
    // The cloud accepts rotation settings on Generic secrets and ignores them (see the seed page example).
    if (!rotatable) return { rotationState: 'None', rotationIntervalSeconds: 0, nextRotationAt: null };
    const interval = input.rotationIntervalSeconds;
    if (interval !== undefined) this.checkInterval(interval);
    if (input.automaticRotation) {
      if (interval === undefined) throw new InvalidInputError('rotationInterval', 'is required when AutomaticRotation is true.');
      return { rotationState: 'Enable', rotationIntervalSeconds: interval, nextRotationAt: now + interval * 1000 };
    }
    return { rotationState: 'Disable', rotationIntervalSeconds: interval ?? 0, nextRotationAt: null };
  }

  private checkEncryptionKey(trn: string): void {
    if (!parseKeyTrn(trn)) {
      throw new InvalidInputError('encryptionKey', 'must be a key TRN: trn:kms:<region>:<account>:keyrings/<keyring>/keys/<key>.');
    }
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

/** The deletion window has ended: the secret is gone for every purpose, swept or not. */
function isPastDeletion(secret: Secret, now: number): boolean {
  return secret.state === 'PendingDelete' && secret.deleteAt !== null && secret.deleteAt <= now;
}

export function toSecretVersion(v: StoredVersion): SecretVersion {
  return { id: v.id, name: v.name, stage: v.stage, createdAt: v.createdAt };
}
