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

function bindingAad(purpose: string, b: ValueBinding): Buffer {
  // length-prefixed fields: no two different bindings serialise to the same bytes
  const parts = [purpose, b.accountId, b.region, b.secretId, b.versionId].map((p) => {
    const bytes = Buffer.from(p, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    return Buffer.concat([len, bytes]);
  });
  return Buffer.concat(parts);
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
