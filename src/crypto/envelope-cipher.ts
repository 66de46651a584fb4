/**
 * Envelope encryption of secret values: AES-256-GCM under a fresh data key per version; the data
 * key itself AES-256-GCM-wrapped by the master key. Account, region, secret and version are bound
 * in as associated data, so a sealed value copied to another row, secret or account will not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ValueBinding, ValueCipher } from '../domain/ports';
import type { SealedValue } from '../domain/types';
import { deriveSubkey } from './master-key';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class DecryptionError extends Error {}

export function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer, iv = randomBytes(IV_BYTES)): { iv: Buffer; ciphertext: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

export function gcmDecrypt(key: Buffer, iv: Buffer, ciphertext: Buffer, aad: Buffer): Buffer {
  if (iv.length !== IV_BYTES || ciphertext.length < TAG_BYTES) throw new DecryptionError('sealed value is malformed');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
    return Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError('sealed value failed authentication');
  }
}

/**
 * The associated data: length-prefixed fields (a 4-byte big-endian length, then the UTF-8 bytes), so
 * no two different bindings serialise to the same bytes. Written into one buffer (every GetSecretValue
 * builds two of these).
 */
export function bindingAad(purpose: string, b: ValueBinding): Buffer {
  const fields = [purpose, b.accountId, b.region, b.secretId, b.versionId];
  let size = 0;
  for (const field of fields) size += 4 + Buffer.byteLength(field, 'utf8');
  const aad = Buffer.allocUnsafe(size);
  let at = 0;
  for (const field of fields) {
    const length = aad.write(field, at + 4, 'utf8');
    aad.writeUInt32BE(length, at);
    at += 4 + length;
  }
  return aad;
}

export class EnvelopeCipher implements ValueCipher {
  private readonly wrappingKey: Buffer;

  constructor(masterKey: Buffer) {
    this.wrappingKey = deriveSubkey(masterKey, 'data-key-wrapping');
  }

  seal(plaintext: Buffer, binding: ValueBinding): SealedValue {
    const dataKey = randomBytes(KEY_BYTES);
    const value = gcmEncrypt(dataKey, plaintext, bindingAad('value', binding));
    const wrapped = gcmEncrypt(this.wrappingKey, dataKey, bindingAad('data-key', binding));
    dataKey.fill(0);
    return { wrappedKey: Buffer.concat([wrapped.iv, wrapped.ciphertext]), iv: value.iv, ciphertext: value.ciphertext };
  }

  open(sealed: SealedValue, binding: ValueBinding): Buffer {
    const wrapped = sealed.wrappedKey;
    const dataKey = gcmDecrypt(this.wrappingKey, wrapped.subarray(0, IV_BYTES), wrapped.subarray(IV_BYTES), bindingAad('data-key', binding));
    try {
      return gcmDecrypt(dataKey, sealed.iv, sealed.ciphertext, bindingAad('value', binding));
    } finally {
      dataKey.fill(0);
    }
  }
}
