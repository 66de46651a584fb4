/**
 * The domain's SecretSeeder writes a whole seed in one transaction: a failure half-way (here a store
 * that breaks on the third secret, as a crash would) leaves no seeded row behind.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EnvelopeCipher } from '../../src/crypto/envelope-cipher';
import { AdjustableClock } from '../../src/domain/clock';
import type { SecretRepository, UnitOfWork } from '../../src/domain/ports';
import { SecretSeeder, type SeedSecret } from '../../src/domain/seeding';
import { SecretsService } from '../../src/domain/secrets-service';
import { textValue } from '../../src/domain/types';
import { openDatabase, type OpenedDatabase } from '../../src/store/sqlite/database';
import { SqliteUnitOfWork } from '../../src/store/sqlite/unit-of-work';
import { JsonSchemaShapeChecker } from '../../src/validation/secret-shapes';

const scope = { accountId: '2100000001', region: 'cn-beijing' };

function entries(count: number): SeedSecret[] {
  return Array.from({ length: count }, (_, i) => ({
    scope,
    name: `seeded-${i}`,
    type: 'Generic' as const,
    versions: [{ value: textValue(`v${i}-1`) }, { value: textValue(`v${i}-2`), name: 'second' }],
  }));
}

/** A unit of work whose repository fails on the n-th secret insert. */
function breakingOn(n: number, inner: UnitOfWork): UnitOfWork {
  return {
    reader: inner.reader,
    run: (work) =>
      inner.run((repo) => {
        let inserts = 0;
        const failing: SecretRepository = Object.create(repo);
        failing.insertSecret = async (secret) => {
          if (++inserts === n) throw new Error('the disk went away');
          return repo.insertSecret(secret);
        };
        return work(failing);
      }),
  };
}

describe('SecretSeeder', () => {
  let opened: OpenedDatabase;
  let uow: UnitOfWork;
  let secrets: SecretsService;
  beforeEach(async () => {
    opened = await openDatabase(':memory:');
    uow = new SqliteUnitOfWork(opened.db, opened.direct);
    const ids = { secretId: randomUUID, versionId: randomUUID };
    secrets = new SecretsService({ uow, cipher: new EnvelopeCipher(randomBytes(32)), clock: new AdjustableClock(), ids, shapes: new JsonSchemaShapeChecker() });
  });
  afterEach(() => opened.close());

  const stored = async () => (await uow.reader.listSecrets(scope, {}, { page: 1, size: 100 })).total;

  it('writes every entry with its versions, the last one CURRENT', async () => {
    const report = await new SecretSeeder({ uow, secrets }).seed(entries(5));
    expect(report.created).toHaveLength(5);
    expect(await stored()).toBe(5);
    const { version } = await secrets.getValue(scope, 'seeded-3');
    expect(version.value.bytes.toString()).toBe('v3-2');
    expect(version.name).toBe('second');
  });

  it('leaves nothing behind when the store fails half-way', async () => {
    await expect(new SecretSeeder({ uow: breakingOn(3, uow), secrets }).seed(entries(5))).rejects.toThrow('the disk went away');
    expect(await stored()).toBe(0);
  });

  it('keeps a secret whose name is already taken and creates the rest', async () => {
    await secrets.create(scope, { name: 'seeded-1', type: 'Generic', value: textValue('made by the API') });
    const report = await new SecretSeeder({ uow, secrets }).seed(entries(3));
    expect(report.kept).toEqual([1]);
    expect(report.created.map((s) => s.name)).toEqual(['seeded-0', 'seeded-2']);
    expect((await secrets.getValue(scope, 'seeded-1')).version.value.bytes.toString()).toBe('made by the API');
  });
});
