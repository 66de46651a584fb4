/**
 * The envelope's associated data is part of what is stored: a value sealed by any earlier build must
 * open in this one. These tests pin its bytes (length-prefixed UTF-8 fields, the layout since the
 * first release) and open a sealed value by hand with them.
 */
import { createDecipheriv, randomBytes } from 'node:crypto';
import { EnvelopeCipher, bindingAad } from '../../src/crypto/envelope-cipher';
import { deriveSubkey } from '../../src/crypto/master-key';

/** The layout written out the long way: for each field a 4-byte big-endian byte length, then its UTF-8 bytes. */
function expectedAad(...fields: string[]): Buffer {
  return Buffer.concat(
    fields.flatMap((f) => {
      const bytes = Buffer.from(f, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}

const binding = { accountId: '2100000001', region: 'cn-beijing', secretId: 'b5f1c2d4-0000-4000-8000-000000000001', versionId: 'v-é漢字' };

describe('envelope cipher', () => {
  it('binds account, region, secret and version as length-prefixed UTF-8 fields', () => {
    expect(bindingAad('value', binding)).toEqual(expectedAad('value', binding.accountId, binding.region, binding.secretId, binding.versionId));
    expect(bindingAad('data-key', { ...binding, region: '' })).toEqual(expectedAad('data-key', binding.accountId, '', binding.secretId, binding.versionId));
  });

  it('seals a value that opens by hand with that associated data, and only with it', () => {
    const masterKey = randomBytes(32);
    const cipher = new EnvelopeCipher(masterKey);
    const sealed = cipher.seal(Buffer.from('s3cret', 'utf8'), binding);

    const open = (key: Buffer, iv: Buffer, body: Buffer, aad: Buffer) => {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
    };
    const fields = [binding.accountId, binding.region, binding.secretId, binding.versionId];
    const wrappingKey = deriveSubkey(masterKey, 'data-key-wrapping');
    const dataKey = open(wrappingKey, sealed.wrappedKey.subarray(0, 12), sealed.wrappedKey.subarray(12), expectedAad('data-key', ...fields));
    expect(open(dataKey, sealed.iv, sealed.ciphertext, expectedAad('value', ...fields)).toString('utf8')).toBe('s3cret');

    expect(cipher.open(sealed, binding).toString('utf8')).toBe('s3cret');
    expect(() => cipher.open(sealed, { ...binding, versionId: 'another' })).toThrow('failed authentication');
  });
});
