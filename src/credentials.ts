/**
 * Access keys the server accepts, and the account each belongs to.
 */
import { randomBytes } from 'node:crypto';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /**
   * May call the local control API (/_local): reset, the clock, snapshots, audit, faults. Those act on
   * the whole server (every account), so only credentials marked so may use them.
   */
  control?: boolean;
}

/** The fourth field that marks a credential as a control credential: `AK:SK:AccountId:control`. */
export const CONTROL_MARKER = 'control';

/**
 * The documented development key pair, used when no credentials are configured (like Vault's dev
 * root token). It is public, so the server refuses to listen off loopback while it is active.
 */
export const DEVELOPMENT_CREDENTIAL: Readonly<Credential> = Object.freeze({
  accessKeyId: 'AKLTdevlocal0000000000000000000000',
  secretAccessKey: 'dGhpcyBpcyB0aGUgbG9jYWwgZGV2IHNlY3JldCBrZXk=',
  accountId: '2100000001',
  // while it is active the server is loopback-only and has one user: that user owns the control API
  control: true,
});

const ACCESS_KEY_PATTERN = /^[A-Za-z0-9_.+=\-]{1,128}$/;
const SECRET_KEY_PATTERN = /^[\x21-\x7e]{1,256}$/;
const ACCOUNT_PATTERN = /^[0-9]{1,20}$/;

export class CredentialFormatError extends Error {}

/** Checks one triple; returns a description of the first problem, or null when it is valid. */
export function credentialProblem(c: Credential): string | null {
  if (!ACCESS_KEY_PATTERN.test(c.accessKeyId)) return 'AccessKeyId must be 1-128 characters of [A-Za-z0-9_.+=-]';
  if (!SECRET_KEY_PATTERN.test(c.secretAccessKey)) return 'SecretAccessKey must be 1-256 printable characters without spaces';
  if (!ACCOUNT_PATTERN.test(c.accountId)) return 'AccountId must be 1-20 digits';
  return null;
}

/**
 * Parses `AK:SK:AccountId[:control][,AK:SK:AccountId[:control]...]`. The secret key may itself contain
 * ':' (the account id is taken from the last ':' and the access key from the first). An account id is
 * digits only, so a trailing `:control` can never be mistaken for one.
 */
export function parseCredentialList(text: string): Credential[] {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new CredentialFormatError('no credentials given');
  return entries.map((whole, i) => {
    const control = whole.endsWith(':' + CONTROL_MARKER);
    const entry = control ? whole.slice(0, -CONTROL_MARKER.length - 1) : whole;
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first <= 0 || last === first) {
      throw new CredentialFormatError(`entry ${i + 1} is not AccessKeyId:SecretAccessKey:AccountId`);
    }
    const c = { accessKeyId: entry.slice(0, first), secretAccessKey: entry.slice(first + 1, last), accountId: entry.slice(last + 1) };
    const problem = credentialProblem(c);
    if (problem) throw new CredentialFormatError(`entry ${i + 1} (${c.accessKeyId}): ${problem}`);
    return control ? { ...c, control: true } : c;
  });
}

/** A fresh random credential, for in-process servers and tests. */
export function generateCredential(accountId = '2100000001'): Credential {
  return {
    accessKeyId: 'AKLT' + randomBytes(18).toString('base64url').replace(/[-_]/g, 'x'),
    secretAccessKey: randomBytes(30).toString('base64'),
    accountId,
  };
}

/** A fresh random control credential that only the control API accepts (the in-process handle's). */
export function generateControlCredential(accountId = '2100000001'): Credential {
  return { ...generateCredential(accountId), control: true };
}

export class CredentialRegistry {
  private readonly byAccessKey = new Map<string, Credential>();
  /** control credentials that no account door accepts (generated for the in-process handle) */
  private readonly controlOnly = new Map<string, Credential>();

  constructor(initial: Iterable<Credential> = []) {
    for (const c of initial) this.add(c);
  }

  add(c: Credential): void {
    const existing = this.byAccessKey.get(c.accessKeyId);
    if (existing && (existing.secretAccessKey !== c.secretAccessKey || existing.accountId !== c.accountId)) {
      throw new CredentialFormatError(`access key ${c.accessKeyId} is configured twice with different values`);
    }
    // the same pair given once plain and once marked control is a control credential
    const stored: Credential = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, accountId: c.accountId };
    if (c.control || existing?.control) stored.control = true;
    this.byAccessKey.set(c.accessKeyId, stored);
  }

  /** Adds a credential the control API accepts and the account doors do not. */
  addControlOnly(c: Credential): void {
    if (this.byAccessKey.has(c.accessKeyId)) throw new CredentialFormatError(`access key ${c.accessKeyId} is already configured`);
    this.controlOnly.set(c.accessKeyId, { ...c, control: true });
  }

  /** A credential of the account doors (the Volcengine API, the Huawei door). */
  lookup(accessKeyId: string): Credential | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  /** Any credential the server knows, for the control API (which then requires `control`). */
  lookupForControl(accessKeyId: string): Credential | undefined {
    return this.byAccessKey.get(accessKeyId) ?? this.controlOnly.get(accessKeyId);
  }

  /** The first control credential, if any is configured. */
  firstControl(): Credential | undefined {
    for (const c of this.byAccessKey.values()) if (c.control) return { ...c };
    for (const c of this.controlOnly.values()) return { ...c };
    return undefined;
  }

  list(): Credential[] {
    return [...this.byAccessKey.values()].map((c) => ({ ...c }));
  }

  usesDevelopmentCredential(): boolean {
    return this.byAccessKey.has(DEVELOPMENT_CREDENTIAL.accessKeyId);
  }
}
