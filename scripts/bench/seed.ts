/**
 * Fills a database file with secrets quickly, through the domain service (so they are real:
 * sealed under the file's master key, one CURRENT version each), in large transactions instead of
 * 100,000 HTTP calls. Durability is switched off for the seeding connection only: the file is a
 * throw-away fixture, and the server opened on it afterwards sets its own pragmas.
 */
import { randomUUID } from 'node:crypto';
import { EnvelopeCipher } from '../../src/crypto/envelope-cipher';
import { defaultMasterKeyPath, loadOrCreateMasterKey } from '../../src/crypto/master-key';
import type { SecretRepository, UnitOfWork } from '../../src/domain/ports';
import { SecretsService } from '../../src/domain/secrets-service';
import { textValue, type Scope } from '../../src/domain/types';
import { parseDatabaseLocation } from '../../src/store/database-url';
import { openDatabase } from '../../src/store/sqlite/database';
import { openStore } from '../../src/store/store';
import { KyselySecretRepository } from '../../src/store/secret-repository';
import { JsonSchemaShapeChecker } from '../../src/validation/secret-shapes';
import { BENCH_VALUE, secretName } from './requests';

const BATCH = 5000;
/** creation times 1 ms apart from a fixed start: a store filled over time, not in one instant */
const SPACING_MS = 1;
const SEED_EPOCH = Date.now() - 10_000_000;

/** One transaction's worth: the service's own unit of work would commit every secret. */
async function seedBatch(repo: SecretRepository, cipher: EnvelopeCipher, shapes: JsonSchemaShapeChecker, scope: Scope, start: number, end: number): Promise<void> {
  const uow: UnitOfWork = { reader: repo, run: (work) => work(repo) };
  let i = start;
  const clock = { now: () => SEED_EPOCH + i * SPACING_MS };
  const secrets = new SecretsService({ uow, cipher, clock, ids: { secretId: randomUUID, versionId: randomUUID }, shapes });
  for (; i < end; i++) {
    await secrets.create(scope, { name: secretName(i), type: 'Generic', value: textValue(BENCH_VALUE), description: `seeded secret ${i}` });
  }
}

/** The same into a PostgreSQL database (migrated first if new), sealed under `keyFile`'s key. */
export async function seedPostgres(url: string, keyFile: string, scope: Scope, from: number, to: number): Promise<void> {
  const { key } = loadOrCreateMasterKey(keyFile);
  const store = await openStore(parseDatabaseLocation(url), { poolSize: 2 });
  const cipher = new EnvelopeCipher(key);
  const shapes = new JsonSchemaShapeChecker();
  try {
    for (let start = from; start < to; start += BATCH) {
      const end = Math.min(to, start + BATCH);
      await store.uow.run((repo) => seedBatch(repo, cipher, shapes, scope, start, end));
    }
  } finally {
    await store.close();
  }
}

/** Adds secrets `secretName(from)` .. `secretName(to - 1)` to the file (created if missing). */
export async function seedSecrets(dbFile: string, scope: Scope, from: number, to: number): Promise<void> {
  const { key } = loadOrCreateMasterKey(defaultMasterKeyPath(dbFile));
  const opened = await openDatabase(dbFile);
  opened.sqlite.pragma('synchronous = OFF');
  const cipher = new EnvelopeCipher(key);
  const shapes = new JsonSchemaShapeChecker();
  try {
    for (let start = from; start < to; start += BATCH) {
      const end = Math.min(to, start + BATCH);
      await opened.db.transaction().execute((trx) => seedBatch(new KyselySecretRepository(trx), cipher, shapes, scope, start, end));
    }
    opened.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    await opened.close();
  }
}
