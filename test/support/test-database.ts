/**
 * The switch that runs the e2e suite on PostgreSQL: with VOLC_SECRETS_TEST_DB set to a postgres://
 * URL (an administrative connection, e.g. postgres://postgres@127.0.0.1:PORT/postgres), every test
 * server that does not ask for a particular database gets a database of its own, created for it and
 * dropped when it closes, so tests stay independent. Unset, servers are in memory (SQLite).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export const TEST_DB_URL = process.env.VOLC_SECRETS_TEST_DB || undefined;

/** true when the suite runs on PostgreSQL */
export const onPostgres = TEST_DB_URL !== undefined;

export interface TestDatabase {
  /** the value to give as `db` */
  db: string;
  /** a key file for it (PostgreSQL databases need one; servers sharing the database share it) */
  masterKeyFile: string | undefined;
  /** drops the database (after every server on it has closed) */
  drop(): Promise<void>;
}

async function admin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

/** A fresh PostgreSQL database (with a fresh key file), whatever the switch says. */
export async function freshPostgresDatabase(adminUrl: string | undefined = TEST_DB_URL): Promise<TestDatabase> {
  if (!adminUrl) throw new Error('VOLC_SECRETS_TEST_DB is not set');
  const name = `vst_${process.pid}_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${name}`));
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vst-key-'));
  const masterKeyFile = path.join(keyDir, 'master.key');
  fs.writeFileSync(masterKeyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  return {
    db: withDatabase(adminUrl, name),
    masterKeyFile,
    drop: async () => {
      fs.rmSync(keyDir, { recursive: true, force: true });
      await admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => undefined);
    },
  };
}

/** The database a test server gets when it asks for none: memory, or a fresh PostgreSQL database. */
export async function defaultTestDatabase(): Promise<TestDatabase> {
  if (!onPostgres) return { db: ':memory:', masterKeyFile: undefined, drop: async () => undefined };
  return freshPostgresDatabase();
}
