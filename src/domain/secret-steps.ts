/**
 * The steps every write is made of (build a secret, claim its name, add a version with its stage and
 * retention, rotate, open a value), shared by the operations of SecretsService, SecretBackups,
 * SecretSeeder and the Sweeper. A step works inside the transaction it is handed (a `repo`) and never
 * opens one: the operations that call them own the transaction boundaries.
 */
import { parseKeyTrn, secretTrn } from '../trn';
import type { Clock } from './clock';
import {
  type DomainField,
  InvalidInputError,
  InvalidSecretStateError,
  InvalidSecretTypeError,
  NameConflictError,
  NotFoundError,
  UnrotatableValueError,
  VersionNameConflictError,
} from './errors';
import type { IdGenerator, SecretRepository, SecretShapeChecker, ValueCipher } from './ports';
import { SECRET_TYPE_RULES, subTypeOf } from './secret-types';
import type { Scope, Secret, SecretState, SecretType, SecretValue, SecretVersion, StoredVersion, VersionWithValue } from './types';

export const DEFAULT_PROJECT = 'default';

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

export interface SecretStepsDeps {
  cipher: ValueCipher;
  clock: Clock;
  ids: IdGenerator;
  shapes: SecretShapeChecker;
}

/** States in which a secret's value may be read or written, or its rotation changed. */
const ACTIVE_STATES: ReadonlySet<SecretState> = new Set(['Enable']);

export class SecretSteps {
  constructor(private readonly deps: SecretStepsDeps) {}

  private get clock(): Clock {
    return this.deps.clock;
  }

  /** Applies the creation rules (value shape, key, rotation) and builds the secret; writes nothing. */
  newSecret(scope: Scope, input: CreateSecretInput): Secret {
    const rules = SECRET_TYPE_RULES[input.type];
    const extendedConfig = input.extendedConfig ?? '';
    checkStorableText('extendedConfig', extendedConfig);
    if (input.description !== undefined) checkStorableText('description', input.description);
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


  /** Loads a secret by name; a secret whose deletion window has ended is purged and reported missing. */
  async load(repo: SecretRepository, scope: Scope, name: string): Promise<Secret> {
    return this.live(repo, await repo.findSecret(scope, name), name);
  }

  /** The secret found under `name`, unless there is none or its deletion window has ended (then it is purged). */
  async live(repo: SecretRepository, secret: Secret | undefined, name: string): Promise<Secret> {
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

  async rotateInside(repo: SecretRepository, secret: Secret, versionName: string | null): Promise<SecretVersion> {
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

/**
 * Text kept in the store's text columns must not hold U+0000: PostgreSQL cannot store it in text, and
 * the two stores must accept the same requests. (Values are stored as sealed bytes and may hold any byte.)
 */
export function checkStorableText(field: DomainField, text: string): void {
  if (text.includes('\u0000')) throw new InvalidInputError(field, 'must not contain the NUL character (U+0000).');
}

/** The deletion window has ended: the secret is gone for every purpose, swept or not. */
export function isPastDeletion(secret: Secret, now: number): boolean {
  return secret.state === 'PendingDelete' && secret.deleteAt !== null && secret.deleteAt <= now;
}

export function toSecretVersion(v: StoredVersion): SecretVersion {
  return { id: v.id, name: v.name, stage: v.stage, createdAt: v.createdAt };
}
