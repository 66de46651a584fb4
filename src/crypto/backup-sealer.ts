/**
 * BackupSecret's three fields. BackupData is a small JSON document whose only payload is ciphertext
 * (the secret's metadata and every version, AES-256-GCM under a fresh data key); SecretDataKey is
 * that data key wrapped by the master key; Signature is HMAC-SHA256 over BackupData with a key
 * derived from the master key. A server sharing the master key file can restore it; nothing else can.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BackupOpenFailure, BackupSealer, OpenedBackup, SealedBackup } from '../domain/ports';
import { DecryptionError, gcmDecrypt, gcmEncrypt } from './envelope-cipher';
import { deriveSubkey } from './master-key';

export const BACKUP_FORMAT = 'volc-secrets-local/backup/v1';
const DATA_AAD = Buffer.from(BACKUP_FORMAT + '/data');
const KEY_AAD = Buffer.from(BACKUP_FORMAT + '/data-key');

interface BackupEnvelope {
  Format: string;
  Iv: string;
  Ciphertext: string;
}

export class MasterKeyBackupSealer implements BackupSealer {
  private readonly wrappingKey: Buffer;
  private readonly signingKey: Buffer;

  constructor(masterKey: Buffer) {
    this.wrappingKey = deriveSubkey(masterKey, 'backup-key-wrapping');
    this.signingKey = deriveSubkey(masterKey, 'backup-signature');
  }

  seal(document: Buffer): SealedBackup {
    const dataKey = randomBytes(32);
    const body = gcmEncrypt(dataKey, document, DATA_AAD);
    const wrapped = gcmEncrypt(this.wrappingKey, dataKey, KEY_AAD);
    dataKey.fill(0);
    const envelope: BackupEnvelope = { Format: BACKUP_FORMAT, Iv: body.iv.toString('base64'), Ciphertext: body.ciphertext.toString('base64') };
    const data = JSON.stringify(envelope);
    return {
      data,
      dataKey: Buffer.concat([wrapped.iv, wrapped.ciphertext]).toString('base64'),
      signature: this.sign(data),
    };
  }

  open(backup: SealedBackup): OpenedBackup {
    const expected = Buffer.from(this.sign(backup.data), 'base64');
    const given = Buffer.from(backup.signature, 'base64');
    // the base64 round trip refuses non-canonical spellings, which Buffer.from would silently accept
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64') !== backup.signature) {
      return failed('signature-mismatch');
    }
    const envelope = parseEnvelope(backup.data);
    if (!envelope) return failed('envelope-unreadable');
    let dataKey: Buffer;
    try {
      const wrapped = Buffer.from(backup.dataKey, 'base64');
      if (wrapped.toString('base64') !== backup.dataKey) return failed('data-key-invalid');
      dataKey = gcmDecrypt(this.wrappingKey, wrapped.subarray(0, 12), wrapped.subarray(12), KEY_AAD);
    } catch (e) {
      if (e instanceof DecryptionError) return failed('data-key-invalid');
      throw e;
    }
    try {
      return { ok: true, document: gcmDecrypt(dataKey, Buffer.from(envelope.Iv, 'base64'), Buffer.from(envelope.Ciphertext, 'base64'), DATA_AAD) };
    } catch (e) {
      if (e instanceof DecryptionError) return failed('data-key-mismatch');
      throw e;
    } finally {
      dataKey.fill(0);
    }
  }

  private sign(data: string): string {
    return createHmac('sha256', this.signingKey).update(data, 'utf8').digest('base64');
  }
}

function failed(failure: BackupOpenFailure): OpenedBackup {
  return { ok: false, failure };
}

function parseEnvelope(data: string): BackupEnvelope | null {
  try {
    const envelope = JSON.parse(data) as Partial<BackupEnvelope> | null;
    if (!envelope || envelope.Format !== BACKUP_FORMAT || typeof envelope.Iv !== 'string' || typeof envelope.Ciphertext !== 'string') return null;
    return envelope as BackupEnvelope;
  } catch {
    return null;
  }
}
