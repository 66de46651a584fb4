/**
 * Fresh credentials for rotation. Strong by construction: random bytes from the OS, every
 * character class present in passwords so that database password policies accept them.
 */
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!@#%^*_+-=';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

export function generatePassword(length = 24): string {
  const chars = [UPPER, LOWER, DIGITS, SYMBOLS].map((set) => set[randomInt(set.length)]);
  while (chars.length < length) chars.push(ALL[randomInt(ALL.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export function generateAccessKeyId(): string {
  return 'AKLT' + randomBytes(27).toString('base64').replace(/[+/=]/g, '').slice(0, 32);
}

export function generateAccessKeySecret(): string {
  return randomBytes(30).toString('base64');
}

/** An Ed25519 key pair: the public key in OpenSSH's one-line form, the private key as PKCS#8 PEM. */
export function generateSshKeyPair(comment: string): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const name = Buffer.from('ssh-ed25519');
  const blob = Buffer.concat([u32(name.length), name, u32(raw.length), raw]);
  return {
    publicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
