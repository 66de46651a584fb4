/**
 * BackupSecret's three fields. BackupData is a small JSON document whose only payload is ciphertext
 * (the secret's metadata and every version, AES-256-GCM under a fresh data key); SecretDataKey is
 * that data key wrapped by the master key; Signature is HMAC-SHA256 over BackupData with a key
 * derived from the master key. A server sharing the master key file can restore it; nothing else can.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { BackupSealer, SealedBackup } from '../domain/ports';
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
    const envelope: BackupEnvelope = { Format: BACKUP_FORMAT, Iv: body.iv.toString('base64'), Ciphertext: body.ciphertext.toString('base64') };
    const data = JSON.stringify(envelope);
    return {
      data,
      dataKey: Buffer.concat([wrapped.iv, wrapped.ciphertext]).toString('base64'),
      signature: this.sign(data),
    };
  }

  open(backup: SealedBackup): Buffer | null {
    const expected = Buffer.from(this.sign(backup.data), 'base64');
    const given = Buffer.from(backup.signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64') !== backup.signature) return null;
    try {
      const envelope = JSON.parse(backup.data) as Partial<BackupEnvelope>;
      if (envelope.Format !== BACKUP_FORMAT || typeof envelope.Iv !== 'string' || typeof envelope.Ciphertext !== 'string') return null;
      const wrapped = Buffer.from(backup.dataKey, 'base64');
      const dataKey = gcmDecrypt(this.wrappingKey, wrapped.subarray(0, 12), wrapped.subarray(12), KEY_AAD);
      return gcmDecrypt(dataKey, Buffer.from(envelope.Iv, 'base64'), Buffer.from(envelope.Ciphertext, 'base64'), DATA_AAD);
    } catch (e) {
      if (e instanceof DecryptionError || e instanceof SyntaxError) return null;
      throw e;
    }
  }

  private sign(data: string): string {
    return createHmac('sha256', this.signingKey).update(data, 'utf8').digest('base64');
  }
}
