/**
 * Volcengine resource names: `trn:<service>:<region>:<account>:<resource path>`.
 */
const SERVICE = 'kms';

export function secretTrn(region: string, accountId: string, secretName: string): string {
  return `trn:${SERVICE}:${region}:${accountId}:secrets/${secretName}`;
}

export function keyTrn(region: string, accountId: string, keyringName: string, keyName: string): string {
  return `trn:${SERVICE}:${region}:${accountId}:keyrings/${keyringName}/keys/${keyName}`;
}

export interface ParsedKeyTrn {
  region: string;
  accountId: string;
  keyringName: string;
  keyName: string;
}

const KEY_TRN = /^trn:kms:([a-z0-9-]+):(\d+):keyrings\/([A-Za-z0-9_-]{1,128})\/keys\/([A-Za-z0-9_-]{1,128})$/;

/** Parses a KMS key TRN (the form EncryptionKey takes), or returns null when it is not one. */
export function parseKeyTrn(trn: string): ParsedKeyTrn | null {
  const m = KEY_TRN.exec(trn);
  return m ? { region: m[1], accountId: m[2], keyringName: m[3], keyName: m[4] } : null;
}
