/**
 * The master key: 32 random bytes, kept in a file as base64. It wraps every data key and keys the
 * backup signatures. Loaded from VOLC_SECRETS_MASTER_KEY_FILE, or created beside the database.
 */
import { own } from '../lookup';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MASTER_KEY_BYTES = 32;

export class MasterKeyError extends Error {}

export interface LoadedMasterKey {
  key: Buffer;
  /** where it came from: a file path, or 'memory' */
  source: string;
  created: boolean;
  /** a warning to show (file readable by group or others), if any */
  warning?: string;
}

export function parseMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new MasterKeyError(`master key file ${source} is not base64 text`);
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`master key file ${source} holds ${key.length} bytes; it must hold ${MASTER_KEY_BYTES} (base64 of 32 random bytes)`);
  }
  return key;
}

function permissionWarning(file: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  const mode = fs.statSync(file).mode & 0o777;
  return mode & 0o077
    ? `master key file ${file} is readable by group or others (mode ${mode.toString(8).padStart(3, '0')}); run: chmod 600 ${file}`
    : undefined;
}

/** Plain words for the usual reasons a key file cannot be read. */
const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent of it is not a directory',
  EACCES: 'permission denied',
};

/** Reads an existing key file; throws MasterKeyError with a clear message when it is unusable. */
export function readMasterKeyFile(file: string): LoadedMasterKey {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new MasterKeyError(`cannot read master key file ${file}: ${(code ? own(READ_FAILURES, code) : undefined) ?? (e as Error).message}`);
  }
  return { key: parseMasterKey(text, file), source: file, created: false, warning: permissionWarning(file) };
}

/** The key file used when none is configured: next to the database, named after it. */
export function defaultMasterKeyPath(databaseFile: string): string {
  return path.resolve(databaseFile) + '.master-key';
}

/** Reads the key file, or creates it (mode 0600) with a fresh key when it does not exist. */
export function loadOrCreateMasterKey(file: string): LoadedMasterKey {
  if (fs.existsSync(file)) return readMasterKeyFile(file);
  const key = randomBytes(MASTER_KEY_BYTES);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readMasterKeyFile(file);
    throw new MasterKeyError(`cannot create master key file ${file}: ${(e as Error).message}`);
  }
  return { key, source: file, created: true };
}

export function ephemeralMasterKey(): LoadedMasterKey {
  return { key: randomBytes(MASTER_KEY_BYTES), source: 'memory', created: true };
}

/** Separate keys for separate purposes, derived from the master key. */
export function deriveSubkey(master: Buffer, purpose: string): Buffer {
  return createHmac('sha256', master).update(`volc-secrets-local/${purpose}`).digest();
}

/** A value that identifies the master key without revealing it, stored with the database. */
export function masterKeyCheck(master: Buffer): string {
  return deriveSubkey(master, 'key-check').toString('base64').slice(0, 22);
}
