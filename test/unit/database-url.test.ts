import { DatabaseLocationError, parseDatabaseLocation, redact } from '../../src/store/database-url';
import { ConfigError, resolveConfig } from '../../src/config';

describe('database location', () => {
  it.each([
    ['./data/secrets.db'],
    ['/var/lib/secrets.db'],
    [':memory:'],
    ['C:\\data\\secrets.db'],
    ['postgres-notes.db'],
  ])('%s is a SQLite file', (value) => {
    expect(parseDatabaseLocation(value)).toEqual({ kind: 'sqlite', file: value });
  });

  it.each([
    ['postgres://app:s3cret@db.internal:5433/secrets?sslmode=require', 'postgres://app:***@db.internal:5433/secrets?sslmode=require'],
    ['postgresql://app@127.0.0.1/secrets', 'postgresql://app@127.0.0.1/secrets'],
    ['POSTGRES://u:p@h/d', 'POSTGRES://u:***@h/d'],
    ['postgres://h/d?user=u&password=pw&application_name=x', 'postgres://h/d?user=u&password=***&application_name=x'],
  ])('%s is PostgreSQL, labelled without its password', (url, label) => {
    expect(parseDatabaseLocation(url)).toEqual({ kind: 'postgres', url, label });
  });

  it.each(['mysql://u:p@h/d', 'sqlite://x.db', 'file:///tmp/x.db', 'http://example.test/'])('%s is refused, naming the schemes accepted', (value) => {
    expect(() => parseDatabaseLocation(value)).toThrow(DatabaseLocationError);
    expect(() => parseDatabaseLocation(value)).toThrow(/is not supported; give a SQLite file path, :memory:, or a postgres:\/\/ or postgresql:\/\/ URL$/);
  });

  it('a URL without a database, or empty text, is refused; a password never appears in the message', () => {
    expect(() => parseDatabaseLocation('postgres://u:hunter2@h:5432/')).toThrow('the database URL postgres://u:***@h:5432/ names no database (postgres://user:password@host:port/database)');
    expect(() => parseDatabaseLocation('')).toThrow(DatabaseLocationError);
    expect(redact('postgres://u:hunter2@h/d')).not.toContain('hunter2');
  });

  it('the configuration refuses a bad URL naming the setting, and reads the pool size', () => {
    expect(() => resolveConfig({ VOLC_SECRETS_DB: 'mysql://h/d' })).toThrow(ConfigError);
    expect(() => resolveConfig({}, { db: 'mysql://h/d' })).toThrow(/^--db: database URL scheme "mysql:" is not supported/);
    expect(resolveConfig({ VOLC_SECRETS_DB: 'postgres://h/d', VOLC_SECRETS_DB_POOL_SIZE: '4' }).dbPoolSize).toBe(4);
    expect(() => resolveConfig({ VOLC_SECRETS_DB_POOL_SIZE: '1' })).toThrow(/VOLC_SECRETS_DB_POOL_SIZE must be a whole number from 2 to 1000/);
  });
});
