/**
 * The `secret_blob` of DownloadSecretBlob / UploadSecretBlob: the domain's sealed backup (the same
 * three fields the Volcengine BackupSecret returns) in one printable string, shaped like the seed
 * page's prefixed JWE compact serialization:
 *
 *   )VolcSecretsLocalBackupV1.<header>.<data key>.<backup data>.<signature>      (each part base64url)
 *
 *   header       {"typ":"volc-secrets-local/csms-blob","v":1,"enc":"A256GCM","alg":"A256GCMKW+HS256"}
 *   data key     SecretDataKey: the per-backup AES-256 key, wrapped (AES-256-GCM) by a master-key subkey
 *   backup data  BackupData: the secret's metadata and every version, AES-256-GCM under the data key
 *   signature    Signature: HMAC-SHA256 over BackupData with another master-key subkey
 *
 * Authenticity comes from the sealer (GCM tags and the HMAC): a changed or truncated part fails to
 * open. The header is only read, never trusted. Nothing in the blob is plaintext; only a server
 * holding the same master key file can open it, and only into the account that made it.
 */
import type { SealedBackup } from '../domain/ports';

export const SECRET_BLOB_PREFIX = ')VolcSecretsLocalBackupV1.';
const HEADER = { typ: 'volc-secrets-local/csms-blob', v: 1, enc: 'A256GCM', alg: 'A256GCMKW+HS256' } as const;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeSecretBlob(backup: SealedBackup): string {
  const part = (bytes: Buffer) => bytes.toString('base64url');
  return (
    SECRET_BLOB_PREFIX +
    [
      part(Buffer.from(JSON.stringify(HEADER), 'utf8')),
      part(Buffer.from(backup.dataKey, 'base64')),
      part(Buffer.from(backup.data, 'utf8')),
      part(Buffer.from(backup.signature, 'base64')),
    ].join('.')
  );
}

/** The sealed backup inside a blob, or a sentence saying why it is not one of ours. */
export function decodeSecretBlob(blob: string): SealedBackup | string {
  if (!blob.startsWith(SECRET_BLOB_PREFIX)) {
    return `secret_blob must start with ${SECRET_BLOB_PREFIX} (blobs made by Huawei Cloud or another tool cannot be restored here).`;
  }
  const parts = blob.slice(SECRET_BLOB_PREFIX.length).split('.');
  if (parts.length !== 4 || !parts.every((p) => BASE64URL.test(p))) {
    return 'secret_blob is truncated or malformed: it must hold four base64url parts separated by dots.';
  }
  const [header, dataKey, data, signature] = parts.map((p) => Buffer.from(p, 'base64url'));
  let parsedHeader: unknown;
  try {
    parsedHeader = JSON.parse(header.toString('utf8'));
  } catch {
    parsedHeader = null;
  }
  const h = parsedHeader as Partial<typeof HEADER> | null;
  if (!h || h.typ !== HEADER.typ || h.v !== HEADER.v) return 'secret_blob has a header this server does not know.';
  return { dataKey: dataKey.toString('base64'), data: data.toString('utf8'), signature: signature.toString('base64') };
}
