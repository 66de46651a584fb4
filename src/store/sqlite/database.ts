/**
 * Opens the SQLite file (or memory) behind kysely, applies the durability settings and runs the
 * migrations in db/. The only module that knows the database is SQLite.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import { SQLITE_MIGRATIONS } from '../../../db/migrations';
import { DatabaseOpenError } from '../database-open-error';
import { MEMORY } from '../database-url';
import { allowDirectExecution } from '../compiled-query';
import { directStatements, type DirectStatements } from './direct-statements';
import { StatementCache } from './statement-cache';
import type { Database } from '../tables';

export { MEMORY };

export interface OpenedDatabase {
  db: Kysely<Database>;
  /** the raw handle, for the few things kysely does not do (backup, checkpoints) */
  sqlite: BetterSqlite3.Database;
  file: string;
  /** the precompiled statements run on the raw handle (direct-statements.ts) */
  direct: DirectStatements;
  close(): Promise<void>;
}


/**
 * Native addon override, used by the single binary (src/sea-main.ts): the loaded addon itself, or a
 * loader called at the first open, so that commands which never open a database never load it.
 */
let nativeBinding: unknown;
let nativeBindingLoader: (() => unknown) | undefined;
export function setSqliteNativeBinding(binding: unknown): void {
  nativeBinding = binding;
}
export function setSqliteNativeBindingLoader(load: () => unknown): void {
  nativeBindingLoader = load;
}
function loadNativeBinding(): void {
  if (nativeBinding === undefined && nativeBindingLoader) nativeBinding = nativeBindingLoader();
}

/** Says in plain words why a database path cannot be a file (the OS and SQLite messages do not). */
function pathProblem(file: string): string | null {
  if (file === MEMORY) return null;
  const full = path.resolve(file);
  for (let p = full; p !== path.dirname(p); p = path.dirname(p)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      continue;
    }
    if (p === full) return stat.isDirectory() ? `${file} is a directory` : null;
    return stat.isDirectory() ? null : `${p} is not a directory`;
  }
  return null;
}

/**
 * A permission problem, named the way the OS names it (EACCES) with the path it concerns: SQLite
 * itself only says "unable to open database file".
 */
function permissionProblem(file: string, error: unknown): string | null {
  if (file === MEMORY) return null;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    const where = (error as NodeJS.ErrnoException).path ?? path.dirname(path.resolve(file));
    return `${code}: permission denied on ${where}`;
  }
  // SQLite's CANTOPEN/READONLY: find the directory or file we may not write
  const full = path.resolve(file);
  for (const [target, what] of [
    [full, 'file'],
    [path.dirname(full), 'directory'],
  ] as const) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') return `EACCES: the ${what} ${target} is not writable`;
    }
  }
  return null;
}

export function openSqlite(file: string): BetterSqlite3.Database {
  if (file !== MEMORY) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (e) {
      throw new DatabaseOpenError(`cannot create the directory for database ${file}: ${pathProblem(file) ?? permissionProblem(file, e) ?? (e as Error).message}`);
    }
  }
  loadNativeBinding();
  let sqlite: BetterSqlite3.Database;
  try {
    const options: BetterSqlite3.Options = nativeBinding ? { nativeBinding: nativeBinding as string } : {};
    sqlite = new BetterSqlite3(file, options);
    // Durability (proven by test/e2e/crash-safety.test.ts, 12 SIGKILLs under load):
    // - WAL: readers never block the writer, and a commit is one append to the -wal file.
    // - synchronous=FULL: the WAL is fsynced at every commit, before we answer. A killed process
    //   loses nothing with WAL alone (the OS has the bytes); FULL makes an acknowledged write survive
    //   a crash of the machine or a power cut too. Cost: one fsync per write.
    // - busy_timeout: another connection to the file (a tool, a second process) makes us wait up to
    //   5 s for the lock instead of failing; units of work take the lock up front (BEGIN IMMEDIATE,
    //   store/secret-repository.ts) so that wait really happens.
    // - On close, better-sqlite3 checkpoints the WAL into the file and removes it.
    if (file !== MEMORY) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.prepare('select count(*) from sqlite_master').get();
  } catch (e) {
    throw new DatabaseOpenError(`cannot open database ${file}: ${pathProblem(file) ?? permissionProblem(file, e) ?? (e as Error).message}`);
  }
  return sqlite;
}

class StaticMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...SQLITE_MIGRATIONS };
  }
}

export async function openDatabase(file: string): Promise<OpenedDatabase> {
  const sqlite = openSqlite(file);
  const statements = new StatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  const direct = directStatements(sqlite);
  allowDirectExecution(db, direct.readsOutsideTransactions);
  const { error, results } = await new Migrator({ db, provider: new StaticMigrations() }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new DatabaseOpenError(`database ${file}: migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
  return {
    db,
    sqlite,
    file,
    direct,
    close: async () => {
      await db.destroy();
    },
  };
}

/**
 * Opens an existing database file for reading only (export): creates nothing, migrates nothing,
 * never takes the write lock; in WAL mode it reads beside a running server.
 */
export async function openDatabaseReadOnly(file: string): Promise<Kysely<Database>> {
  if (file === MEMORY) throw new DatabaseOpenError('an in-memory database lives only inside its server; give a database file');
  loadNativeBinding();
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding: nativeBinding as string } : {}) });
    sqlite.pragma('busy_timeout = 5000');
  } catch (e) {
    throw new DatabaseOpenError(`cannot open database ${file}: ${pathProblem(file) ?? (e as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const pending = (await new Migrator({ db, provider: new StaticMigrations() }).getMigrations()).filter((m) => !m.executedAt);
    if (pending.length > 0) {
      throw new DatabaseOpenError(`database ${file} lacks migration ${pending.map((m) => m.name).join(', ')}; start the server on it once`);
    }
  } catch (e) {
    await db.destroy();
    throw e instanceof DatabaseOpenError ? e : new DatabaseOpenError(`cannot read database ${file}: ${(e as Error).message}`);
  }
  return db;
}
