/**
 * What the audit log records about one request, and how it can be searched. Plain types: the store
 * turns them into SQL, the control API into JSON.
 */

export interface AuditEntry {
  /** increasing number of the entry (its order of arrival) */
  seq: number;
  /** wall-clock epoch ms when the request arrived */
  at: number;
  /** the same moment on the secrets' clock (differs after clock.advance) */
  clockAt: number;
  requestId: string;
  method: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  region: string | null;
  action: string | null;
  version: string | null;
  /** the SecretName parameter of single-secret Actions; null otherwise */
  secretName: string | null;
  status: number;
  /** the error Code answered; null for success */
  errorCode: string | null;
  durationMs: number;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq'>;

/** `success`, `error` (any error), or one error Code (e.g. `SignatureDoesNotMatch`). */
export type AuditOutcome = string;

export interface AuditFilter {
  /** entries that arrived at or after this wall-clock epoch ms */
  from?: number;
  /** entries that arrived at or before this wall-clock epoch ms */
  to?: number;
  action?: string;
  secretName?: string;
  accessKeyId?: string;
  accountId?: string;
  requestId?: string;
  outcome?: AuditOutcome;
  /** at most this many entries (default 100, at most 10,000) */
  limit?: number;
  /** `newest` first (default) or `oldest` first; `limit` keeps the first entries in this order */
  order?: 'newest' | 'oldest';
}

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 10_000;
export const DEFAULT_AUDIT_MAX_ROWS = 10_000;
