/**
 * BackupSecret / RestoreSecret (the Volcengine meaning: a restore re-creates a secret from a backup;
 * it does not cancel a deletion). The document holds the metadata and every version in the clear;
 * the BackupSealer encrypts and signs it, so nothing leaves here unprotected.
 */
import { secretTrn } from '../trn';
import { isRepresentableTime, type Clock } from './clock';
import { ForeignBackupError, InvalidInputError, type DomainField } from './errors';
import type { BackupOpenFailure, BackupSealer, IdGenerator, SealedBackup, UnitOfWork, ValueCipher } from './ports';
import type { SecretsService } from './secrets-service';
import {
  ROTATION_STATES,
  SECRET_STATES,
  SECRET_TYPES,
  VERSION_STAGES,
  type Scope,
  type Secret,
  type StoredVersion,
} from './types';

const DOCUMENT_VERSION = 1;

/**
 * Which field a refused backup is blamed on. An HMAC cannot tell whether the data or the signature
 * was changed; the Signature is named and the message says both.
 */
const OPEN_FAILURES: Readonly<Record<BackupOpenFailure, { field: DomainField; reason: string }>> = {
  'signature-mismatch': {
    field: 'backupSignature',
    reason: 'does not match BackupData: one of them was changed, or the backup was made with another master key.',
  },
  'data-key-invalid': { field: 'backupKey', reason: 'was changed, or was not issued with this master key.' },
  'data-key-mismatch': { field: 'backupKey', reason: 'belongs to another backup than this BackupData.' },
  'envelope-unreadable': { field: 'backupData', reason: 'is not a backup this server can read.' },
};

interface BackupDocument {
  documentVersion: number;
  accountId: string;
  region: string;
  secret: Omit<Secret, 'accountId' | 'region' | 'trn' | 'deleteAt' | 'stateBeforeDeletion'>;
  versions: Array<Omit<StoredVersion, 'secretId' | 'sealed'> & { value: string }>;
}

export class SecretBackups {
  constructor(
    private readonly deps: {
      uow: UnitOfWork;
      sealer: BackupSealer;
      cipher: ValueCipher;
      secrets: SecretsService;
      ids: IdGenerator;
      clock: Clock;
    },
  ) {}

  async backup(scope: Scope, name: string): Promise<SealedBackup> {
    const { secrets, uow } = this.deps;
    return uow.run(async (repo) => {
      const secret = secrets.steps.requireActive(await secrets.steps.load(repo, scope, name));
      const versions = await repo.allVersions(secret.id);
      const { accountId, region, trn: _trn, deleteAt: _d, stateBeforeDeletion: _s, ...meta } = secret;
      const document: BackupDocument = {
        documentVersion: DOCUMENT_VERSION,
        accountId,
        region,
        secret: meta,
        versions: versions.map((v) => {
          const opened = secrets.steps.openVersion(secret, v);
          return { id: v.id, name: v.name, stage: v.stage, sequence: v.sequence, createdAt: v.createdAt, kind: v.kind, value: opened.value.bytes.toString('base64') };
        }),
      };
      return this.deps.sealer.seal(Buffer.from(JSON.stringify(document), 'utf8'));
    });
  }

  /** Re-creates the backed-up secret, with every version and stage, in the caller's account and region. */
  async restore(scope: Scope, backup: SealedBackup): Promise<Secret> {
    const opened = this.deps.sealer.open(backup);
    if (!opened.ok) {
      const refusal = OPEN_FAILURES[opened.failure];
      throw new InvalidInputError(refusal.field, refusal.reason);
    }
    const document = parseDocument(opened.document);
    if (document.accountId !== scope.accountId) throw new ForeignBackupError();
    const { secrets, uow, ids, clock, cipher } = this.deps;
    return uow.run(async (repo) => {
      const meta = document.secret;
      await secrets.steps.claimName(repo, scope, meta.name, meta.projectName);
      const id = (await repo.secretIdInUse(meta.id)) ? ids.secretId() : meta.id;
      const secret: Secret = {
        ...meta,
        id,
        accountId: scope.accountId,
        region: scope.region,
        trn: secretTrn(scope.region, scope.accountId, meta.name),
        stateBeforeDeletion: null,
        deleteAt: null,
        updatedAt: clock.now(),
      };
      await repo.insertSecret(secret);
      for (const v of document.versions) {
        const bytes = Buffer.from(v.value, 'base64');
        const sealed = cipher.seal(bytes, { accountId: secret.accountId, region: secret.region, secretId: id, versionId: v.id });
        await repo.insertVersion({ secretId: id, id: v.id, name: v.name, stage: v.stage, sequence: v.sequence, createdAt: v.createdAt, kind: v.kind, sealed });
      }
      return secret;
    });
  }
}

function isOneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}

/** The document is authenticated, but it may come from an older format: check before trusting it. */
function parseDocument(bytes: Buffer): BackupDocument {
  const invalid = () => new InvalidInputError('backupData', 'is not a backup this server can read.');
  let doc: BackupDocument;
  try {
    doc = JSON.parse(bytes.toString('utf8')) as BackupDocument;
  } catch {
    throw invalid();
  }
  const s = doc?.secret;
  const ok =
    doc.documentVersion === DOCUMENT_VERSION &&
    typeof doc.accountId === 'string' &&
    s &&
    typeof s.name === 'string' &&
    typeof s.id === 'string' &&
    isOneOf(SECRET_TYPES, s.type) &&
    isOneOf(SECRET_STATES, s.state) &&
    isOneOf(ROTATION_STATES, s.rotationState) &&
    Array.isArray(doc.versions) &&
    doc.versions.length > 0 &&
    doc.versions.filter((v) => v.stage === 'CURRENT').length === 1 &&
    doc.versions.every((v) => typeof v.id === 'string' && isOneOf(VERSION_STAGES, v.stage) && typeof v.value === 'string' && isRepresentableTime(v.createdAt)) &&
    // times come back as they were stored: each must be one this server can represent (1970..9999)
    isRepresentableTime(s.createdAt) &&
    (s.lastRotatedAt === null || isRepresentableTime(s.lastRotatedAt)) &&
    (s.nextRotationAt === null || isRepresentableTime(s.nextRotationAt));
  if (!ok) throw invalid();
  return doc;
}
