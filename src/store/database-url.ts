/**
 * What a `--db` / `VOLC_SECRETS_DB` / `startServer({ db })` value names: a SQLite file (or memory) or a
 * PostgreSQL database. Pure: no file or connection is touched, so a bad value is refused before
 * anything is created (a URL must never become a directory named `postgres:`).
 */

export const MEMORY = ':memory:';

/** URL schemes that name a PostgreSQL database. */
export const POSTGRES_SCHEMES: readonly string[] = ['postgres', 'postgresql'];

export type DatabaseLocation =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'postgres';
      /** the URL as given, handed to the driver */
      url: string;
      /** the URL without its password, for logs, banners and error messages */
      label: string;
    };

export class DatabaseLocationError extends Error {}

/** `scheme://…` (two letters or more, so that a Windows drive `C:\…` stays a path). */
const URL_LIKE = /^([A-Za-z][A-Za-z0-9+.-]+):\/\//;

export function parseDatabaseLocation(value: string): DatabaseLocation {
  const scheme = URL_LIKE.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (value.trim() === '') throw new DatabaseLocationError('the database is empty: give a SQLite file path, :memory:, or a postgres:// URL');
    return { kind: 'sqlite', file: value };
  }
  if (!POSTGRES_SCHEMES.includes(scheme)) {
    throw new DatabaseLocationError(
      `database URL scheme "${scheme}:" is not supported; give a SQLite file path, :memory:, or a postgres:// or postgresql:// URL`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DatabaseLocationError(`the database URL ${redact(value)} is malformed`);
  }
  if (url.pathname.length <= 1) throw new DatabaseLocationError(`the database URL ${redact(value)} names no database (postgres://user:password@host:port/database)`);
  return { kind: 'postgres', url: value, label: redact(value) };
}

/** The URL with its password (if any) replaced by `***`. Works on malformed text too. */
export function redact(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/, '$1:***@').replace(/([?&]password=)[^&#]*/i, '$1***');
}

/** How a location is named to a person (never with a password). */
export function locationLabel(location: DatabaseLocation): string {
  return location.kind === 'sqlite' ? location.file : location.label;
}
