/**
 * The database file could not be opened or created. In a module of its own (no SQLite import) so
 * that the package's public types (startServer's module re-exports it) do not pull in better-sqlite3.
 */
export class DatabaseOpenError extends Error {}
